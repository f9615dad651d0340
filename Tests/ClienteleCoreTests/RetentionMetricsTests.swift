import Testing
@testable import ClienteleCore

/// METRICS.md, "CLV (seed 002) and retention metrics (seed 004)": the seed example and hand counts on a
/// small written-out shop (UTC). The comment above each expectation says how the value was counted.
@Suite struct RetentionMetricsTests {
    typealias F = Fixture

    static func line(_ product: String, _ quantity: Int64, returned: Int64 = 0) -> OrderLine {
        OrderLine(productId: product, productName: "Product " + product, quantity: quantity, unitPrice: 1000, returnedQuantity: returned)
    }

    /// P = January 2025, so P' = December 2024 (31 days each).
    /// - A: December and January → in S and E, not new.
    /// - B: December only → in S, churned.
    /// - C: first order ever in January → in E and N.
    /// - D: June 2024 and January → in E, not N, not in S (back after a gap longer than P').
    /// - E: a cancelled December order, then January → the cancelled one does not count: E and N, not S.
    /// - G: three orders in November 2024 (not in P'), one in February 2025 (after P).
    /// - H: first order in February 2025 (after P): in nothing.
    /// - anonymous orders in December and January: in no customer figure.
    static let shop: [Order] = [
        F.order("a1", "2024-12-05T10:00:00Z", customer: "A", lines: [line("P1", 5, returned: 5)]),
        F.order("a2", "2025-01-10T10:00:00Z", customer: "A", lines: [line("P1", 10, returned: 1)]),
        F.order("b1", "2024-12-10T10:00:00Z", customer: "B"),
        F.order("c1", "2025-01-15T10:00:00Z", customer: "C"),
        F.order("d1", "2024-06-01T10:00:00Z", customer: "D"),
        F.order("d2", "2025-01-20T10:00:00Z", customer: "D", lines: [line("P1", 15, returned: 2), line("P2", 3, returned: 3)]),
        F.order("e0", "2024-12-20T10:00:00Z", customer: "E", cancelled: true),
        F.order("e1", "2025-01-05T10:00:00Z", customer: "E"),
        F.order("e2", "2025-01-25T10:00:00Z", customer: "E", cancelled: true, lines: [line("P1", 100, returned: 50)]),
        F.order("g1", "2024-11-01T00:00:00Z", customer: "G"),
        F.order("g2", "2024-11-02T12:00:00Z", customer: "G"),
        F.order("g3", "2024-11-04T00:00:00Z", customer: "G"),
        F.order("g4", "2025-02-10T00:00:00Z", customer: "G"),
        F.order("h1", "2025-02-03T10:00:00Z", customer: "H"),
        F.order("x1", "2024-12-15T10:00:00Z"),
        F.order("x2", "2025-01-12T10:00:00Z", lines: [line("P2", 1), line("P3", 30)]),
    ]

    static func metrics(minimum: Int64 = RetentionMetrics.defaultMinimumQuantity) -> RetentionMetrics {
        let snapshot = ShopSnapshot(orders: shop, calendar: .utc, currency: F.dkk)
        return RetentionMetrics.compute(snapshot: snapshot, period: Period(from: F.date("2025-01-01"), through: F.date("2025-01-31")),
                                        asOf: F.date("2025-01-31"), minimumQuantity: minimum, currency: F.dkk, timeZone: "UTC")
    }

    @Test func seedExampleRetentionRateIs43Point3Percent() {
        // Seed 004: S 750, E 950, N 625 → (950 − 625) ÷ 750 = 325 ÷ 750 = 0.4333… = 43.3 %.
        let rate = RetentionMetrics.customerRetentionRate(s: 750, e: 950, n: 625)
        #expect(rate == 325.0 / 750.0)
        #expect(LocaleNumbers(locale: "en_US").percent(rate!) == "43.3%")
        let r = RetentionMetrics.CustomerRetention(customersPrevious: 750, customersCurrent: 950, newCustomers: 625, churned: 300)
        #expect(r.rate == 325.0 / 750.0)
        // 300 of 750 churned → 40 %; retained 450.
        #expect(r.churnRate == 0.4)
        #expect(r.retained == 450)
    }

    @Test func retentionRateWithoutPreviousCustomersIsNil() {
        #expect(RetentionMetrics.customerRetentionRate(s: 0, e: 10, n: 10) == nil)
        #expect(RetentionMetrics.CustomerRetention(customersPrevious: 0, customersCurrent: 1, newCustomers: 1, churned: 0).churnRate == nil)
    }

    @Test func periodsArePAndTheEqualLengthWindowBefore() {
        let m = Self.metrics()
        #expect(m.period == Period(from: F.date("2025-01-01"), through: F.date("2025-01-31")))
        #expect(m.previousPeriod == Period(from: F.date("2024-12-01"), through: F.date("2024-12-31")))
    }

    @Test func sENAndChurnAreCountedByHand() {
        let r = Self.metrics().retention
        // S = {A, B}; E = {A, C, D, E}; N = {C, E}; churned = {B}.
        #expect(r.customersPrevious == 2)
        #expect(r.customersCurrent == 4)
        #expect(r.newCustomers == 2)
        #expect(r.churned == 1)
        #expect(r.retained == 1)
        // CRR = (4 − 2) ÷ 2 = 1.0; churn = 1 ÷ 2.
        #expect(r.rate == 1.0)
        #expect(r.churnRate == 0.5)
    }

    @Test func repeatPurchaseRatioCountsOrdersEverBeforeTheEndOfP() {
        let rp = Self.metrics().repeatPurchase
        // Customers with an order before 1 February: A, B, C, D, E, G (H's first is after; E's cancelled ones
        // do not count, so E has 1). With ≥ 2: A (2), D (2), G (3 before February) → 3 ÷ 6.
        #expect(rp.customers == 6)
        #expect(rp.repeatCustomers == 3)
        #expect(rp.ratio == 0.5)
    }

    @Test func timeBetweenPurchasesIsTheMeanOfEachCustomersMeanGap() {
        let t = Self.metrics().timeBetweenPurchases
        // A: 5 Dec → 10 Jan = 36 days ÷ 1. D: 1 Jun 2024 → 20 Jan 2025 = 214 + 19 = 233 days ÷ 1.
        // G: 1 Nov 00:00 → 4 Nov 00:00 = 3 days ÷ (3 − 1) = 1.5 (the February order is after P).
        // Mean = (36 + 233 + 1.5) ÷ 3.
        #expect(t.customers == 3)
        #expect(abs(t.meanDays! - (36 + 233 + 1.5) / 3) < 1e-9)
    }

    @Test func timeBetweenPurchasesWithoutRepeatCustomersIsNil() {
        let orders = [F.order("1", "2025-01-02T10:00:00Z", customer: "A")]
        let m = RetentionMetrics.compute(snapshot: ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk),
                                         period: Period(from: F.date("2025-01-01"), through: F.date("2025-01-31")),
                                         asOf: F.date("2025-01-31"), currency: F.dkk, timeZone: "UTC")
        #expect(m.timeBetweenPurchases.meanDays == nil)
        #expect(m.timeBetweenPurchases.customers == 0)
        #expect(m.repeatPurchase.ratio == 0)
        #expect(m.retention.rate == nil)
        #expect(m.productReturns.rate == nil)
    }

    @Test func returnRateUsesTheLinesOfNonCancelledOrdersInPAnonymousIncluded() {
        let pr = Self.metrics().productReturns
        // Lines in January: a2 P1 10/1, d2 P1 15/2 and P2 3/3, anonymous x2 P2 1/0 and P3 30/0.
        // Not counted: a1 (December), e2 (cancelled).
        // Sold 10 + 15 + 3 + 1 + 30 = 59; returned 1 + 2 + 3 = 6.
        #expect(pr.soldQuantity == 59)
        #expect(pr.returnedQuantity == 6)
        #expect(pr.rate == 6.0 / 59.0)
    }

    @Test func productsBelowTheMinimumQuantityAreNotListed() {
        let pr = Self.metrics(minimum: 20).productReturns
        // P1 25 sold, 3 returned (12 %); P3 30 sold, 0 returned; P2 (4 sold, 75 %) is below 20 units.
        #expect(pr.products.map(\.productId) == ["P1", "P3"])
        #expect(pr.products[0].rate == 0.12)
        #expect(pr.products[0].soldQuantity == 25)
        #expect(pr.products[0].returnedQuantity == 3)
        #expect(pr.products[0].productName == "Product P1")
        #expect(pr.productsBelowMinimum == 1)
        #expect(pr.minimumQuantity == 20)
    }

    @Test func productsAreListedWorstFirst() {
        let pr = Self.metrics(minimum: 0).productReturns
        // 3 ÷ 4 = 75 %, 3 ÷ 25 = 12 %, 0 ÷ 30.
        #expect(pr.products.map(\.productId) == ["P2", "P1", "P3"])
        #expect(pr.products[0].rate == 0.75)
        #expect(pr.productsBelowMinimum == 0)
    }

    @Test func equalRatesAreOrderedByReturnedUnitsThenProductId() {
        let orders = [
            F.order("1", "2025-01-02T10:00:00Z", customer: "A", lines: [Self.line("Z", 10, returned: 1), Self.line("B", 20, returned: 2),
                                                                         Self.line("A", 10, returned: 1)]),
        ]
        let m = RetentionMetrics.compute(snapshot: ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk),
                                         period: Period(from: F.date("2025-01-01"), through: F.date("2025-01-31")),
                                         asOf: F.date("2025-01-31"), minimumQuantity: 1, currency: F.dkk, timeZone: "UTC")
        // All 10 %: B has more returned units; A before Z by id.
        #expect(m.productReturns.products.map(\.productId) == ["B", "A", "Z"])
    }

    @Test func jsonAndCSVCarryTheFigures() {
        let m = Self.metrics(minimum: 0)
        let json = m.json()
        #expect(json.contains("\"S\": 2"))
        #expect(json.contains("\"E\": 4"))
        #expect(json.contains("\"N\": 2"))
        #expect(json.contains("\"churnRate\": 0.5"))
        #expect(json.contains("\"from\": \"2024-12-01\""))
        let csv = m.csv().split(separator: "\r\n").map(String.init)
        #expect(csv[0] == "product_id,product_name,sold_quantity,returned_quantity,return_rate")
        #expect(csv[1] == "P2,Product P2,4,3,0.75")
        #expect(csv.count == 4)
        let table = m.table(shopName: "Shop", locale: "en_US")
        #expect(table.contains("Customer retention rate (E − N) ÷ S"))
        #expect(table.contains("100.0%"))
    }
}
