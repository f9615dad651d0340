import ClienteleCore
import ClienteleSheets
import Foundation
import Hummingbird

/// The weekly numbers sheet (docs/summary.md) as downloads: JSON, an e-mail-ready HTML page and an .xlsx
/// workbook, from the same `WeeklySummary` the CLI's `clientele report summary` prints.
struct SummaryRoutes: Sendable {
    /// The shop served.
    let service: ShopService

    /// Adds `/api/v1/summary`, `/api/v1/summary.xlsx` and `/summary` (the HTML page).
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/api/v1/summary") { request, _ -> Response in
            .json(try await summary(request).summary.json())
        }
        router.get("/api/v1/summary.xlsx") { request, _ -> Response in
            let s = try await summary(request).summary
            let bytes = try s.workbook().xlsx()
            return Response(status: .ok,
                            headers: [.contentType: ClienteleSheets.mediaType, .cacheControl: "no-store",
                                      .contentDisposition: "attachment; filename=\"clientele-\(s.week.week).xlsx\""],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/summary") { request, _ -> Response in
            let (state, s) = try await summary(request)
            return .html(s.emailHTML(shopName: state.settings.name))
        }
    }

    /// The shop and its summary of the week named by `week` (`2026-W47`), else the last full week.
    func summary(_ request: Request) async throws -> (state: ShopState, summary: WeeklySummary) {
        let state = try await service.current()
        let query = request.query
        let week: WeeklySummary.Week
        if let text = query["week"] {
            guard let w = WeeklySummary.Week(iso: text) else {
                throw APIError.badRequest("week \"\(text)\" is not an ISO week: write it as YYYY-Www, e.g. 2026-W47 (weeks 1–52, or 53 in a long year).")
            }
            week = w
        } else {
            week = .lastComplete(before: service.today(state.calendar))
        }
        return (state, try await RequestDeadline.run(seconds: service.requestSeconds) {
            WeeklySummary.compute(snapshot: state.snapshot, week: week, thresholds: state.settings.thresholds,
                                  currency: state.currency, timeZone: state.settings.timeZone)
        })
    }
}
