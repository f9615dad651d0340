import Testing
@testable import ClienteleCore

/// METRICS.md, "CLV (seed 002)": the seed's worked example and the inputs counted by hand on a small shop.
@Suite struct FormulaCLVTests {
    typealias F = Fixture

    @Test func seedExampleCLVIs3000AndAffordableCACIs1200() {
        // Seed 002: 500 kr. × 3 orders a year × 2 years = 3 000 kr.; at a 40 % margin → 1 200 kr.
        let clv = FormulaCLV.value(averageOrderValue: 50_000, ordersPerYear: 3, lifespanYears: 2)
        #expect(clv == 300_000)
        #expect(FormulaCLV.affordableCAC(clv: clv, margin: 0.4) == 120_000)
    }

    @Test func seedExampleAsWhatIfOverridesOfAnyShop() {
        let orders = [F.order("1", "2025-01-02T10:00:00Z", customer: "A", total: "80.00")]
        let r = FormulaCLV.compute(snapshot: ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk), asOf: F.date("2025-06-30"),
                                   overrides: .init(averageOrderValue: 50_000, ordersPerYear: 3, lifespanYears: 2),
                                   margin: 0.4, cac: 100_000, currency: F.dkk)
        #expect(r.clv == F.money(300_000))
        #expect(r.affordableCAC == F.money(120_000))
        // 3 000 ≥ 3 × 1 000: met, ratio 3.
        #expect(r.meetsRule == true)
        #expect(r.clvToCACRatio == 3)
        #expect(r.averageOrderValue.isOverride && r.ordersPerCustomerPerYear.isOverride && r.lifespanYears.isOverride)
        // The data's own values stay visible beside the what-if: 80.00 over 1 order by 1 customer.
        #expect(r.averageOrderValue.fromData == F.money(8_000))
        #expect(r.ordersPerCustomerPerYear.fromData == 1)
        // Nobody ordered in the 12 months before: no churn rate, no lifespan from the data.
        #expect(r.lifespanYears.fromData == nil)
    }

    @Test(arguments: [(0.5, 2.0, false), (0.25, 4.0, false), (0.1, 10.0, false), (0.05, 10.0, true), (0.0, 10.0, true), (1.0, 1.0, false)])
    func lifespanIsOneOverChurnCappedAtTenYears(churn: Double, years: Double, capped: Bool) {
        let l = FormulaCLV.lifespan(annualChurnRate: churn)
        #expect(l.years == years)
        #expect(l.capped == capped)
    }

    /// As of 2025-06-30: T = 2024-06-30 … 2025-06-30 (366 days), T' = the 366 days before (2023-06-30 … 2024-06-29).
    /// - A: T' (2024-01-10) and two orders in T (300.00, 600.00).
    /// - B: T' only (2023-12-01) → churned.
    /// - C: first order in T (300.00).
    /// - D: T' (2024-03-03) and T (200.00).
    /// - an anonymous 1 000.00 in T and a cancelled 5 000.00 by C: in neither input.
    static let shop: [Order] = [
        F.order("a0", "2024-01-10T10:00:00Z", customer: "A", total: "500.00"),
        F.order("a1", "2024-09-01T10:00:00Z", customer: "A", total: "300.00"),
        F.order("a2", "2025-03-01T10:00:00Z", customer: "A", total: "600.00"),
        F.order("b0", "2023-12-01T10:00:00Z", customer: "B", total: "100.00"),
        F.order("c1", "2025-05-05T10:00:00Z", customer: "C", total: "300.00"),
        F.order("c2", "2025-05-06T10:00:00Z", customer: "C", total: "5000.00", cancelled: true),
        F.order("d0", "2024-03-03T10:00:00Z", customer: "D", total: "50.00"),
        F.order("d1", "2025-01-01T10:00:00Z", customer: "D", total: "200.00"),
        F.order("x1", "2025-02-01T10:00:00Z", total: "1000.00"),
        F.order("a3", "2025-07-01T10:00:00Z", customer: "A", total: "999.00"),   // after the as-of date
    ]

    static func clv(_ overrides: FormulaCLV.Overrides = .init(), margin: Double = 0.4, cac: Int64? = nil) -> FormulaCLV {
        FormulaCLV.compute(snapshot: ShopSnapshot(orders: shop, calendar: .utc, currency: F.dkk), asOf: F.date("2025-06-30"),
                           overrides: overrides, margin: margin, cac: cac, currency: F.dkk)
    }

    @Test func inputsComeFromTheTrailingTwelveMonths() {
        let r = Self.clv()
        #expect(r.window == Period(from: F.date("2024-06-30"), through: F.date("2025-06-30")))
        #expect(r.previousWindow == Period(from: F.date("2023-06-30"), through: F.date("2024-06-29")))
        // Identified orders in T: a1, a2, c1, d1 = 4 for 300 + 600 + 300 + 200 = 1 400.00 → 350.00 per order.
        #expect(r.data.orders == 4)
        #expect(r.data.revenue == F.money(140_000))
        #expect(r.averageOrderValue.value == F.money(35_000))
        // Customers in T: A, C, D → 4 ÷ 3 orders per year.
        #expect(r.data.customers == 3)
        #expect(r.ordersPerCustomerPerYear.value == 4.0 / 3.0)
        // T': A, B, D; B has no order in T → churn 1 ÷ 3 → lifespan 3 years.
        #expect(r.data.customersPrevious == 3)
        #expect(r.data.churned == 1)
        #expect(r.data.annualChurnRate == 1.0 / 3.0)
        #expect(abs(r.lifespanYears.value! - 3) < 1e-12)
        #expect(!r.data.lifespanCapped)
        // 350.00 × 4/3 × 3 = 1 400.00; 40 % → 560.00; CLV ÷ 3 = 466.666… → 466.66 (rounded down).
        #expect(r.clv == F.money(140_000))
        #expect(r.affordableCAC == F.money(56_000))
        #expect(r.maximumCACForRule == F.money(46_666))
        #expect(r.cac == nil && r.meetsRule == nil && r.clvToCACRatio == nil)
    }

    @Test(arguments: [(Int64(50_000), false, 2.8), (Int64(46_667), false, 140_000.0 / 46_667), (Int64(46_666), true, 140_000.0 / 46_666), (Int64(40_000), true, 3.5)])
    func ruleIsCLVAtLeastThreeTimesCAC(cac: Int64, met: Bool, ratio: Double) {
        let r = Self.clv(cac: cac)
        // CLV 1 400.00: 3 × 466.67 = 1 400.01 > 1 400.00 fails; 3 × 466.66 = 1 399.98 passes.
        #expect(r.meetsRule == met)
        #expect(r.clvToCACRatio == ratio)
    }

    @Test func eachInputCanBeOverriddenAlone() {
        // Lifespan 1.5 years instead of 3: 350.00 × 4/3 × 1.5 = 700.00.
        let life = Self.clv(.init(lifespanYears: 1.5))
        #expect(life.clv == F.money(70_000))
        #expect(life.lifespanYears.isOverride && !life.averageOrderValue.isOverride)
        #expect(abs(life.lifespanYears.fromData! - 3) < 1e-12)
        // Order value 100.01: 10 001 × 4/3 × 3 = 40 004 minor units.
        #expect(Self.clv(.init(averageOrderValue: 10_001)).clv == F.money(40_004))
        // Two orders a year: 35 000 × 2 × 3 = 210 000.
        #expect(Self.clv(.init(ordersPerYear: 2)).clv == F.money(210_000))
    }

    @Test func roundingHappensOnceHalvesAwayFromZero() {
        // 333 × 1.5 × 1 = 499.5 → 500; 0.5 × 0.4 margin of 999 = 399.6 → 400.
        #expect(FormulaCLV.value(averageOrderValue: 333, ordersPerYear: 1.5, lifespanYears: 1) == 500)
        #expect(FormulaCLV.affordableCAC(clv: 999, margin: 0.4) == 400)
        // 10 × 1/3 × 3 computed at once is 10 (not 3 × 3.33).
        #expect(FormulaCLV.value(averageOrderValue: 10, ordersPerYear: 1.0 / 3.0, lifespanYears: 3) == 10)
    }

    @Test func churnOfZeroGivesTheTenYearCap() {
        // Both customers of T' order again in T.
        let orders = [
            F.order("1", "2024-01-10T10:00:00Z", customer: "A", total: "100.00"),
            F.order("2", "2025-01-10T10:00:00Z", customer: "A", total: "100.00"),
        ]
        let r = FormulaCLV.compute(snapshot: ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk), asOf: F.date("2025-06-30"),
                                   currency: F.dkk)
        #expect(r.data.annualChurnRate == 0)
        #expect(r.lifespanYears.value == 10)
        #expect(r.data.lifespanCapped)
        // 100.00 × 1 × 10 = 1 000.00.
        #expect(r.clv == F.money(100_000))
    }

    @Test func withoutCustomersInThePreviousTwelveMonthsThereIsNoCLVFromTheData() {
        let orders = [F.order("1", "2025-01-10T10:00:00Z", customer: "A", total: "100.00")]
        let r = FormulaCLV.compute(snapshot: ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk), asOf: F.date("2025-06-30"),
                                   cac: 1_000, currency: F.dkk)
        #expect(r.data.annualChurnRate == nil)
        #expect(r.clv == nil && r.affordableCAC == nil && r.meetsRule == nil)
        #expect(r.json().contains("\"clv\": null"))
        #expect(r.table(shopName: "S", locale: "en_US").contains("--lifespan-years"))
    }
}
