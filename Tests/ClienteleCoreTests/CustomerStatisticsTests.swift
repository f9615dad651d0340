import Testing
@testable import ClienteleCore

/// METRICS.md, "Customer statistics page": one test per figure on small written-out shops, expected
/// values counted by hand (the comment above each expectation says how).
@Suite struct CustomerStatisticsTests {
    typealias F = Fixture

    // MARK: Totals

    @Test func totalsCountNonCancelledOrdersInThePeriodAnonymousIncluded() {
        let orders = [
            F.order("1", "2025-01-05T10:00:00Z", customer: "A", total: "100.00", refunded: "20.00"),
            F.order("2", "2025-01-10T10:00:00Z", customer: "A", total: "50.00"),
            F.order("3", "2025-01-07T10:00:00Z", total: "30.00", refunded: "5.00"),                  // anonymous
            F.order("4", "2025-01-08T10:00:00Z", customer: "B", total: "999.00", cancelled: true),  // excluded
            F.order("5", "2024-12-31T23:59:59Z", customer: "A", total: "70.00"),                    // before P
            F.order("6", "2025-02-01T00:00:00Z", customer: "B", total: "80.00"),                    // P's end is exclusive
        ]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        // Orders 1, 2, 3 are in January; 4 is cancelled.
        #expect(s.totals.orders == 3)
        #expect(s.totals.anonymousOrders == 1)
        #expect(s.totals.cancelledOrders == 1)
        // 100.00 + 50.00 + 30.00 = 180.00; refunds 20.00 + 5.00 → net 155.00.
        #expect(s.totals.revenue == F.money(18_000))
        #expect(s.totals.netRevenue == F.money(15_500))
        // Identified: 100.00 + 50.00.
        #expect(s.totals.identifiedRevenue == F.money(15_000))
    }

    // MARK: Unique customers and repeat rate

    @Test func uniqueCustomersCountDistinctCustomersWithAnOrderInThePeriod() {
        let orders = [
            F.order("1", "2025-01-02T10:00:00Z", customer: "A"),
            F.order("2", "2025-01-03T10:00:00Z", customer: "A"),
            F.order("3", "2025-01-04T10:00:00Z", email: "b@shop.dk"),
            F.order("4", "2025-01-05T10:00:00Z"),                       // anonymous: not a customer
            F.order("5", "2024-12-05T10:00:00Z", customer: "C"),        // outside P
        ]
        // A and b@shop.dk.
        #expect(F.stats(orders, from: "2025-01-01", through: "2025-01-31").uniqueCustomers == 2)
    }

    /// 20 customers, `repeaters` of them with two orders: the rate is repeaters ÷ 20, coloured green at
    /// ≥ 30 %, yellow at ≥ 15 %, else red.
    @Test(arguments: [(6, 0.30, Colour.green), (7, 0.35, .green), (5, 0.25, .yellow), (3, 0.15, .yellow), (2, 0.10, .red), (0, 0.0, .red)])
    func repeatRateIsRepeatCustomersOverUniqueCustomersWithItsColour(repeaters: Int, rate: Double, colour: Colour) {
        var orders: [Order] = []
        for c in 0..<20 {
            orders.append(F.order("a\(c)", "2025-01-02T10:00:00Z", customer: "C\(c)"))
            if c < repeaters { orders.append(F.order("b\(c)", "2025-01-20T10:00:00Z", customer: "C\(c)")) }
        }
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        #expect(s.uniqueCustomers == 20)
        #expect(s.summary.repeatCustomers == repeaters)
        #expect(s.repeatRate == rate)
        #expect(s.repeatRateColour == colour)
    }

    @Test func repeatRateThresholdsComeFromTheSettings() {
        var t = ShopSettings.Thresholds()
        t.repeatRateGreen = 0.5
        t.repeatRateYellow = 0.4
        let orders = [F.order("1", "2025-01-02T10:00:00Z", customer: "A"), F.order("2", "2025-01-03T10:00:00Z", customer: "A"),
                      F.order("3", "2025-01-02T10:00:00Z", customer: "B"), F.order("4", "2025-01-02T10:00:00Z", customer: "C")]
        // 1 of 3 = 33 %: green by default, red with these thresholds.
        #expect(F.stats(orders, from: "2025-01-01", through: "2025-01-31").repeatRateColour == .green)
        #expect(F.stats(orders, from: "2025-01-01", through: "2025-01-31", thresholds: t).repeatRateColour == .red)
    }

    // MARK: Average CLV

    @Test func averageCLVIsIdentifiedRevenueOverUniqueCustomersRoundedHalfAwayFromZero() {
        let orders = [
            F.order("1", "2025-01-02T10:00:00Z", customer: "A", total: "100.00"),
            F.order("2", "2025-01-03T10:00:00Z", customer: "A", total: "50.00"),
            F.order("3", "2025-01-04T10:00:00Z", customer: "B", total: "0.01"),
            F.order("4", "2025-01-05T10:00:00Z", total: "1000.00"),               // anonymous: not in CLV
            F.order("5", "2025-01-06T10:00:00Z", customer: "B", total: "500.00", cancelled: true),
        ]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        // (15 000 + 1) øre ÷ 2 customers = 7 500.5 øre → 7 501 øre = 75.01 (half away from zero).
        #expect(s.averageCLV == F.money(7_501))
        #expect(s.averageCLV?.decimalString == "75.01")
    }

    @Test func moneyQuotientsRoundHalvesAwayFromZero() {
        #expect(Money.roundedQuotient(5, 2) == 3)        // 2.5 → 3
        #expect(Money.roundedQuotient(-5, 2) == -3)      // −2.5 → −3
        #expect(Money.roundedQuotient(7, 3) == 2)        // 2.33 → 2
        #expect(Money.roundedQuotient(8, 3) == 3)        // 2.67 → 3
        #expect(Money.roundedQuotient(1, 0) == nil)      // an average over nothing
        // The acceptance shop: 790 923.23 DKK over 545 customers = 1 451.235284 → 1 451.24.
        #expect(Money.roundedQuotient(79_092_323, 545) == 145_124)
    }

    @Test func averagesRoundToTheCurrencysMinorUnit() {
        // JPY has no minor unit: 101 + 100 yen over 2 customers = 100.5 → 101.
        let orders = [F.order("1", "2025-01-02T10:00:00Z", customer: "A", total: "101", currency: F.jpy),
                      F.order("2", "2025-01-02T11:00:00Z", customer: "B", total: "100", currency: F.jpy)]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31", currency: F.jpy)
        #expect(s.averageCLV?.decimalString == "101")
        #expect(s.totals.revenue.decimalString == "201")
    }

    // MARK: Average time between first and second order

    @Test func averageDaysBetweenFirstAndSecondOrderUsesTheFirstTwoOrdersInThePeriod() {
        let orders = [
            F.order("0", "2024-12-20T00:00:00Z", customer: "A"),   // before P: ignored
            F.order("1", "2025-01-01T00:00:00Z", customer: "A"),
            F.order("2", "2025-01-02T12:00:00Z", customer: "A"),   // 1.5 days after the first in P
            F.order("3", "2025-01-25T00:00:00Z", customer: "A"),   // third: ignored
            F.order("4", "2025-01-10T00:00:00Z", customer: "B"),
            F.order("5", "2025-01-13T00:00:00Z", customer: "B"),   // 3 days
            F.order("6", "2025-01-13T00:00:00Z", customer: "C"),   // one order: not in the mean
        ]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        // (1.5 + 3) ÷ 2 = 2.25.
        #expect(s.averageDaysBetweenFirstAndSecondOrder == 2.25)
    }

    @Test func daysAreElapsedSecondsOver86400AcrossADaylightSavingChange() {
        // Copenhagen moves to summer time on 2025-03-30: 2025-03-29 12:00+01:00 → 2025-03-30 12:00+02:00 is
        // 23 hours of elapsed time = 23 ÷ 24 days, not one calendar day.
        let orders = [F.order("1", "2025-03-29T12:00:00+01:00", customer: "A"),
                      F.order("2", "2025-03-30T12:00:00+02:00", customer: "A")]
        let s = F.stats(orders, from: "2025-03-01", through: "2025-03-31", calendar: F.copenhagen)
        #expect(s.averageDaysBetweenFirstAndSecondOrder == 23.0 / 24.0)
    }

    // MARK: Segments

    @Test func segmentsSplitCustomersByOrdersInThePeriod() {
        // Customers with 1, 2, 3, 4 and 5 orders of 10.00 each, plus one anonymous order of 100.00.
        var orders: [Order] = []
        for (c, n) in [("A", 1), ("B", 2), ("C", 3), ("D", 4), ("E", 5)] {
            for i in 0..<n { orders.append(F.order("\(c)\(i)", "2025-01-0\(i + 1)T10:00:00Z", customer: c, total: "10.00")) }
        }
        orders.append(F.order("anon", "2025-01-09T10:00:00Z", total: "100.00"))
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        let seg = Dictionary(uniqueKeysWithValues: s.segments.map { ($0.segment, $0) })
        // one-time: A; returning (2–3): B, C; loyal (4+): D, E.
        #expect(s.segments.map(\.segment) == [.oneTime, .returning, .loyal])
        #expect(seg[.oneTime]?.customers == 1)
        #expect(seg[.returning]?.customers == 2)
        #expect(seg[.loyal]?.customers == 2)
        // Shares of C(P) = 5.
        #expect(seg[.oneTime]?.share == 1.0 / 5)
        #expect(seg[.returning]?.share == 2.0 / 5)
        #expect(seg[.loyal]?.share == 2.0 / 5)
        // Revenue: 10.00; (2 + 3) × 10.00 = 50.00; (4 + 5) × 10.00 = 90.00; identified total 150.00.
        #expect(seg[.oneTime]?.revenue == F.money(1_000))
        #expect(seg[.returning]?.revenue == F.money(5_000))
        #expect(seg[.loyal]?.revenue == F.money(9_000))
        #expect(seg[.oneTime]?.revenueShare == 1_000.0 / 15_000)
        #expect(seg[.returning]?.revenueShare == 5_000.0 / 15_000)
        #expect(seg[.loyal]?.revenueShare == 9_000.0 / 15_000)
        // Of all revenue (250.00 with the anonymous order).
        #expect(seg[.loyal]?.revenueShareOfAllOrders == 9_000.0 / 25_000)
    }

    // MARK: New vs returning per month

    @Test func monthsCountNewAndReturningCustomersPerCalendarMonth() {
        let orders = [
            F.order("1", "2024-12-15T10:00:00Z", customer: "Old"),   // first ever, before P
            F.order("2", "2025-01-10T10:00:00Z", customer: "Old"),   // returning in January
            F.order("3", "2025-01-12T10:00:00Z", customer: "New"),   // new in January
            F.order("4", "2025-01-20T10:00:00Z", customer: "New"),   // same month: counted once
            F.order("5", "2025-02-03T10:00:00Z", customer: "New"),   // returning in February
            F.order("6", "2025-02-04T10:00:00Z"),                    // anonymous: not counted
        ]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-03-31")
        #expect(s.months.map(\.label) == ["2025-01", "2025-02", "2025-03"])
        // January: Old (returning) and New (new) → 2 customers, 1 new, 1 returning, share 50 % → green.
        #expect(s.months[0].customers == 2 && s.months[0].new == 1 && s.months[0].returning == 1)
        #expect(s.months[0].returningShare == 0.5 && s.months[0].colour == .green)
        // February: New again → 1 customer, returning.
        #expect(s.months[1].customers == 1 && s.months[1].new == 0 && s.months[1].returning == 1)
        // March: nobody → share null, colour null.
        #expect(s.months[2].customers == 0 && s.months[2].returningShare == nil && s.months[2].colour == nil)
    }

    /// Returning share colours: green ≥ 30 %, red < 15 %, yellow between (20 customers, `returning` of them
    /// with an earlier first order).
    @Test(arguments: [(6, Colour.green), (5, .yellow), (3, .yellow), (2, .red)])
    func monthColourFollowsTheReturningShare(returning: Int, colour: Colour) {
        var orders: [Order] = []
        for c in 0..<20 {
            if c < returning { orders.append(F.order("old\(c)", "2024-06-01T10:00:00Z", customer: "C\(c)")) }
            orders.append(F.order("n\(c)", "2025-01-05T10:00:00Z", customer: "C\(c)"))
        }
        let m = F.stats(orders, from: "2025-01-01", through: "2025-01-31").months[0]
        #expect(m.returning == returning)
        #expect(m.returningShare == Double(returning) / 20)
        #expect(m.colour == colour)
    }

    @Test func monthsOverlappingThePeriodArePartialAtBothEnds() {
        // P = 2024-09-14 … 2024-11-02 touches September, October and November.
        let s = F.stats([], from: "2024-09-14", through: "2024-11-02")
        #expect(s.months.map(\.label) == ["2024-09", "2024-10", "2024-11"])
    }

    // MARK: Top customers

    @Test func topCustomersShowOrdersRevenueAverageAndFirstAndLastOrderInThePeriod() {
        let orders = [
            F.order("0", "2024-12-30T10:00:00+01:00", customer: "K1", email: "old@x.dk", total: "999.00"),  // before P
            F.order("1", "2025-01-05T15:28:20+01:00", customer: "K1", email: " First@X.dk ", total: "100.00"),
            F.order("2", "2025-06-09T12:00:11+02:00", customer: "K1", email: "Latest@X.dk", total: "200.00"),
            F.order("3", "2025-03-01T09:00:00+01:00", customer: "K1", total: "33.33"),
            F.order("4", "2025-02-01T10:00:00+01:00", customer: "K2", email: "k2@x.dk", total: "50.00"),
        ]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-06-30", calendar: F.copenhagen)
        #expect(s.topCustomers.count == 2)
        let t = s.topCustomers[0]
        #expect(t.rank == 1 && t.customer == "K1")
        // The latest order in P is order 2 (June): its e-mail, trimmed and lower-cased.
        #expect(t.email == "latest@x.dk")
        #expect(t.orders == 3)
        // 100.00 + 200.00 + 33.33 = 333.33; ÷ 3 = 111.11.
        #expect(t.revenue == F.money(33_333))
        #expect(t.averageOrderValue == F.money(11_111))
        // Rendered with the shop's offset at each instant: winter +01:00, summer +02:00.
        #expect(t.firstOrderText == "2025-01-05T15:28:20+01:00")
        #expect(t.lastOrderText == "2025-06-09T12:00:11+02:00")
        #expect(s.topCustomers[1].customer == "K2" && s.topCustomers[1].rank == 2)
    }

    @Test func topCustomerEmailIsNilWhenTheLatestOrderInThePeriodHasNone() {
        let orders = [F.order("1", "2025-01-05T10:00:00Z", customer: "K", email: "k@x.dk"),
                      F.order("2", "2025-01-06T10:00:00Z", customer: "K", email: "  ")]
        #expect(F.stats(orders, from: "2025-01-01", through: "2025-01-31").topCustomers[0].email == nil)
    }

    @Test func topCustomerAverageOrderValueRoundsHalfAwayFromZero() {
        // 0.02 + 0.03 = 0.05 over 2 orders = 0.025 → 0.03.
        let orders = [F.order("1", "2025-01-05T10:00:00Z", customer: "K", total: "0.02"),
                      F.order("2", "2025-01-06T10:00:00Z", customer: "K", total: "0.03")]
        #expect(F.stats(orders, from: "2025-01-01", through: "2025-01-31").topCustomers[0].averageOrderValue.decimalString == "0.03")
    }

    @Test func topCustomersBreakRevenueTiesByMoreOrdersThenByKeyInCodePointOrder() {
        // All spend 100.00. "many" has 2 orders; the rest 1. Among those, code-point order:
        // "Z" (U+005A) < "a" (U+0061) < "e\u{301}" (U+0065 U+0301) < "ä" (U+00E4) < "é" (U+00E9).
        // ("é" and "e\u{301}" are canonically equivalent, so Swift's String `==` and `<` would merge them;
        // they are two customers, ordered by code point.)
        let orders = [
            F.order("1", "2025-01-05T10:00:00Z", customer: "é", total: "100.00"),
            F.order("2", "2025-01-05T10:00:00Z", customer: "a", total: "100.00"),
            F.order("3", "2025-01-05T10:00:00Z", customer: "ä", total: "100.00"),
            F.order("4", "2025-01-05T10:00:00Z", customer: "Z", total: "100.00"),
            F.order("5", "2025-01-05T10:00:00Z", customer: "e\u{301}", total: "100.00"),
            F.order("6", "2025-01-05T10:00:00Z", customer: "many", total: "40.00"),
            F.order("7", "2025-01-06T10:00:00Z", customer: "many", total: "60.00"),
            F.order("8", "2025-01-06T10:00:00Z", customer: "rich", total: "100.01"),
        ]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        let keys = s.topCustomers.map { Array($0.customer.unicodeScalars.map(\.value)) }
        let expected: [String] = ["rich", "many", "Z", "a", "e\u{301}", "ä", "é"]
        #expect(keys == expected.map { Array($0.unicodeScalars.map(\.value)) })
        #expect(s.uniqueCustomers == 7)
        #expect(s.topCustomers.map(\.rank) == Array(1...7))
    }

    @Test func topListIsCutAtTheRequestedLength() {
        var orders: [Order] = []
        for c in 0..<30 { orders.append(F.order("\(c)", "2025-01-05T10:00:00Z", customer: "C\(c)", total: "\(c + 1).00")) }
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31", top: 3)
        // Highest totals: C29 (30.00), C28, C27.
        #expect(s.topCustomers.map(\.customer) == ["C29", "C28", "C27"])
        #expect(F.stats(orders, from: "2025-01-01", through: "2025-01-31", top: 0).topCustomers.isEmpty)
        // A long list (sorted in full rather than kept in a short insertion list) agrees.
        let long = F.stats(orders, from: "2025-01-01", through: "2025-01-31", top: 100)
        #expect(long.topCustomers.count == 30 && long.topCustomers.first?.customer == "C29" && long.topCustomers.last?.customer == "C0")
    }

    // MARK: Details that are easy to get wrong

    @Test func anOrderAt2330UTCOnTheLastDayOfAMonthCountsInTheNextShopMonth() {
        // 2024-08-31T23:30Z is 2024-09-01 01:30 in Copenhagen (+02:00) but still August in UTC.
        let orders = [F.order("1", "2024-08-31T23:30:00Z", customer: "A")]
        let cph = F.stats(orders, from: "2024-08-01", through: "2024-09-30", calendar: F.copenhagen)
        #expect(cph.months.map(\.customers) == [0, 1])
        let utc = F.stats(orders, from: "2024-08-01", through: "2024-09-30", calendar: .utc)
        #expect(utc.months.map(\.customers) == [1, 0])
        // And it falls in a September-only period in Copenhagen, not in UTC.
        #expect(F.stats(orders, from: "2024-09-01", through: "2024-09-30", calendar: F.copenhagen).totals.orders == 1)
        #expect(F.stats(orders, from: "2024-09-01", through: "2024-09-30", calendar: .utc).totals.orders == 0)
        // Its timestamp is shown in shop time.
        #expect(cph.topCustomers[0].firstOrderText == "2024-09-01T01:30:00+02:00")
    }

    @Test func aCancelledFirstOrderIsDroppedWhenFindingTheFirstOrderEver() {
        // X's first order (August) was cancelled, so X's first order ever is in September: new.
        let cancelledFirst = [F.order("1", "2024-08-15T10:00:00Z", customer: "X", cancelled: true),
                              F.order("2", "2024-09-10T10:00:00Z", customer: "X")]
        let a = F.stats(cancelledFirst, from: "2024-09-01", through: "2024-09-30")
        #expect(a.months[0].customers == 1 && a.months[0].new == 1 && a.months[0].returning == 0)
        // The same shop with the August order placed: X is returning in September.
        let placedFirst = [F.order("1", "2024-08-15T10:00:00Z", customer: "X"),
                           F.order("2", "2024-09-10T10:00:00Z", customer: "X")]
        let b = F.stats(placedFirst, from: "2024-09-01", through: "2024-09-30")
        #expect(b.months[0].customers == 1 && b.months[0].new == 0 && b.months[0].returning == 1)
    }

    @Test func aRegisteredCustomersGuestOrderIsADifferentCustomer() {
        let orders = [
            F.order("1", "2025-01-05T10:00:00Z", customer: " 42 ", email: "Anna@Shop.dk"),
            F.order("2", "2025-01-06T10:00:00Z", email: "  anna@shop.DK "),    // guest: e-mail only
            F.order("3", "2025-01-07T10:00:00Z", email: "   "),                 // blank e-mail: anonymous
        ]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        // Two customers with one order each ("42" and "anna@shop.dk"), so no repeat customer.
        #expect(s.uniqueCustomers == 2)
        #expect(s.repeatRate == 0)
        #expect(s.totals.anonymousOrders == 1)
        #expect(Set(s.topCustomers.map(\.customer)) == ["42", "anna@shop.dk"])
    }

    @Test func anEmptyPeriodGivesZerosAndNulls() {
        let orders = [F.order("1", "2024-06-05T10:00:00Z", customer: "A")]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-02-28")
        #expect(s.totals.orders == 0 && s.totals.anonymousOrders == 0)
        #expect(s.totals.revenue == F.money(0) && s.totals.netRevenue == F.money(0))
        #expect(s.uniqueCustomers == 0)
        #expect(s.repeatRate == nil && s.repeatRateColour == nil)
        #expect(s.averageCLV == nil)
        #expect(s.averageDaysBetweenFirstAndSecondOrder == nil)
        #expect(s.segments.map(\.customers) == [0, 0, 0])
        #expect(s.segments.allSatisfy { $0.share == nil && $0.revenueShare == nil && $0.revenue == F.money(0) })
        #expect(s.months.map(\.label) == ["2025-01", "2025-02"])
        #expect(s.months.allSatisfy { $0.customers == 0 && $0.new == 0 && $0.returningShare == nil && $0.colour == nil })
        #expect(s.topCustomers.isEmpty)
    }

    @Test func aPeriodWithOneCustomer() {
        let orders = [F.order("1", "2025-01-05T10:00:00Z", customer: "Solo", total: "10.00"),
                      F.order("2", "2025-01-07T10:00:00Z", customer: "Solo", total: "20.00")]
        let s = F.stats(orders, from: "2025-01-01", through: "2025-01-31")
        // One customer with two orders: repeat rate 1 (green), CLV = all revenue, 2 days apart.
        #expect(s.uniqueCustomers == 1)
        #expect(s.repeatRate == 1 && s.repeatRateColour == .green)
        #expect(s.averageCLV == F.money(3_000))
        #expect(s.averageDaysBetweenFirstAndSecondOrder == 2)
        #expect(s.segments.map(\.customers) == [0, 1, 0])
        #expect(s.segments[1].share == 1 && s.segments[1].revenueShare == 1)
        #expect(s.topCustomers.count == 1 && s.topCustomers[0].averageOrderValue == F.money(1_500))
    }

    @Test func aCustomerIsNewInTheMonthOfTheirFirstOrderEvenWhenItLiesBeforeThePeriod() {
        // P starts 2024-09-15. The first order (2024-09-03) is before P but in September, so the customer
        // is new in September (the partial first month); a customer whose first order was in August is not.
        let orders = [F.order("1", "2024-09-03T10:00:00Z", customer: "Sept"),
                      F.order("2", "2024-09-20T10:00:00Z", customer: "Sept"),
                      F.order("3", "2024-08-20T10:00:00Z", customer: "Aug"),
                      F.order("4", "2024-09-21T10:00:00Z", customer: "Aug")]
        let s = F.stats(orders, from: "2024-09-15", through: "2024-10-31")
        #expect(s.months[0].label == "2024-09")
        #expect(s.months[0].customers == 2 && s.months[0].new == 1 && s.months[0].returning == 1)
        // Only one order each in P: the pre-P order does not count in P's figures.
        #expect(s.repeatRate == 0)
    }

    // MARK: Comparison periods

    /// A shop with orders in March 2025, in the 31 days before it and in March 2024.
    static let comparisonShop: [Order] = [
        // P = 2025-03-01 … 2025-03-31: A twice, B once → 3 orders, 300.00, C = 2, repeat rate 0.5.
        F.order("p1", "2025-03-02T10:00:00Z", customer: "A"),
        F.order("p2", "2025-03-05T10:00:00Z", customer: "A"),
        F.order("p3", "2025-03-09T10:00:00Z", customer: "B"),
        // Previous = 2025-01-29 … 2025-02-28 (31 days): C once → 1 order, 100.00, C = 1, repeat rate 0.
        F.order("q1", "2025-01-28T23:59:59Z", customer: "X"),     // one second before the previous period
        F.order("q2", "2025-01-29T00:00:00Z", customer: "C"),
        // Last year = 2024-03-01 … 2024-03-31: D and E once each, 50.00 each.
        F.order("r1", "2024-03-01T00:00:00Z", customer: "D", total: "50.00"),
        F.order("r2", "2024-03-31T23:59:59Z", customer: "E", total: "50.00"),
    ]

    @Test func thePreviousPeriodIsTheWindowOfEqualLengthBefore() throws {
        let s = F.stats(Self.comparisonShop, from: "2025-03-01", through: "2025-03-31", comparison: .previous)
        let c = try #require(s.comparison)
        #expect(c.summary.period == Period(from: F.date("2025-01-29"), through: F.date("2025-02-28")))
        #expect(c.summary.totals.orders == 1)
        #expect(c.summary.uniqueCustomers == 1)
        #expect(c.summary.repeatRate == 0)
        // Changes: orders 3 − 1 = +2 (+200 %); revenue 300.00 − 100.00 = +200.00 (+200 %);
        // repeat rate 0.5 − 0 = +0.5, relative undefined (÷ 0) → nil; CLV 150.00 − 100.00 = +50.00 (+50 %).
        #expect(c.orders.absolute == 2 && c.orders.relative == 2)
        #expect(c.revenue.absolute == F.money(20_000) && c.revenue.relative == 2)
        #expect(c.repeatRate.absolute == 0.5 && c.repeatRate.relative == nil)
        #expect(c.averageCLV.absolute == F.money(5_000) && c.averageCLV.relative == 0.5)
        // Neither period has days between first and second order on both sides → nil change.
        #expect(c.averageDaysBetweenFirstAndSecondOrder.absolute == nil)
    }

    @Test func theSamePeriodLastYearIsShiftedBackOneCalendarYear() throws {
        let s = F.stats(Self.comparisonShop, from: "2025-03-01", through: "2025-03-31", comparison: .lastYear)
        let c = try #require(s.comparison)
        #expect(c.summary.period == Period(from: F.date("2024-03-01"), through: F.date("2024-03-31")))
        // D and E: 2 orders, 100.00, 2 customers, CLV 50.00.
        #expect(c.summary.totals.orders == 2)
        #expect(c.summary.uniqueCustomers == 2)
        #expect(c.summary.averageCLV == F.money(5_000))
        // Unique customers 2 − 2 = 0 (0 %); CLV 150.00 vs 50.00 = +100.00 (+200 %).
        #expect(c.uniqueCustomers.absolute == 0 && c.uniqueCustomers.relative == 0)
        #expect(c.averageCLV.absolute == F.money(10_000) && c.averageCLV.relative == 2)
    }

    @Test func withoutAComparisonThereIsNone() {
        #expect(F.stats(Self.comparisonShop, from: "2025-03-01", through: "2025-03-31").comparison == nil)
    }
}
