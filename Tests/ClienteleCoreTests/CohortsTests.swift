import Testing
@testable import ClienteleCore

/// METRICS.md, "Cohorts and RFM": a small triangle written out by hand (UTC, as of 2025-03-15).
@Suite struct CohortsTests {
    typealias F = Fixture

    static func order(_ id: String, _ at: String, _ customer: String, _ total: String, country: String = "DK",
                      product: String = "P1") -> Order {
        var o = F.order(id, at, customer: customer, total: total,
                        lines: [OrderLine(productId: product, quantity: 1, unitPrice: F.minor(total))])
        o.country = country
        return o
    }

    /// - A: first 5 Jan (100.00), 20 Jan (50.00), 2 Mar (30.00); from SE, first product P2.
    /// - B: first 10 Jan (200.00), 11 Feb (20.00).
    /// - C: first 1 Feb (80.00), 20 Mar (after the as-of date: ignored).
    /// - D: first 31 Dec 2024 (before the first cohort shown), 15 Jan.
    /// - E: first 10 Mar (40.00).
    /// - F: first 16 Mar (after the as-of date: in no cohort).
    /// - a cancelled order of B in March and an anonymous one: in nothing.
    static let shop: [Order] = [
        order("a1", "2025-01-05T10:00:00Z", "A", "100.00", country: "SE", product: "P2"),
        order("a2", "2025-01-20T10:00:00Z", "A", "50.00"),
        order("a3", "2025-03-02T10:00:00Z", "A", "30.00"),
        order("b1", "2025-01-10T10:00:00Z", "B", "200.00"),
        order("b2", "2025-02-11T10:00:00Z", "B", "20.00"),
        F.order("b3", "2025-03-05T10:00:00Z", customer: "B", total: "900.00", cancelled: true),
        order("c1", "2025-02-01T10:00:00Z", "C", "80.00"),
        order("c2", "2025-03-20T10:00:00Z", "C", "70.00"),
        order("d1", "2024-12-31T10:00:00Z", "D", "10.00"),
        order("d2", "2025-01-15T10:00:00Z", "D", "15.00"),
        order("e1", "2025-03-10T10:00:00Z", "E", "40.00"),
        order("f1", "2025-03-16T10:00:00Z", "F", "60.00"),
        F.order("x1", "2025-01-07T10:00:00Z", total: "500.00"),
    ]

    static func cohorts(_ by: Cohorts.Granularity = .month, count: Int = 3, filter: Cohorts.Filter = .init(),
                        members: [Bool]? = nil, asOf: String = "2025-03-15") -> Cohorts {
        Cohorts.compute(snapshot: ShopSnapshot(orders: shop, calendar: .utc, currency: F.dkk), asOf: F.date(asOf), granularity: by,
                        count: count, filter: filter, members: members, currency: F.dkk, timeZone: "UTC")
    }

    @Test func retentionTriangleWrittenOut() {
        let c = Self.cohorts()
        // Cohorts January (A, B), February (C), March (E); each reaches up to March.
        #expect(c.cohorts.map(\.label) == ["2025-01", "2025-02", "2025-03"])
        #expect(c.cohorts.map(\.customers) == [2, 1, 1])
        // January: both order in January; B in February; A in March.
        // February: C in February, nobody in March (C's 20 March order is after the as-of date).
        // March: E.
        #expect(c.cohorts.map { $0.cells.map(\.activeCustomers) } == [[2, 1, 1], [1, 0], [1]])
        #expect(c.cohorts.map { $0.cells.map(\.retention) } == [[1.0, 0.5, 0.5], [1.0, 0.0], [1.0]])
        // Only March is incomplete (the as-of date is the 15th).
        #expect(c.cohorts.map { $0.cells.map(\.isComplete) } == [[true, true, false], [true, false], [false]])
    }

    @Test func revenueCohortsAndTheLTVCurve() {
        let c = Self.cohorts()
        // January cohort: 100 + 50 + 200 = 350.00 in month 0, 20.00 in month 1, 30.00 in month 2.
        #expect(c.cohorts[0].cells.map(\.revenue) == [F.money(35_000), F.money(2_000), F.money(3_000)])
        // Cumulative per customer (2): 175.00, 185.00, 200.00.
        #expect(c.cohorts[0].cells.map(\.cumulativeRevenuePerCustomer) == [F.money(17_500), F.money(18_500), F.money(20_000)])
        // February (1 customer): 80.00, then still 80.00. March: 40.00.
        #expect(c.cohorts[1].cells.map(\.cumulativeRevenuePerCustomer) == [F.money(8_000), F.money(8_000)])
        #expect(c.cohorts[2].cells.map(\.cumulativeRevenuePerCustomer) == [F.money(4_000)])
    }

    @Test func averageRetentionUsesCompletePeriodsOnly() {
        let c = Self.cohorts()
        // k = 0: January (2 of 2) and February (1 of 1) are complete → 3 ÷ 3; k = 1: January only → 1 ÷ 2;
        // k = 2: only January's incomplete March → none.
        #expect(c.averageRetention == [1.0, 0.5, nil])
    }

    @Test func aMonthEndAsOfDateCompletesTheLastMonth() {
        let c = Self.cohorts(asOf: "2025-03-31")
        // C's 20 March order now counts: February cohort month 1 = 1 of 1.
        #expect(c.cohorts[1].cells.map(\.activeCustomers) == [1, 1])
        #expect(c.cohorts.allSatisfy { $0.cells.allSatisfy(\.isComplete) })
        // F joins the March cohort.
        #expect(c.cohorts[2].customers == 2)
    }

    @Test func quarterCohorts() {
        let c = Self.cohorts(.quarter, count: 2)
        // Q4 2024: D (k0 in December, k1 in January). Q1 2025: A, B, C, E all order in Q1.
        #expect(c.cohorts.map(\.label) == ["2024-Q4", "2025-Q1"])
        #expect(c.cohorts.map(\.customers) == [1, 4])
        #expect(c.cohorts.map { $0.cells.map(\.activeCustomers) } == [[1, 1], [4]])
        // Q4: 10.00 then 15.00 → 10.00, 25.00 per customer. Q1: 100 + 50 + 30 + 200 + 20 + 80 + 40 = 520.00 ÷ 4 = 130.00.
        #expect(c.cohorts[0].cells.map(\.cumulativeRevenuePerCustomer) == [F.money(1_000), F.money(2_500)])
        #expect(c.cohorts[1].cells[0].revenue == F.money(52_000))
        #expect(c.cohorts[1].cells[0].cumulativeRevenuePerCustomer == F.money(13_000))
        #expect(c.cohorts[1].cells[0].isComplete == false)
    }

    @Test func filterByFirstProductAndCountry() {
        // Only A's first order has P2 and comes from SE.
        let product = Self.cohorts(filter: .init(firstProduct: "P2"))
        #expect(product.cohorts.map(\.customers) == [1, 0, 0])
        #expect(product.cohorts[0].cells.map(\.activeCustomers) == [1, 0, 1])
        // An empty cohort has no shares.
        #expect(product.cohorts[1].cells.map(\.retention) == [nil, nil])
        #expect(Self.cohorts(filter: .init(country: "se")).cohorts.map(\.customers) == [1, 0, 0])
        // DK: B, C, E (A's first order is from SE, even though her later ones are from DK).
        #expect(Self.cohorts(filter: .init(country: "DK")).cohorts.map(\.customers) == [1, 1, 1])
        #expect(Self.cohorts(filter: .init(firstProduct: "nope")).cohorts.map(\.customers) == [0, 0, 0])
        #expect(Self.cohorts(filter: .init(firstProduct: "P1", country: "DK")).cohorts.map(\.customers) == [1, 1, 1])
    }

    @Test func membersMaskKeepsOnlyMarkedCustomers() {
        // Dense ids follow the key order A, B, C, D, E, F: keep B and E.
        let c = Self.cohorts(members: [false, true, false, false, true, false])
        #expect(c.cohorts.map(\.customers) == [1, 0, 1])
    }

    @Test func csvAndTableShowTheTriangle() {
        let c = Self.cohorts()
        #expect(c.csv(metric: .retention) == "cohort,customers,k0,k1,k2\r\n2025-01,2,1.0,0.5,0.5\r\n2025-02,1,1.0,0.0,\r\n2025-03,1,1.0,,\r\n")
        #expect(c.csv(metric: .ltv).contains("2025-01,2,175.00,185.00,200.00\r\n"))
        #expect(c.csv(metric: .customers).contains("2025-02,1,1,0,\r\n"))
        let table = c.table(shopName: "Shop", locale: "en_US", metric: .retention)
        #expect(table.contains("50.0%*"))
        #expect(table.contains("Average"))
        #expect(c.json().contains("\"cohort\": \"2025-01\""))
    }
}
