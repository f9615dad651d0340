import ClienteleCore
import Foundation
import Hummingbird

/// The dashboard's pages, rendered on the server from the same `ShopReports` the API sends.
struct PageRoutes: Sendable {
    /// The shop served.
    let service: ShopService

    /// Adds the page routes to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        page(router, "/") { r, _ in try CustomersPage.render(r) }
        page(router, "/customers/{key}") { r, context in
            let key = context.parameters.get("key").map { $0.removingPercentEncoding ?? $0 } ?? ""
            return try await CustomerPage.render(r, key: key, fits: service.fits)
        }
        page(router, "/analytics") { r, _ in try AnalyticsPage.render(r) }
        page(router, "/audiences") { r, _ in try await AudiencesPage.render(r, store: service.store) }
        page(router, "/retention") { r, _ in try RetentionPage.render(r) }
        page(router, "/behaviour") { r, _ in try BehaviourPage.render(r) }
        page(router, "/settings") { r, _ in SettingsPage.render(r) }
        page(router, "/predictions") { r, _ in try await PredictionsPage.render(r, fits: service.fits) }
        FormRoutes(service: service).add(to: router)
        TableDownloads(service: service).add(to: router)
    }

    /// A GET page: its HTML, or the error in the layout with the error's status.
    func page<Context: RequestContext>(_ router: Router<Context>, _ path: RouterPath,
                                       _ render: @escaping @Sendable (ShopReports, Context) async throws -> String) {
        router.get(path) { request, context -> Response in
            let state: ShopState
            do {
                state = try await service.current()
            } catch let error as APIError {
                return .html(Page(title: "Not available", shopName: "Clientele", path: request.uri.path,
                                  body: "<p class=\"error\" role=\"alert\">\(html(error.description))</p>").rendered, status: error.status)
            }
            let reports = ShopReports(state: state, query: request.query, today: service.today(state.calendar))
            do {
                try reports.checkLanguage()
                return .html(try await RequestDeadline.run(seconds: service.requestSeconds) { try await render(reports, context) })
            } catch let error as APIError {
                let body = "<p class=\"error\" role=\"alert\">\(html(error.description))</p><p><a href=\"\(html(reports.href(request.uri.path)))\">\(html(reports.t("Start again")))</a></p>"
                return .html(reports.page(title: reports.t("Cannot show this"), path: request.uri.path, body: body).rendered,
                             status: error.status)
            }
        }
    }
}
