import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// A small written-out shop for the Behaviour and Retention pages (DKK, UTC), with orders of several lines
/// and a product whose name is markup.
///
/// - c1: P1 every 30 days at 10:00 (2025-01-01, 01-31, 03-02, 04-01, 05-01) — 4 gaps of 30 days, so P1's
///   median cycle is 30 days and the reminder falls 23 days after the last purchase: 2025-05-24.
///   Its first three orders also hold P2, the first one P3 as well.
/// - c2: 2025-02-10 20:00 P2 + P3, 2025-03-10 08:00 P3.
/// Pairs over the 7 orders: P1+P2 in 3 (a1, a2, a3), P2+P3 in 2 (a1, b1), P1+P3 in 1 (below the minimum 2).
/// P1 is in 5 orders, P2 in 4: confidence P1→P2 = 3/5 = 60 %, P2→P1 = 3/4 = 75 %, lift = (3/7) ÷ (5/7 × 4/7) = 1.05.
enum BehaviourFixture {
    static let dkk = Currency(code: "DKK")!
    static let hostileProduct = "<img src=x onerror=alert(1)>Mug"

    static func order(_ id: String, _ day: String, hour: Int64, customer: String, _ products: [String], total: Int64) -> Order {
        let d = ShopDate(iso: day)!
        let names = ["P1": "Coffee", "P2": hostileProduct, "P3": "Filter"]
        let lines = products.map { p -> OrderLine in
            OrderLine(productId: p, productName: names[p]!, quantity: 1, unitPrice: total * 100 / Int64(products.count))
        }
        return Order(id: id, placedAt: Instant(seconds: Int64(d.dayNumber) * 86_400 + hour * 3600), customerId: customer,
                     email: "\(customer)@example.dk", currency: dkk, total: total * 100, lines: lines)
    }

    static let orders: [Order] = [
        order("a1", "2025-01-01", hour: 10, customer: "c1", ["P1", "P2", "P3"], total: 300),
        order("a2", "2025-01-31", hour: 10, customer: "c1", ["P1", "P2"], total: 200),
        order("a3", "2025-03-02", hour: 10, customer: "c1", ["P1", "P2"], total: 200),
        order("a4", "2025-04-01", hour: 10, customer: "c1", ["P1"], total: 100),
        order("a5", "2025-05-01", hour: 10, customer: "c1", ["P1"], total: 100),
        order("b1", "2025-02-10", hour: 20, customer: "c2", ["P2", "P3"], total: 150),
        order("b2", "2025-03-10", hour: 8, customer: "c2", ["P3"], total: 50),
    ]

    /// "Today": 2025-05-22 noon UTC.
    static let now = Instant(seconds: Int64(ShopDate(iso: "2025-05-22")!.dayNumber) * 86_400 + 12 * 3600)

    /// Runs `body` with a test client of the whole router over this shop.
    static func withClient(_ body: @escaping @Sendable (any TestClientProtocol, ShopState) async throws -> Void) async throws {
        let store = InMemoryOrderStore(settings: ShopSettings(name: "Behaviour & Co", timeZone: "UTC", currency: "DKK"))
        _ = try await store.replaceOrders(orders)
        let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { now })
        let state = try await service.current()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in try await body(client, state) }
    }

    /// How often `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}

@Test func theBehaviourPageShowsTheCoresFigures() async throws {
    try await BehaviourFixture.withClient { client, state in
        let (status, type, page) = try await ServerFixture.get(client, "/behaviour?asOf=2025-05-22")
        #expect(status == .ok)
        #expect(type.hasPrefix("text/html"))
        #expect(!page.contains("GRDB"))
        #expect(!page.contains("<script"))
        #expect(page.contains(#"<a href="/behaviour" aria-current="page">Behaviour</a>"#))
        #expect(page.contains("Behaviour &amp; Co"))
        #expect(page.contains("<form class=\"picker\" method=\"get\" action=\"/behaviour\""))

        // The core's figures for the same request (the page must show exactly these).
        let reports = ShopReports(state: state, query: QueryParameters(query: "asOf=2025-05-22"), today: ShopDate(iso: "2025-05-22")!)
        let times = try reports.when()
        #expect(times.orders == 7)  // all 7 orders are in the 12 months up to 2025-05-22
        #expect(page.contains("<span class=\"total-orders\">7 orders</span>"))

        // Heat map: 7 × 24 cells, each with its title; 2025-01-01 was a Wednesday, so Wed 10:00 holds a1.
        #expect(page.contains("<svg role=\"img\" aria-label=\"Orders by hour and weekday\""))
        #expect(BehaviourFixture.count("<rect class=\"cell\"", in: page) == 7 * 24)
        #expect(times.slot(weekday: 3, hour: 10).orders >= 1)
        #expect(page.contains("<title>Wed 10:00–11:00: \(times.slot(weekday: 3, hour: 10).orders) order"))
        // The accessible table: the weekday totals add up to the orders.
        #expect(times.weekdays.reduce(0) { $0 + $1.orders } == 7)
        #expect(page.contains("<table class=\"heat\">"))

        // Bars: 12 months of year + the years overlapping the period (2024 and 2025).
        #expect(times.years.map(\.year) == [2024, 2025])
        #expect(BehaviourFixture.count("<g class=\"bar\">", in: page) == 12 + 2)

        // Bought together: P1+P2 in 3 orders, P2+P3 in 2 (hand count in the fixture's comment).
        let together = try reports.together()
        #expect(together.pairs.map(\.supportCount) == [3, 2])
        #expect(BehaviourFixture.count("<tr class=\"pair\">", in: page) == 2)
        #expect(page.contains("<td class=\"num support\">3</td>"))
        #expect(page.contains("60.0 %") && page.contains("75.0 %"))
        #expect(page.contains("<td class=\"num\">1.05</td>"))

        // The hostile product name is escaped.
        #expect(!page.contains("<img"))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;Mug"))

        // Purchase cycles: P1 with 4 gaps of 30 days; reminder after 23 days.
        let cycles = try reports.cycles()
        #expect(cycles.products.map(\.productId) == ["P1"])
        #expect(BehaviourFixture.count("<tr class=\"cycle\">", in: page) == 1)
        #expect(page.contains("<td class=\"num\">30.0</td><td class=\"num\">23.0</td>"))

        // Due: c1's P1 falls due on 2025-05-24, inside the 7 days from 2025-05-22.
        let due = try reports.due()
        #expect(due.reminders.map(\.dueDate.description) == ["2025-05-24"])
        #expect(BehaviourFixture.count("<tr class=\"reminder\">", in: page) == 1)
        #expect(page.contains("<td>2025-05-24</td>"))
        #expect(page.contains("href=\"/api/v1/due.csv?asOf=2025-05-22\""))
    }
}

@Test func theBehaviourPageRefusesBadInput() async throws {
    try await BehaviourFixture.withClient { client, _ in
        let (status, type, page) = try await ServerFixture.get(client, "/behaviour?compare=previous")
        #expect(status == .badRequest)
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains("role=\"alert\""))
        let (dateStatus, _, _) = try await ServerFixture.get(client, "/behaviour?from=2025-13-01")
        #expect(dateStatus == .badRequest)
    }
}

@Test func theRetentionPageShowsTheCoresFigures() async throws {
    try await ServerFixture.withClient { client, state in
        let query = "from=2025-03-01&to=2025-06-30&asOf=2025-12-31&orderValue=300&ordersPerYear=2&lifespanYears=3&margin=0.5&cac=100"
        let (status, type, page) = try await ServerFixture.get(client, "/retention?" + query)
        #expect(status == .ok)
        #expect(type.hasPrefix("text/html"))
        #expect(!page.contains("GRDB"))
        #expect(!page.contains("<script"))
        #expect(page.contains(#"<a href="/retention" aria-current="page">Retention &amp; CLV</a>"#))
        #expect(page.contains("<form class=\"picker\" method=\"get\" action=\"/retention\""))

        let reports = ShopReports(state: state, query: QueryParameters(query: query), today: ShopDate(iso: "2025-12-31")!)
        // P = 2025-03-01…06-30 (122 days), P′ = the 122 days before (2024-10-30…2025-02-28).
        // S = {c1, c2} = 2, E = {c1, c3} = 2 (the anonymous order is nobody's), N = {c3} = 1:
        // CRR = (2 − 1) ÷ 2 = 50 %, churned = {c2}: 50 %.
        let m = try reports.retention()
        #expect(m.retention.customersPrevious == 2 && m.retention.customersCurrent == 2 && m.retention.newCustomers == 1)
        #expect(m.retention.rate == 0.5)
        #expect(page.contains("<td class=\"num s\">2</td>"))
        #expect(page.contains("<td class=\"num e\">2</td>"))
        #expect(page.contains("<td class=\"num n\">1</td>"))
        #expect(page.contains("<td class=\"num crr\">50.0 %</td>"))
        #expect(page.contains("<td class=\"num churn\">50.0 %</td>"))
        // Repeat purchase ratio by 2025-06-30: c1 and c2 of c1, c2, c3 = 66.7 %.
        #expect(page.contains("<td class=\"num repeat\">66.7 %</td>"))
        // Time between purchases: c1 (2025-01-10 → 06-10: 151 days ÷ 2 = 75.5), c2 (19 days ÷ 1): mean 47.25.
        #expect(m.timeBetweenPurchases.meanDays == 47.25)
        #expect(page.contains("<td class=\"num gap\">47.3</td>"))
        #expect(page.contains("<td class=\"num returns\">0.0 %</td>"))

        // CLV with every input overridden: 300 × 2 × 3 = 1,800 DKK; at 50 % margin 900; ÷ CAC 100 = 18.
        let clv = try reports.clv()
        #expect(clv.clv == Money(minorUnits: 180_000, currency: ServerFixture.dkk))
        #expect(page.contains("<td class=\"num clv\"><strong>1,800.00 DKK</strong></td>"))
        #expect(page.contains("<td class=\"num affordable\">900.00 DKK</td>"))
        #expect(page.contains("<td class=\"num ratio\">18.00</td>"))
        #expect(page.contains("meets CLV ≥ 3 × CAC"))
        // The calculator keeps the inputs and the period.
        #expect(page.contains("name=\"orderValue\" inputmode=\"decimal\" value=\"300\""))
        #expect(page.contains("<input type=\"hidden\" name=\"from\" value=\"2025-03-01\">"))

        // Cohorts 2025-01 … 2025-12 as of 2025-12-31: 12 + 11 + … + 1 = 78 cells.
        let cohorts = try reports.cohorts()
        #expect(cohorts.cohorts.reduce(0) { $0 + $1.cells.count } == 78)
        #expect(BehaviourFixture.count("<td class=\"num cohort-cell\"", in: page) == 78)
        // The January cohort is c1 alone, back in March: 100 %, darkest background.
        #expect(cohorts.cohorts[0].cells[2].retention == 1)
        #expect(page.contains("<th scope=\"row\">2025-01</th><td class=\"num\">1</td><td class=\"num cohort-cell\" style=\"background:#0b5cad;color:#ffffff\""))
        // LTV curves: one line per cohort with customers (2025-01 c1, 02 c2, 05 c3, 07 c4).
        #expect(BehaviourFixture.count("<polyline class=\"ltv\"", in: page) == 4)
        // c1's cumulative revenue: 100 (Jan), 300 after March, 600 after June.
        #expect(page.contains("<title>2025-01: 100.00 DKK, 100.00 DKK, 300.00 DKK, 300.00 DKK, 300.00 DKK, 600.00 DKK, 600.00 DKK"))
    }
}

@Test func theRetentionPageEscapesItsInputsAndRefusesBadOnes() async throws {
    try await ServerFixture.withClient { client, _ in
        let (status, _, page) = try await ServerFixture.get(client, "/retention?asOf=2025-12-31&country=%3Cb%3Ex")
        #expect(status == .ok)
        #expect(!page.contains("<b>x"))
        #expect(page.contains("value=\"&lt;b&gt;x\""))
        let (bad, type, badPage) = try await ServerFixture.get(client, "/retention?orderValue=lots")
        #expect(bad == .badRequest)
        #expect(type.hasPrefix("text/html"))
        #expect(badPage.contains("orderValue"))
        let (compare, _, _) = try await ServerFixture.get(client, "/retention?compare=previous")
        #expect(compare == .badRequest)
    }
}
