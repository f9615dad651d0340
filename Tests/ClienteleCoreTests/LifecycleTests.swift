import Testing
@testable import ClienteleCore

/// Small shops written as days relative to 2024-01-01 (orders at 12:00 UTC, so gaps are whole days).
enum LifecycleFixture {
    static let base = ShopDate(year: 2024, month: 1, day: 1)!
    static let dkk = Currency(code: "DKK")!

    /// Shop date `base + n`.
    static func day(_ n: Int) -> ShopDate { base.adding(days: n) }

    /// The orders of `customer` on days `days` (noon UTC), each for `total` minor units with one line of
    /// `quantity` × product `product`.
    static func orders(_ customer: String, _ days: [Int], total: Int64 = 10_000, quantity: Int64 = 1,
                       product: String = "P1", country: String? = nil, email: String? = nil) -> [Order] {
        days.enumerated().map { i, d in
            Order(id: "\(customer)-\(i)", placedAt: Instant(seconds: Int64(day(d).dayNumber) * 86_400 + 43_200),
                  customerId: customer, email: email, currency: dkk, total: total, country: country,
                  lines: [OrderLine(productId: product, quantity: quantity, unitPrice: total / quantity)])
        }
    }

    static func snapshot(_ orders: [Order]) -> ShopSnapshot { ShopSnapshot(orders: orders, calendar: .utc, currency: dkk) }

    /// The stage of `customer` as of day `asOf`.
    static func stage(_ s: ShopSnapshot, _ customer: String, asOf: Int,
                      thresholds: ShopSettings.Thresholds = .init()) -> LifecycleStage? {
        let r = LifecycleReport.compute(snapshot: s, asOf: day(asOf), thresholds: thresholds, timeZone: "UTC")
        return r.stage(ofCustomer: s.customer(withKey: customer)!)
    }
}

@Suite("Lifecycle stages")
struct LifecycleTests {
    typealias F = LifecycleFixture

    // Orders on days 0, 20, 40: gaps 20 and 20, usual interval 20 days. Active while days since the last
    // order ≤ 1.5 × 20 = 30, slipping away while ≤ 2 × 20 = 40, then lost.
    @Test("stage boundaries at exactly 1.5× and 2× the usual interval",
          arguments: [(30, LifecycleStage.active), (31, .slippingAway), (40, .slippingAway), (41, .lost), (0, .active)])
    func boundaries(daysSince: Int, expected: LifecycleStage) {
        let s = F.snapshot(F.orders("A", [0, 20, 40]))
        #expect(F.stage(s, "A", asOf: 40 + daysSince) == expected)
    }

    // Gaps 10, 30, 20 → median 20 (odd count); gaps 10, 30 → median (10 + 30) ÷ 2 = 20 (even count).
    @Test("the usual interval is the median gap, the mean of the middle two for an even count")
    func medianGap() {
        let s = F.snapshot(F.orders("odd", [0, 10, 40, 60]) + F.orders("even", [0, 10, 40]))
        let r = LifecycleReport.compute(snapshot: s, asOf: F.day(100), thresholds: .init(), timeZone: "UTC")
        #expect(r.profiles.intervalDays[s.customer(withKey: "odd")!] == 20)
        #expect(r.profiles.intervalDays[s.customer(withKey: "even")!] == 20)
        #expect(r.profiles.intervalSource(s.customer(withKey: "odd")!) == .own)
        // Orders after the as-of date do not count: as of day 15 "odd" has one gap of 10.
        let early = LifecycleReport.compute(snapshot: s, asOf: F.day(15), thresholds: .init(), timeZone: "UTC")
        #expect(early.profiles.intervalDays[s.customer(withKey: "odd")!] == 10)
        #expect(early.profiles.orders[s.customer(withKey: "odd")!] == 2)
    }

    // First order on day 0: New while as-of − first < 30 (day 29), not New from day 30.
    @Test("New: first order less than 30 days before the as-of date")
    func newRule() {
        let s = F.snapshot(F.orders("N", [0]))
        #expect(F.stage(s, "N", asOf: 0) == .new)
        #expect(F.stage(s, "N", asOf: 29) == .new)
        #expect(F.stage(s, "N", asOf: 30) == .active, "one order, default 90 days: 30 ≤ 135")
        // A repeat customer whose first order is recent is New whatever their rhythm.
        let r = F.snapshot(F.orders("R", [0, 1]))
        #expect(F.stage(r, "R", asOf: 29) == .new)
        #expect(F.stage(r, "R", asOf: 30) == .lost, "u = 1 day, 29 days since the last order > 2")
        // A customer without orders up to the date has no stage.
        #expect(F.stage(s, "N", asOf: -1) == nil)
    }

    // Repeat customers' first-to-second gaps: R1 10, R2 30, R3 20 → shop median 20. The one-order customer
    // S (day 50) is active up to 30 days after (day 80), slipping away up to 40 (day 90), then lost.
    @Test("one-order customers use the shop's median first-to-second gap",
          arguments: [(80, LifecycleStage.active), (81, .slippingAway), (90, .slippingAway), (91, .lost)])
    func shopMedianFallback(asOf: Int, expected: LifecycleStage) {
        let s = F.snapshot(F.orders("R1", [0, 10]) + F.orders("R2", [0, 30]) + F.orders("R3", [0, 20, 100])
                           + F.orders("S", [50]))
        let r = LifecycleReport.compute(snapshot: s, asOf: F.day(asOf), thresholds: .init(), timeZone: "UTC")
        #expect(r.profiles.shopMedianIntervalDays == 20)
        #expect(r.stage(ofCustomer: s.customer(withKey: "S")!) == expected)
        #expect(r.profiles.intervalSource(s.customer(withKey: "S")!) == .shopMedian)
    }

    // R4's second order (day 200) only counts from day 200: median(10, 30, 20) = 20 before, then
    // median(10, 20, 30, 200) = (20 + 30) ÷ 2 = 25.
    @Test("the shop median uses repeat customers as of the date")
    func shopMedianAsOf() {
        let s = F.snapshot(F.orders("R1", [0, 10]) + F.orders("R2", [0, 30]) + F.orders("R3", [0, 20]) + F.orders("R4", [0, 200]))
        #expect(CustomerProfiles.compute(snapshot: s, asOf: F.day(199), thresholds: .init()).shopMedianIntervalDays == 20)
        #expect(CustomerProfiles.compute(snapshot: s, asOf: F.day(200), thresholds: .init()).shopMedianIntervalDays == 25)
    }

    // No repeat customer: u = 90 days; active up to 135 days, slipping away up to 180.
    @Test("without repeat customers one-order customers use 90 days",
          arguments: [(135, LifecycleStage.active), (136, .slippingAway), (180, .slippingAway), (181, .lost)])
    func defaultInterval(daysSince: Int, expected: LifecycleStage) {
        let s = F.snapshot(F.orders("S", [0]) + F.orders("T", [5]))
        let r = LifecycleReport.compute(snapshot: s, asOf: F.day(daysSince), thresholds: .init(), timeZone: "UTC")
        #expect(r.profiles.shopMedianIntervalDays == nil)
        #expect(r.stage(ofCustomer: 0) == expected)
        #expect(r.profiles.intervalSource(0) == .default)
    }

    @Test("the thresholds come from the settings")
    func customThresholds() {
        var t = ShopSettings.Thresholds()
        t.activeFactor = 1
        t.slippingFactor = 3
        t.newCustomerDays = 10
        let s = F.snapshot(F.orders("A", [0, 20, 40]))
        #expect(F.stage(s, "A", asOf: 60, thresholds: t) == .active)
        #expect(F.stage(s, "A", asOf: 61, thresholds: t) == .slippingAway)
        #expect(F.stage(s, "A", asOf: 100, thresholds: t) == .slippingAway)
        #expect(F.stage(s, "A", asOf: 101, thresholds: t) == .lost)
        #expect(F.stage(F.snapshot(F.orders("B", [0])), "B", asOf: 10, thresholds: t) == .active)
    }

    // Days 0, 31, 62: u = 31; as of day 136 (74 days since): slipping away after 46.5, lost after 62 → lost.
    @Test("the reason says why, in words")
    func reasons() {
        let s = F.snapshot(F.orders("A", [0, 31, 62]) + F.orders("B", [100]) + F.orders("N", [130]))
        let r = LifecycleReport.compute(snapshot: s, asOf: F.day(136), thresholds: .init(), timeZone: "UTC")
        #expect(r.reason(s.customer(withKey: "A")!)
                == "last ordered 74 days ago; usually orders every 31 days: slipping away after 46.5 days, lost after 62")
        #expect(r.reason(s.customer(withKey: "B")!)
                == "last ordered 36 days ago; one order so far, and the shop's customers usually order again after 31 days: slipping away after 46.5 days, lost after 62")
        #expect(r.reason(s.customer(withKey: "N")!) == "first ordered 6 days ago: new for the first 30 days")
        let lone = F.snapshot(F.orders("L", [0]))
        let r2 = LifecycleReport.compute(snapshot: lone, asOf: F.day(200), thresholds: .init(), timeZone: "UTC")
        #expect(r2.reason(0) == "last ordered 200 days ago; one order so far and no repeat customers yet, so 90 days is assumed: slipping away after 135 days, lost after 180")
    }

    // A: days 0, 20, 40 (u 20); C: days 40, 70, 90 (gaps 30 and 20, u 25); E: days 300, 320, 340 (u 20).
    @Test("active customers now and 1, 3, 6, 12 months before, with the change")
    func activeHistory() {
        let s = F.snapshot(F.orders("A", [0, 20, 40]) + F.orders("C", [40, 70, 90]) + F.orders("E", [300, 320, 340]))
        // D = 2024-12-06 (day 340). 1 month before: 2024-11-06 (day 310): E is New (first order day 300).
        // 3 months: 2024-09-06 (day 249): A lost (209 since), C lost (159 > 40). 6 months: 2024-06-06 (day 157):
        // nothing active either. 12 months: 2023-12-06: no customers.
        let r = LifecycleReport.compute(snapshot: s, asOf: F.day(340), thresholds: .init(), timeZone: "UTC")
        #expect(r.activeCustomers.map(\.date) == [F.day(340), F.day(310), F.day(249), F.day(157), F.day(-26)])
        #expect(r.activeCustomers.map(\.active) == [1, 0, 0, 0, 0])
        #expect(r.activeCustomers.allSatisfy { $0.change == nil })
        let r2 = LifecycleReport.compute(snapshot: s, asOf: F.day(131), thresholds: .init(), timeZone: "UTC")
        // Day 131 (2024-05-11): C 41 days since > 1.5 × 25 = 37.5 → slipping away, not active. 1 month before: 2024-04-11 = day 101: C 11 since ≤ 37.5 → active; change (0 − 1) ÷ 1.
        #expect(r2.activeCustomers[0].active == 0)
        #expect(r2.activeCustomers[1].date == F.day(101))
        #expect(r2.activeCustomers[1].active == 1)
        #expect(r2.activeCustomers[1].change == -1.0)
    }

    @Test("counts and CSV list every customer with a stage")
    func countsAndCSV() {
        let s = F.snapshot(F.orders("A", [0, 20, 40]) + F.orders("B", [60]) + F.orders("C", [0]))
        let r = LifecycleReport.compute(snapshot: s, asOf: F.day(70), thresholds: .init(), timeZone: "UTC")
        // A: 30 since, u 20 → active; B: New; C: 70 since, shop median 20 → lost (> 40).
        #expect(r.counts == GrowthReport.StageCounts(new: 1, active: 1, slippingAway: 0, lost: 1))
        let lines = r.csv().split(separator: "\r\n")
        #expect(lines.count == 4)
        #expect(lines[1] == "A,,active,3,2024-01-01,2024-02-10,30,20,own,\"last ordered 30 days ago; usually orders every 20 days: slipping away after 30 days, lost after 40\"")
    }
}
