import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird

/// Customers' privacy in the dashboard (docs/privacy.md): everything stored about one customer as JSON
/// (`GET /api/v1/customers/{key}/export`, what `clientele customer export --customer KEY` prints) and forgetting
/// them (`GET /customers/{key}/forget` asks for confirmation, `POST` does what `clientele customer forget
/// --customer KEY` does). The dashboard has no sign-in and listens on this computer only: whoever can open it is
/// the shop's admin. Messages never repeat the customer's key or e-mail (error pages may end up in logs).
struct PrivacyRoutes: Sendable {
    /// The shop served.
    let service: ShopService

    /// Adds the export API route and the forget form.
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("api/v1/customers/{key}/export") { request, context -> Response in
            let reports = try await reports(request)
            let export = try await Self.export(key: Self.key(context), reports, store: service.store)
            return .json(export.json())
        }
        let forms = FormRoutes(service: service)
        forms.page(router, .get, "/customers/{key}/forget") { request, context in
            let r = try await forms.reports(request)
            let key = Self.key(context)
            let orders = try await service.store.ordersOf(customer: .customerKey(key))
            guard !orders.isEmpty else { throw Self.noSuchCustomer }
            return .html(Self.confirmation(r, key: key, orders: orders.count, problem: nil))
        }
        forms.page(router, .post, "/customers/{key}/forget") { request, context in
            let key = Self.key(context)
            let form = try await FormRoutes.form(request)
            let r = try await forms.reports(request, query: QueryParameters(query: nil))
            guard form["confirm"] == "yes" else {
                let orders = try await service.store.ordersOf(customer: .customerKey(key))
                guard !orders.isEmpty else { throw Self.noSuchCustomer }
                return .html(Self.confirmation(r, key: key, orders: orders.count,
                                               problem: "Tick the box to confirm: forgetting cannot be undone."),
                             status: .unprocessableContent)
            }
            let summary = try await service.store.forget(customers: [.customerKey(key)], action: .forget, at: service.now())
            guard !summary.isEmpty else { throw Self.noSuchCustomer }
            await Self.rebuildSnapshot(service)
            let body = "<p role=\"status\">\(html(Self.describe(summary)))</p><p><a href=\"/\">Back to the customers</a></p>"
            return .html(r.page(title: "Customer forgotten", path: "/", body: body).rendered)
        }
    }

    /// The 404 for a key with no stored order (the key is not repeated).
    static let noSuchCustomer = APIError.notFound("There is no customer with that key in this shop (perhaps they were forgotten already).")

    /// The `{key}` path parameter, percent-decoded.
    static func key<Context: RequestContext>(_ context: Context) -> String {
        context.parameters.get("key").map { $0.removingPercentEncoding ?? $0 } ?? ""
    }

    /// The shop's reports for `request`.
    func reports(_ request: Request) async throws -> ShopReports {
        let state = try await service.current()
        return ShopReports(state: state, query: request.query, today: service.today(state.calendar))
    }

    /// The export of customer `key` as of the request's `asOf` (default today): their stored orders, the saved
    /// audiences they are in (predicted fields through the server's fit, when it can be made).
    static func export(key: String, _ r: ShopReports, store: any OrderStore) async throws -> CustomerExport {
        let asOf = try r.asOf()
        let orders = try await store.ordersOf(customer: .customerKey(key))
        guard !orders.isEmpty else { throw noSuchCustomer }
        var export = CustomerExport(shopName: r.settings.name, request: .customerKey(key), asOf: asOf, calendar: r.state.calendar,
                                    shopCurrency: r.state.currency, orders: orders)
        let saved = try await store.listAudiences()
        var ctx = r.audienceContext(asOf: asOf)
        if let predicted = saved.lazy.compactMap({ try? AudienceFilter($0.filter) }).first(where: \.usesPredictions) {
            ctx = (try? await r.withPredictions(ctx, for: predicted)) ?? ctx
        }
        let judged = CustomerExport.memberships(snapshot: r.snapshot, keys: export.customerKeys, saved: saved, asOf: asOf,
                                                thresholds: r.settings.thresholds, currency: r.state.currency,
                                                calendar: r.state.calendar, predictions: ctx.predictions)
        export.audiences = judged.audiences
        export.audiencesNotEvaluated = judged.notEvaluated
        return export
    }

    /// The confirmation form: what forgetting does, how many orders it touches, a box to tick.
    static func confirmation(_ r: ShopReports, key: String, orders: Int, problem: String?) -> String {
        let path = "/customers/" + QueryParameters.encode(key)
        var body = "<p>Forgetting customer <strong>\(html(key))</strong> erases their customer id, e-mail and country from "
        body += "\(orders == 1 ? "their order" : "all \(orders) of their orders"). The orders stay in revenue and order totals as "
        body += "anonymous orders; saved audiences that name them are deleted; the privacy log records the counts, never who. "
        body += "This cannot be undone.</p>"
        body += "<p><a href=\"/api/v1/customers/\(html(QueryParameters.encode(key)))/export\">Export what is stored about them first</a> (JSON).</p>"
        if let problem { body += "<p class=\"error\" role=\"alert\">\(html(problem))</p>" }
        body += "<form method=\"post\" action=\"\(html(path))/forget\">"
        body += "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> I understand that this customer is forgotten for good.</label> "
        body += "<button type=\"submit\">Forget this customer</button></form>"
        body += "<p><a href=\"\(html(path))\">Back to the customer</a></p>"
        return r.page(title: "Forget a customer", path: "/", body: body, ownPath: path + "/forget").rendered
    }

    /// One sentence of counts, never a name.
    static func describe(_ s: ForgetSummary) -> String {
        var text = "Forgot \(s.customers) customer\(s.customers == 1 ? "" : "s"): \(s.orders) order\(s.orders == 1 ? "" : "s") anonymised (they stay in the totals as anonymous orders)."
        if !s.audiencesDeleted.isEmpty {
            let n = s.audiencesDeleted.count
            text += " Deleted \(n) saved audience\(n == 1 ? "" : "s") that named them."
        }
        return text + " Recorded in the privacy log (counts only)."
    }

    /// After a forget: the snapshot file (which held the erased values) is deleted and the service reloads at once,
    /// writing a new one.
    static func rebuildSnapshot(_ service: ShopService) async {
        if let path = service.cachePath { try? FileManager.default.removeItem(atPath: path) }
        await service.expireRevisionCheck()
        _ = try? await service.current()
    }
}
