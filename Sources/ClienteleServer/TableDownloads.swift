import ClienteleCore
import ClienteleSheets
import Foundation
import Hummingbird

/// The downloads of the dashboard's tables (docs/dashboard.md, "Downloads"): beside each page `PATH` the routes
/// `PATH.csv?table=ID&…` (one table as CSV) and `PATH.xlsx?table=ID&…` (one table as a workbook; without
/// `table`, every table of the page, one sheet each), with the page's own query parameters, so a download
/// holds exactly the rows the page shows. The page's tables come from the same rendering as its HTML.
struct TableDownloads: Sendable {
    /// The shop served.
    let service: ShopService

    /// Adds the downloads of every page's tables: `/customers.csv|.xlsx` (the Customers page, `/`),
    /// `/customers/{key}`, `/analytics`, `/audiences`, `/audiences/{name}`, `/retention`, `/behaviour`,
    /// `/predictions` and `/settings`, each with `.csv` and `.xlsx`. (The Import page's and the audience
    /// form's tables carry their files in their links.)
    func add<Context: RequestContext>(to router: Router<Context>) {
        let service = self.service
        let key: @Sendable (Context, String) -> String = { context, name in
            context.parameters.get(name).map { $0.removingPercentEncoding ?? $0 } ?? ""
        }
        add(router, "/customers", name: { _ in "customers" }) { r, _ in try CustomersPage.content(r).tables }
        add(router, "/customers/{key}", name: { "customer-" + key($0, "key") }) { r, context in
            try await CustomerPage.content(r, key: key(context, "key"), fits: service.fits).tables
        }
        add(router, "/analytics", name: { _ in "analytics" }) { r, _ in try AnalyticsPage.content(r).tables }
        add(router, "/audiences", name: { _ in "audiences" }) { r, _ in try await AudiencesPage.content(r, store: service.store).tables }
        add(router, "/audiences/{name}", name: { "audience-" + key($0, "name") }) { r, context in
            try await AudiencePage.detail(r, name: key(context, "name"), store: service.store).tables
        }
        add(router, "/retention", name: { _ in "retention" }) { r, _ in try RetentionPage.content(r).tables }
        add(router, "/behaviour", name: { _ in "behaviour" }) { r, _ in try BehaviourPage.content(r).tables }
        add(router, "/predictions", name: { _ in "predictions" }) { r, _ in try await PredictionsPage.content(r, fits: service.fits).tables }
        add(router, "/settings", name: { _ in "settings" }) { r, _ in SettingsPage.content(r).tables }
    }

    /// Adds `PATH.csv` and `PATH.xlsx` for the page whose tables `tables` renders; `name` starts the file
    /// names (`analytics-groups.csv`, `analytics.xlsx`).
    func add<Context: RequestContext>(_ router: Router<Context>, _ path: String, name: @escaping @Sendable (Context) -> String,
                                      tables: @escaping @Sendable (ShopReports, Context) async throws -> [DataTable]) {
        for format in ["csv", "xlsx"] {
            router.get(RouterPath(path + "." + format)) { request, context -> Response in
                let state = try await service.current()
                let reports = ShopReports(state: state, query: request.query, today: service.today(state.calendar))
                try reports.checkLanguage()
                let all = try await RequestDeadline.run(seconds: service.requestSeconds) { try await tables(reports, context) }
                return try Self.download(all, format: format, query: request.query, name: Self.safeName(name(context)))
            }
        }
    }

    /// The response for `format` of the table the query names (`table`), or of every table for an .xlsx
    /// without one; a missing or unknown `table` is a 400 listing the page's tables.
    static func download(_ tables: [DataTable], format: String, query: QueryParameters, name: String) throws -> Response {
        let ids = tables.map(\.id).joined(separator: ", ")
        var chosen = tables
        if let id = query["table"] {
            guard let table = tables.first(where: { $0.id == id }) else {
                throw APIError.badRequest("table \"\(id)\" is not one of: \(ids).")
            }
            chosen = [table]
        } else if format == "csv" {
            throw APIError.badRequest("table is missing: a CSV file holds one table; choose one of: \(ids).")
        }
        let filename = query["table"].map { "\(name)-\(safeName($0))" } ?? name
        if format == "csv" {
            return .csv(chosen[0].csv(), filename: filename + ".csv")
        }
        let bytes: Data
        do {
            bytes = try Workbook(sheets: chosen.map { $0.sheet() }).xlsx()
        } catch {
            throw APIError(.internalServerError, "The workbook could not be written: \(error).")
        }
        return Response(status: .ok,
                        headers: [.contentType: ClienteleSheets.mediaType, .cacheControl: "no-store",
                                  .contentDisposition: "attachment; filename=\"\(filename).xlsx\""],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A name safe in a `Content-Disposition` file name: letters, digits, `-`, `_` (others become `-`), at
    /// most 60 characters.
    static func safeName(_ text: String) -> String {
        let safe = String(text.unicodeScalars.prefix(60).map { s -> Character in
            (s.properties.isAlphabetic && s.isASCII) || ("0"..."9").contains(s) || s == "-" || s == "_" ? Character(s) : "-"
        })
        return safe.isEmpty ? "table" : safe
    }
}
