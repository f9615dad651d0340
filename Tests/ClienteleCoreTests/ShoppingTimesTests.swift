import Testing
@testable import ClienteleCore

/// METRICS.md, "When customers shop": hour, weekday, month and year in the shop's time zone, counted by
/// hand on written-out orders.
@Suite struct ShoppingTimesTests {
    typealias F = Fixture

    static func line(_ p: String = "P1") -> [OrderLine] { [OrderLine(productId: p, quantity: 1, unitPrice: 100)] }

    @Test func hoursAndWeekdaysAreTakenInShopTimeAcrossDaylightSavingChanges() {
        let orders = [
            // 2025-03-30 is a Sunday; Copenhagen moves from +01:00 to +02:00 at 01:00 UTC.
            F.order("1", "2025-03-29T23:30:00Z", customer: "A", total: "10.00"),   // 00:30 +01:00 Sunday → Sun 00
            F.order("2", "2025-03-30T01:30:00Z", customer: "A", total: "20.00"),   // 03:30 +02:00 Sunday → Sun 03 (not 02)
            // 2025-10-26 is a Sunday; Copenhagen moves back to +01:00 at 01:00 UTC, 02:00–03:00 happens twice.
            F.order("3", "2025-10-25T22:30:00Z", customer: "B", total: "30.00"),   // 00:30 +02:00 Sunday (Saturday in UTC) → Sun 00
            F.order("4", "2025-10-26T00:30:00Z", customer: "B", total: "40.00"),   // 02:30 +02:00 → Sun 02
            F.order("5", "2025-10-26T01:30:00Z", total: "50.00"),                  // 02:30 +01:00 (anonymous) → Sun 02
            F.order("6", "2025-07-14T21:59:59Z", customer: "A", total: "60.00"),   // 23:59:59 +02:00 Monday → Mon 23
            F.order("7", "2024-12-31T23:30:00Z", customer: "C", total: "70.00"),   // 00:30 1 Jan 2025 (Wednesday) → Wed 00
            F.order("8", "2025-05-01T10:00:00Z", customer: "C", total: "80.00", cancelled: true),  // cancelled: nowhere
            F.order("9", "2024-12-31T22:30:00Z", customer: "C", total: "90.00"),   // 23:30 on 31 Dec 2024: before P
        ]
        let snapshot = ShopSnapshot(orders: orders, calendar: F.copenhagen, currency: F.dkk)
        let t = ShoppingTimes.compute(snapshot: snapshot, period: Period(from: F.date("2025-01-01"), through: F.date("2025-12-31")),
                                      asOf: F.date("2025-12-31"), currency: F.dkk, timeZone: "Europe/Copenhagen")
        // Orders 1–7 (8 is cancelled, 9 is on 31 December 2024 in Copenhagen).
        #expect(t.orders == 7)
        #expect(t.revenue == F.money(28_000))   // 10 + 20 + 30 + 40 + 50 + 60 + 70
        #expect(t.slot(weekday: 7, hour: 0).orders == 2)          // 1 and 3
        #expect(t.slot(weekday: 7, hour: 0).revenue == F.money(4_000))
        #expect(t.slot(weekday: 7, hour: 3).orders == 1)          // 2
        #expect(t.slot(weekday: 7, hour: 2).orders == 2)          // 4 and 5: both at 02:30 wall-clock time
        #expect(t.slot(weekday: 7, hour: 2).revenue == F.money(9_000))
        #expect(t.slot(weekday: 6, hour: 22).orders == 0)         // 3 is not Saturday 22:30 (its UTC time)
        #expect(t.slot(weekday: 1, hour: 23).orders == 1)         // 6
        #expect(t.slot(weekday: 3, hour: 0).orders == 1)          // 7
        #expect(t.grid.map(\.orders).reduce(0, +) == 7)
        // Weekdays: Sunday 1, 2, 3, 4, 5 = 5 orders, Monday 6, Wednesday 7.
        #expect(t.weekdays.map(\.orders) == [1, 0, 1, 0, 0, 0, 5])
        #expect(t.hours[0].orders == 3 && t.hours[2].orders == 2 && t.hours[3].orders == 1 && t.hours[23].orders == 1)
        // Months in shop time: January (7), March (1, 2), July (6), October (3, 4, 5).
        #expect(t.monthsOfYear.map(\.orders) == [1, 0, 2, 0, 0, 0, 1, 0, 0, 3, 0, 0])
        #expect(t.monthsOfYear[9].revenue == F.money(12_000))
        #expect(t.years.map(\.year) == [2025])
        #expect(t.years.map(\.orders) == [7])
    }

    @Test func monthsOfYearAddUpAcrossYearsAndYearsAreListedSeparately() {
        let orders = [
            F.order("1", "2023-06-10T12:00:00Z", customer: "A", total: "1.00"),
            F.order("2", "2024-06-10T12:00:00Z", customer: "A", total: "2.00"),
            F.order("3", "2024-12-10T12:00:00Z", customer: "A", total: "4.00"),
        ]
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let t = ShoppingTimes.compute(snapshot: snapshot, period: Period(from: F.date("2023-01-01"), through: F.date("2024-12-31")),
                                      asOf: F.date("2024-12-31"), currency: F.dkk, timeZone: "UTC")
        // June twice (2023 and 2024), December once.
        #expect(t.monthsOfYear[5].orders == 2 && t.monthsOfYear[5].revenue == F.money(300))
        #expect(t.monthsOfYear[11].orders == 1)
        #expect(t.years.map(\.year) == [2023, 2024])
        #expect(t.years.map(\.orders) == [1, 2])
        #expect(t.years.map(\.revenue) == [F.money(100), F.money(600)])
    }

    @Test func aCustomerMaskKeepsOnlyThoseCustomersOrdersAndNoAnonymousOnes() {
        let orders = [
            F.order("1", "2025-01-06T09:15:00Z", customer: "A", total: "500.00"),   // Monday 09
            F.order("2", "2025-01-07T10:15:00Z", customer: "A", total: "500.00"),   // Tuesday 10
            F.order("3", "2025-01-08T11:15:00Z", customer: "B", total: "100.00"),   // Wednesday 11
            F.order("4", "2025-01-09T12:15:00Z", total: "900.00"),                  // anonymous
        ]
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let period = Period(from: F.date("2025-01-01"), through: F.date("2025-01-31"))
        // Top 1 by revenue: A (1000.00) before B (100.00); anonymous orders are no customer's.
        let mask = BestSellers.topCustomerMask(snapshot: snapshot, period: period, count: 1)
        #expect(mask == [true, false])
        let t = ShoppingTimes.compute(snapshot: snapshot, period: period, asOf: F.date("2025-01-31"), currency: F.dkk,
                                      timeZone: "UTC", customers: mask, audience: "top 1")
        #expect(t.orders == 2)
        #expect(t.revenue == F.money(100_000))
        #expect(t.slot(weekday: 1, hour: 9).orders == 1 && t.slot(weekday: 2, hour: 10).orders == 1)
        #expect(t.slot(weekday: 4, hour: 12).orders == 0)
        #expect(t.audience == "top 1")
        // Without a mask every order counts, the anonymous one included.
        let all = ShoppingTimes.compute(snapshot: snapshot, period: period, asOf: F.date("2025-01-31"), currency: F.dkk, timeZone: "UTC")
        #expect(all.orders == 4)
        #expect(all.slot(weekday: 4, hour: 12).orders == 1)
    }

    @Test func renderingsShowTheGridAndTheTotals() {
        let orders = [F.order("1", "2025-01-06T09:15:00Z", customer: "A", total: "12.50")]
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let t = ShoppingTimes.compute(snapshot: snapshot, period: Period(from: F.date("2025-01-01"), through: F.date("2025-01-31")),
                                      asOf: F.date("2025-01-31"), currency: F.dkk, timeZone: "UTC")
        let table = t.table(shopName: "Shop", locale: "en_US")
        // Monday's row has the full shade at hour 9 (the 10th cell) and dots elsewhere.
        let monday = table.split(separator: "\n").first { $0.hasPrefix("Mon ") }!
        #expect(monday == "Mon " + String(repeating: " ··", count: 9) + " ██" + String(repeating: " ··", count: 14))
        let csv = t.csv()
        #expect(csv.hasPrefix("weekday,hour,orders,revenue\r\nMon,0,0,0.00\r\n"))
        #expect(csv.contains("\r\nMon,9,1,12.50\r\n"))
        #expect(csv.split(separator: "\r\n").count == 169)
        let json = t.json()
        #expect(json.contains("\"orders\": [\n      [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0"))   // Monday 09
    }
}
