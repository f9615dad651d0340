import Testing
@testable import ClienteleCore

/// METRICS.md, "Purchase cycles": gaps between a customer's consecutive orders with a product, the median
/// (even count: mean of the middle two), the reminder at max(median − 7 days, median ÷ 2), and the list of
/// customers due; every expected value counted by hand.
@Suite struct PurchaseCyclesTests {
    typealias F = Fixture

    static func lines(_ products: String...) -> [OrderLine] {
        products.map { OrderLine(productId: $0, productName: "Name " + $0, quantity: 1, unitPrice: 1_000) }
    }

    @Test(arguments: [
        (30.0, 23.0),   // 30 − 7 = 23 > 15
        (14.0, 7.0),    // 14 − 7 = 7 = 14 ÷ 2
        (10.0, 5.0),    // 10 − 7 = 3 < 5: never earlier than half the cycle
        (17.0, 10.0),
        (0.0, 0.0),
    ])
    func theReminderFallsAWeekBeforeTheCycleButNotBeforeHalfOfIt(median: Double, reminder: Double) {
        #expect(PurchaseCycles.reminderAfterDays(medianDays: median) == reminder)
    }

    @Test func theCycleIsTheMedianGapAndAnEvenCountTakesTheMeanOfTheMiddleTwo() {
        let orders = [
            // X buys P on days 0, 10 and 30 (gaps 10 and 20); the order on day 5 without P does not break the gap.
            F.order("x1", "2025-01-01T08:00:00Z", customer: "X", lines: Self.lines("P")),
            F.order("x2", "2025-01-06T08:00:00Z", customer: "X", lines: Self.lines("Q")),
            F.order("x3", "2025-01-11T08:00:00Z", customer: "X", lines: Self.lines("P", "Q")),
            F.order("x4", "2025-01-31T08:00:00Z", customer: "X", lines: Self.lines("P")),
            // Y: P on two lines of one order (counts once: no zero gap), again 14 days later (gap 14).
            F.order("y1", "2025-02-01T12:00:00Z", customer: "Y", lines: Self.lines("P", "P")),
            F.order("y2", "2025-02-15T12:00:00Z", customer: "Y", lines: Self.lines("P")),
            // Z (an e-mail customer): gap 40 days and 12 hours = 40.5.
            F.order("z1", "2025-03-01T00:00:00Z", email: "z@shop.dk", lines: Self.lines("P")),
            F.order("z2", "2025-04-10T12:00:00Z", email: "z@shop.dk", lines: Self.lines("P")),
            // Anonymous orders, cancelled orders and orders after the as-of date make no gaps.
            F.order("a1", "2025-01-01T08:00:00Z", lines: Self.lines("P")),
            F.order("a2", "2025-01-02T08:00:00Z", lines: Self.lines("P")),
            F.order("y3", "2025-02-20T12:00:00Z", customer: "Y", cancelled: true, lines: Self.lines("P")),
            F.order("x5", "2025-05-01T08:00:00Z", customer: "X", lines: Self.lines("P")),
        ]
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let c = PurchaseCycles.compute(snapshot: snapshot, asOf: F.date("2025-04-30"), timeZone: "UTC", minGaps: 1)
        // P: gaps 10, 20, 14, 40.5 → sorted 10, 14, 20, 40.5 → median (14 + 20) / 2 = 17; reminder max(10, 8.5) = 10.
        // Q: one gap, x2 → x3 = 5 days → median 5, reminder max(−2, 2.5) = 2.5.
        #expect(c.products.map(\.productId) == ["P", "Q"])
        #expect(c.products[0].gaps == 4 && c.products[0].customers == 3)
        #expect(c.products[0].medianDays == 17)
        #expect(c.products[0].reminderAfterDays == 10)
        #expect(c.products[1].gaps == 1 && c.products[1].medianDays == 5 && c.products[1].reminderAfterDays == 2.5)
        #expect(c.productsWithGaps == 2)
        // Orders up to and including the as-of day: with as-of 2025-04-10, z2 (12:00 that day) still counts.
        let sameDay = PurchaseCycles.compute(snapshot: snapshot, asOf: F.date("2025-04-10"), timeZone: "UTC", minGaps: 1)
        #expect(sameDay.products[0].gaps == 4)
        // As of 2025-04-09 z2 is in the future: gaps 10, 14, 20 → odd count, median 14, reminder 7.
        let before = PurchaseCycles.compute(snapshot: snapshot, asOf: F.date("2025-04-09"), timeZone: "UTC", minGaps: 1)
        #expect(before.products[0].gaps == 3 && before.products[0].medianDays == 14 && before.products[0].reminderAfterDays == 7)
        // Min gaps 2 drops Q (one gap).
        let strict = PurchaseCycles.compute(snapshot: snapshot, asOf: F.date("2025-04-30"), timeZone: "UTC", minGaps: 2)
        #expect(strict.products.map(\.productId) == ["P"])
        #expect(strict.productsWithGaps == 2)
    }

    @Test func productsAreListedByGapsThenIdAndRendered() {
        let orders = [
            F.order("1", "2025-01-01T00:00:00Z", customer: "X", lines: Self.lines("B", "A")),
            F.order("2", "2025-01-03T00:00:00Z", customer: "X", lines: Self.lines("B", "A")),
        ]
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let c = PurchaseCycles.compute(snapshot: snapshot, asOf: F.date("2025-01-31"), timeZone: "UTC", minGaps: 1)
        // One gap of 2 days each: tie on gaps, A before B; reminder max(−5, 1) = 1.
        #expect(c.products.map(\.productId) == ["A", "B"])
        #expect(c.csv() == "rank,product_id,name,gaps,customers,median_days,reminder_after_days\r\n"
            + "1,A,Name A,1,1,2.0,1.0\r\n2,B,Name B,1,1,2.0,1.0\r\n")
        #expect(c.json().contains("\"medianDays\": 2.0"))
        #expect(c.table(shopName: "Shop", locale: "en_US").contains("Name A"))
    }

    // MARK: Customers due for a reminder

    /// Product P with gaps 20 (A), 20 (B), 11 (E) as of 2025-06-10 → median 20, reminder after 13 days.
    static let dueShop: [Order] = [
        // A: last purchase 2025-05-21 10:00 → due 2025-06-03, before the window.
        F.order("a1", "2025-05-01T10:00:00Z", customer: "A", email: "a@shop.dk", lines: lines("P")),
        F.order("a2", "2025-05-21T10:00:00Z", customer: "A", email: "a@shop.dk", lines: lines("P")),
        // B: last purchase 2025-05-28 12:00 → due 2025-06-10 12:00: the window's first day. Their latest
        // e-mail is the new one on an order without P.
        F.order("b1", "2025-05-08T12:00:00Z", customer: "B", email: "b@shop.dk", lines: lines("P")),
        F.order("b2", "2025-05-28T12:00:00Z", customer: "B", email: "b@shop.dk", lines: lines("P")),
        F.order("b3", "2025-06-01T12:00:00Z", customer: "B", email: "b.new@shop.dk", lines: lines("Q")),
        // C: one purchase 2025-06-03 09:00 → due 2025-06-16 09:00: the window's last day (as-of + 6).
        F.order("c1", "2025-06-03T09:00:00Z", customer: "C", email: "c@shop.dk", lines: lines("P")),
        // D: one purchase 2025-06-04 00:00 → due 2025-06-17 00:00: the day after the window.
        F.order("d1", "2025-06-04T00:00:00Z", customer: "D", email: "d@shop.dk", lines: lines("P")),
        // E: would be due 2025-06-11 from 2025-05-29, but bought P again on 2025-06-09 → due 2025-06-22.
        F.order("e1", "2025-05-29T08:00:00Z", customer: "E", email: "e@shop.dk", lines: lines("P")),
        F.order("e2", "2025-06-09T08:00:00Z", customer: "E", email: "e@shop.dk", lines: lines("P")),
        // F: bought P 2025-05-30 → due 2025-06-12; the order on 2025-06-11 is after the as-of date (not seen yet).
        F.order("f1", "2025-05-30T06:00:00Z", customer: "F", lines: lines("P")),
        F.order("f2", "2025-06-11T06:00:00Z", customer: "F", lines: lines("P")),
        // Anonymous buyers are never due.
        F.order("n1", "2025-05-30T06:00:00Z", lines: lines("P")),
    ]

    @Test func customersAreDueWhenLastPurchasePlusTheReminderFallsInTheWindow() {
        let snapshot = ShopSnapshot(orders: Self.dueShop, calendar: .utc, currency: F.dkk)
        let due = DueReminders.compute(snapshot: snapshot, asOf: F.date("2025-06-10"), withinDays: 7, calendar: .utc, minGaps: 2)
        #expect(due.cycles.products.map(\.medianDays) == [20])
        #expect(due.cycles.products.map(\.reminderAfterDays) == [13])
        // Due dates: B 06-10, F 06-12, C 06-16; A (06-03), D (06-17) and E (06-22) are outside [06-10, 06-17).
        #expect(due.reminders.map(\.customer) == ["B", "F", "C"])
        #expect(due.reminders.map(\.dueDate) == [F.date("2025-06-10"), F.date("2025-06-12"), F.date("2025-06-16")])
        #expect(due.reminders.map(\.email) == ["b.new@shop.dk", nil, "c@shop.dk"])
        #expect(due.reminders.map(\.lastOrderId) == ["b2", "f1", "c1"])
        #expect(due.reminders.map(\.purchases) == [2, 1, 1])
        #expect(due.reminders[0].lastPurchaseText == "2025-05-28T12:00:00+00:00")
        #expect(due.lastDay == F.date("2025-06-16"))
        // A one-day window holds only B.
        let today = DueReminders.compute(snapshot: snapshot, asOf: F.date("2025-06-10"), withinDays: 1, calendar: .utc, minGaps: 2)
        #expect(today.reminders.map(\.customer) == ["B"])
        let csv = due.csv()
        #expect(csv.hasPrefix("customer,email,product_id,product_name,last_order_id,last_purchase,due_date,purchases,cycle_days,reminder_after_days\r\n"
            + "B,b.new@shop.dk,P,Name P,b2,2025-05-28T12:00:00+00:00,2025-06-10,2,20.0,13.0\r\n"))
        #expect(csv.contains("\r\nF,,P,Name P,f1,"))
    }

    @Test func theDueDateIsTheShopDateOfTheReminderInstant() {
        // Copenhagen: one gap of exactly 20 days between two purchases at 23:30 local time (21:30 UTC in
        // summer); reminder 13 days after 2025-06-20 23:30 +02:00 = 2025-07-03 23:30 +02:00, a 3 July reminder
        // (in UTC it would be 21:30 on 3 July as well, but a purchase at 00:30 local on 21 June is 22:30 UTC on
        // 20 June: its reminder is due 4 July in shop time).
        let orders = [
            F.order("1", "2025-05-31T21:30:00Z", customer: "A", lines: Self.lines("P")),
            F.order("2", "2025-06-20T21:30:00Z", customer: "A", lines: Self.lines("P")),
            F.order("3", "2025-06-20T22:30:00Z", customer: "B", lines: Self.lines("P")),
        ]
        let snapshot = ShopSnapshot(orders: orders, calendar: F.copenhagen, currency: F.dkk)
        let due = DueReminders.compute(snapshot: snapshot, asOf: F.date("2025-07-01"), withinDays: 7, calendar: F.copenhagen, minGaps: 1)
        #expect(due.reminders.map(\.customer) == ["A", "B"])
        #expect(due.reminders.map(\.dueDate) == [F.date("2025-07-03"), F.date("2025-07-04")])
    }
}
