import ClienteleCore
import ClienteleSheets
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// The weekly sheet's downloads equal the core's summary. In ServerFixture's shop, week 2025-W28 (Monday 7 –
/// Sunday 13 July 2025) holds one order: c4's 1000 kr on 7 July, c4's first order; the week before
/// (30 June – 6 July) has none, so the changes since it are not defined.
@Suite struct SummaryRoutesTests {
    static func expected(_ state: ShopState, week: String) -> WeeklySummary {
        WeeklySummary.compute(snapshot: state.snapshot, week: WeeklySummary.Week(iso: week)!, thresholds: state.settings.thresholds,
                              currency: state.currency, timeZone: state.settings.timeZone)
    }

    @Test func theJSONIsTheCoresSummary() async throws {
        try await ServerFixture.withClient { client, state in
            let (status, type, body) = try await ServerFixture.get(client, "/api/v1/summary?week=2025-W28")
            #expect(status == .ok)
            #expect(type.hasPrefix("application/json"))
            let summary = Self.expected(state, week: "2025-W28")
            #expect(body == summary.json())
            #expect(summary.week.orders == 1 && summary.week.newCustomers == 1)
            #expect(summary.week.revenue.minorUnits == 100_000)
            #expect(body.contains("\"week\":\"2025-W28\"") || body.contains("\"week\": \"2025-W28\""))
        }
    }

    @Test func theDefaultWeekIsTheLastFullOne() async throws {
        // "Today" is Wednesday 2025-12-31, so the last full week is 2025-W52 (22–28 December).
        try await ServerFixture.withClient { client, state in
            let (_, _, body) = try await ServerFixture.get(client, "/api/v1/summary")
            #expect(body == Self.expected(state, week: "2025-W52").json())
        }
    }

    @Test func theWorkbookIsTheCoresWorkbook() async throws {
        try await ServerFixture.withClient { client, state in
            let expected = try Self.expected(state, week: "2025-W28").workbook().xlsx()
            try await client.execute(uri: "/api/v1/summary.xlsx?week=2025-W28", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == ClienteleSheets.mediaType)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"clientele-2025-W28.xlsx\"")
                #expect(Data(buffer: response.body) == expected)
            }
        }
    }

    @Test func theEmailPageEscapesShopData() async throws {
        try await ServerFixture.withClient { client, _ in
            let (status, type, page) = try await ServerFixture.get(client, "/summary?week=2025-W28")
            #expect(status == .ok)
            #expect(type.hasPrefix("text/html"))
            #expect(page.contains("Test &amp; Co · week 2025-W28"))
            #expect(page.contains("2025-07-07 – 2025-07-13"))
            // c4's e-mail is markup; it is in the top customers of the last 12 months, escaped.
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;@evil.dk"))
            #expect(!page.contains("<script>"))
        }
    }

    @Test(arguments: ["2021-W53", "2025-W60", "week47", "2025"])
    func aBadWeekIsA400(week: String) async throws {
        try await ServerFixture.withClient { client, _ in
            let (status, _, body) = try await ServerFixture.get(client, "/api/v1/summary?week=\(week)")
            #expect(status == .badRequest)
            #expect(body.contains("is not an ISO week"))
        }
    }
}
