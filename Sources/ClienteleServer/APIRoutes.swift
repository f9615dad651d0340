import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird

/// The JSON API under `/api/v1` (docs/api.md): every route calls the core function the matching CLI command
/// calls and sends its `jsonValue`/`csv()` rendering unchanged.
struct APIRoutes: Sendable {
    /// The shop served.
    let service: ShopService

    /// Adds the routes to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        let api = router.group("api/v1")
        report(api, "customers") { try $0.customers().json() }
        api.get("customers.csv") { request, _ -> Response in
            let r = try await reports(request)
            return try await timed { .csv(try r.customers().csv(), filename: "top-customers.csv") }
        }
        report(api, "lifecycle") { r in try r.lifecycle().json(customers: r.query.flag("customers")) }
        report(api, "growth") { try $0.growth().json() }
        report(api, "groups") { try $0.groups().json() }
        report(api, "retention") { try $0.retention().json() }
        report(api, "clv") { try $0.clv().json() }
        report(api, "cohorts") { r in r.cohortsJSON(try r.cohorts()).rendered() }
        report(api, "rfm") { r in try r.rfm().json(timeZone: r.timeZone) }
        report(api, "when") { try $0.when().json() }
        report(api, "together") { try $0.together().json() }
        report(api, "cycles") { try $0.cycles().json() }
        report(api, "due") { try $0.due().json() }
        api.get("due.csv") { request, _ -> Response in
            let r = try await reports(request)
            return try await timed { .csv(try r.due().csv(), filename: "due-reminders.csv") }
        }
        report(api, "products") { try $0.products().json() }
        report(api, "settings") { r in Self.settingsJSON(r.state).rendered() }
        api.get("audiences") { request, _ -> Response in
            let r = try await reports(request)
            let list = try await timed { try await AudienceRoutes.list(r, store: service.store) }
            return .json(JSONValue.array(list.map(\.json)).rendered())
        }
        api.get("audiences/{name}") { request, context -> Response in
            let r = try await reports(request)
            var name = context.parameters.get("name").map { $0.removingPercentEncoding ?? $0 } ?? ""
            if name.hasSuffix(".csv") {
                name.removeLast(4)
                let (_, ctx, mask) = try await AudienceRoutes.members(name, r, store: service.store)
                return .csv(AudienceOverview.exportCSV(context: ctx, mask: mask), filename: "audience-\(Self.filename(name)).csv")
            }
            let (saved, ctx, mask) = try await AudienceRoutes.members(name, r, store: service.store)
            let sort = try r.query.choice("sort", AudienceOverview.ProductSort.self) ?? .times
            let top = try r.query.int("top", in: 0...1_000_000) ?? 20
            return try await timed {
                let overview = AudienceOverview.compute(context: ctx, mask: mask,
                                                        productSort: sort, topProducts: top)
                return .json(overview.json(name: saved.name, filter: saved.filter))
            }
        }
        api.get("openapi.json") { _, _ -> Response in .json(OpenAPIDocument.json().rendered()) }
        PredictionRoutes(service: service).add(to: api)
        AudienceAPIRoutes(service: service).add(to: api)
        api.get("**") { _, _ -> Response in
            throw APIError.notFound("There is no such API route; see docs/api.md for the routes.")
        }
    }

    /// A GET route whose body is the JSON `render` returns.
    func report<Context: RequestContext>(_ group: RouterGroup<Context>, _ path: RouterPath,
                                         _ render: @escaping @Sendable (ShopReports) throws -> String) {
        group.get(path) { request, _ -> Response in
            let r = try await reports(request)
            return .json(try await RequestDeadline.run(seconds: service.requestSeconds) { try render(r) })
        }
    }

    /// `work`'s result within the request time limit (`RequestDeadline`).
    func timed<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await RequestDeadline.run(seconds: service.requestSeconds, work)
    }

    /// The shop's reports for `request`.
    func reports(_ request: Request) async throws -> ShopReports {
        let state = try await service.current()
        return ShopReports(state: state, query: request.query, today: service.today(state.calendar))
    }

    /// A name safe in a `Content-Disposition` file name.
    static func filename(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    /// The shop's settings as JSON: name, time zone, currency, locale and every threshold.
    static func settingsJSON(_ state: ShopState) -> JSONValue {
        let s = state.settings, t = s.thresholds
        return .object([
            ("name", .string(s.name)), ("timeZone", .string(s.timeZone)), ("currency", .string(s.currency)),
            ("locale", .string(s.locale)),
            ("thresholds", .object([
                ("repeatRateGreen", .double(t.repeatRateGreen)), ("repeatRateYellow", .double(t.repeatRateYellow)),
                ("returningShareGreen", .double(t.returningShareGreen)), ("returningShareRed", .double(t.returningShareRed)),
                ("returningMaxOrders", .int(t.returningMaxOrders)), ("topCustomers", .int(t.topCustomers)),
                ("newCustomerDays", .int(t.newCustomerDays)), ("activeFactor", .double(t.activeFactor)),
                ("slippingFactor", .double(t.slippingFactor)), ("defaultIntervalDays", .double(t.defaultIntervalDays)),
                ("vipTopShare", .double(t.vipTopShare)), ("frequentOrdersPerYear", .double(t.frequentOrdersPerYear)),
                ("minimumTenureDays", .int(t.minimumTenureDays)),
            ])),
        ])
    }
}
