import Testing
@testable import ClienteleCore

/// The weekly numbers sheet, computed by hand on a small shop (DKK, UTC).
///
/// Week 2026-W47 is Monday 16 – Sunday 22 November 2026; the week before is 9–15 November; 52 weeks earlier is
/// 2025-W47, 17–23 November 2025 (dates checked with Python's `date.fromisocalendar`).
/// - c1: 2026-01-05 100 kr (P1), 2026-11-17 200 kr (P1) → in W47, returning.
/// - c2: 2026-11-18 300 kr (P2), 2026-11-20 150 kr (P1) → in W47, new, two orders.
/// - c3: 2026-11-10 50 kr (P3) → the week before, new.
/// - c4: 2025-11-18 70 kr (P3) → 2025-W47, new.
/// - anonymous: 2026-11-21 40 kr (P3) → W47.
/// W47: orders 4, revenue 200 + 300 + 150 + 40 = 690 kr, average 690 ÷ 4 = 172.50 kr, customers 2 (1 new,
/// 1 returning), repeat rate 1 ÷ 2 (c2 has two orders in the week). Previous week: 1 order, 50 kr, 1 new
/// customer, repeat rate 0. 2025-W47: 1 order, 70 kr. Revenue change: (690 − 50) ÷ 50 = 12.8 and
/// (690 − 70) ÷ 70 = 8.857…. Best sellers of W47 by revenue: P1 200 + 150 = 350, P2 300, P3 40. Top customers
/// of the 364 days 2025-11-24 … 2026-11-22: c2 450, c1 300, c3 50 (c4's order is before the window).
@Suite struct WeeklySummaryTests {
    static func line(_ product: String, _ kroner: Int64) -> [OrderLine] {
        [OrderLine(productId: product, productName: "Product \(product)", quantity: 1, unitPrice: kroner * 100)]
    }

    static let orders: [Order] = [
        Fixture.order("a1", "2026-01-05T10:00:00Z", customer: "c1", total: "100.00", lines: line("P1", 100)),
        Fixture.order("a2", "2026-11-17T10:00:00Z", customer: "c1", total: "200.00", lines: line("P1", 200)),
        Fixture.order("b1", "2026-11-18T10:00:00Z", customer: "c2", total: "300.00", lines: line("P2", 300)),
        Fixture.order("b2", "2026-11-20T23:59:59Z", customer: "c2", total: "150.00", lines: line("P1", 150)),
        Fixture.order("c1", "2026-11-10T10:00:00Z", customer: "c3", total: "50.00", lines: line("P3", 50)),
        Fixture.order("d1", "2025-11-18T10:00:00Z", customer: "c4", total: "70.00", lines: line("P3", 70)),
        Fixture.order("x1", "2026-11-21T10:00:00Z", total: "40.00", lines: line("P3", 40)),
        // Outside every week looked at: the Monday after W47.
        Fixture.order("e1", "2026-11-23T00:00:00Z", customer: "c5", total: "999.00", lines: line("P9", 999)),
    ]

    static func summary() -> WeeklySummary {
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: Fixture.dkk)
        return WeeklySummary.compute(snapshot: snapshot, week: WeeklySummary.Week(iso: "2026-W47")!, thresholds: .init(),
                                     currency: Fixture.dkk, timeZone: "UTC")
    }

    @Test func theWeeksFigures() {
        let s = Self.summary()
        #expect(s.week.week.description == "2026-W47")
        #expect(s.week.orders == 4)
        #expect(s.week.revenue == Fixture.money(69_000))
        #expect(s.week.averageOrderValue == Fixture.money(17_250))
        #expect(s.week.customers == 2)
        #expect(s.week.newCustomers == 1)
        #expect(s.week.returningCustomers == 1)
        #expect(s.week.repeatRate == 0.5)
    }

    @Test func thePreviousWeekAndTheSameWeekLastYear() {
        let s = Self.summary()
        #expect(s.previousWeek.week.monday == Fixture.date("2026-11-09"))
        #expect(s.previousWeek.orders == 1)
        #expect(s.previousWeek.revenue == Fixture.money(5_000))
        #expect(s.previousWeek.newCustomers == 1)
        #expect(s.previousWeek.repeatRate == 0)
        #expect(s.lastYear.week.description == "2025-W47")
        #expect(s.lastYear.week.monday == Fixture.date("2025-11-17"))
        #expect(s.lastYear.revenue == Fixture.money(7_000))
        #expect(s.lastYear.customers == 1)
    }

    @Test func theRowsCarryTheChanges() throws {
        let rows = Self.summary().rows
        #expect(rows.map(\.figure) == ["Revenue", "Orders", "Average order value", "Customers", "New customers",
                                       "Returning customers", "Repeat rate", "Active customers (week end)"])
        let revenue = rows[0]
        #expect(try #require(revenue.changes[0]) == 12.8)
        #expect(abs(try #require(revenue.changes[1]) - 620.0 / 70.0) < 1e-12)
        // Repeat rate: 50 % against 0 % the week before is +50 percentage points (a rate changes in points).
        #expect(rows[6].isRate && !rows[0].isRate)
        #expect(rows[6].changes[0] == 0.5)
        // New customers: 1 against 1 the week before: +0 %.
        #expect(rows[4].changes[0] == 0)
    }

    @Test func theListsOfTheWeek() {
        let s = Self.summary()
        #expect(s.topProducts.map(\.productId) == ["P1", "P2", "P3"])
        #expect(s.topProducts.map(\.revenue.minorUnits) == [35_000, 30_000, 4_000])
        #expect(s.topCustomers.map(\.customer) == ["c2", "c1", "c3"])
        #expect(s.topCustomers.map(\.revenue.minorUnits) == [45_000, 30_000, 5_000])
    }

    @Test(arguments: [
        ("2026-W47", "2026-11-16"), ("2026w47", "2026-11-16"), ("2020-W53", "2020-12-28"), ("2027-W01", "2027-01-04"),
        ("2026-W1", "2025-12-29"),
    ])
    func isoWeeksParse(text: String, monday: String) throws {
        #expect(try #require(WeeklySummary.Week(iso: text)).monday == Fixture.date(monday))
    }

    @Test(arguments: ["2021-W53", "2026-W00", "2026-W54", "26-W01", "2026-47", "", "W47", "2026-W4x"])
    func badWeeksAreRefused(text: String) {
        #expect(WeeklySummary.Week(iso: text) == nil)
    }

    @Test func theWeekHoldingADateAndTheLastCompleteWeek() {
        // 2021-01-03 (a Sunday) is in 2020-W53; 2026-11-24 (a Tuesday) in 2026-W48.
        #expect(WeeklySummary.Week(containing: Fixture.date("2021-01-03")).description == "2020-W53")
        #expect(WeeklySummary.Week(containing: Fixture.date("2026-11-24")).description == "2026-W48")
        #expect(WeeklySummary.Week.lastComplete(before: Fixture.date("2026-11-24")).description == "2026-W47")
        #expect(WeeklySummary.Week.lastComplete(before: Fixture.date("2026-11-23")).description == "2026-W47")
        // On a Sunday the week is not over yet.
        #expect(WeeklySummary.Week.lastComplete(before: Fixture.date("2026-11-22")).description == "2026-W46")
    }
}
