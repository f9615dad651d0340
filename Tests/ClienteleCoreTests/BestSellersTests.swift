import Testing
@testable import ClienteleCore

/// METRICS.md, "Best sellers and best customers": the top products by quantity and by line revenue, the
/// top customers and what they buy, counted by hand.
@Suite struct BestSellersTests {
    typealias F = Fixture

    static func line(_ p: String, _ quantity: Int64, _ price: String, returned: Int64 = 0) -> OrderLine {
        OrderLine(productId: p, productName: "Name " + p, quantity: quantity, unitPrice: F.minor(price), returnedQuantity: returned)
    }

    static let orders: [Order] = [
        F.order("1", "2025-01-02T10:00:00Z", customer: "C1", total: "250.00", lines: [line("P1", 2, "100.00"), line("P2", 1, "50.00")]),
        // P2 on two lines of one order: 4 units, one order.
        F.order("2", "2025-01-03T10:00:00Z", customer: "C2", total: "200.00", lines: [line("P2", 3, "50.00", returned: 1), line("P2", 1, "50.00")]),
        F.order("3", "2025-01-04T10:00:00Z", total: "50.00", lines: [line("P3", 10, "5.00")]),   // anonymous
        F.order("4", "2025-01-05T10:00:00Z", customer: "C1", total: "100.00", lines: [line("P1", 1, "100.00")]),
        F.order("5", "2025-01-06T10:00:00Z", customer: "C2", total: "900.00", cancelled: true, lines: [line("P4", 9, "100.00")]),
        F.order("6", "2025-02-06T10:00:00Z", customer: "C2", total: "900.00", lines: [line("P4", 9, "100.00")]),   // after P
    ]

    static func compute(top: Int = 0, topCustomers: Int = 1) -> BestSellers {
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        return BestSellers.compute(snapshot: snapshot, period: Period(from: F.date("2025-01-01"), through: F.date("2025-01-31")),
                                   asOf: F.date("2025-01-31"), currency: F.dkk, timeZone: "UTC", top: top, topCustomers: topCustomers)
    }

    @Test func bestSellersByQuantityAndByLineRevenue() {
        let r = Self.compute()
        // Orders 1–4 (5 cancelled, 6 after P). Units: P1 2 + 1 = 3, P2 1 + 3 + 1 = 5, P3 10.
        // Line revenue: P1 3 × 100 = 300.00, P2 5 × 50 = 250.00, P3 10 × 5 = 50.00; total 600.00.
        #expect(r.orders == 4 && r.products == 3 && r.quantity == 18)
        #expect(r.lineRevenue == F.money(60_000))
        #expect(r.byQuantity.map(\.productId) == ["P3", "P2", "P1"])
        #expect(r.byQuantity.map(\.quantity) == [10, 5, 3])
        #expect(r.byRevenue.map(\.productId) == ["P1", "P2", "P3"])
        #expect(r.byRevenue.map(\.revenue) == [F.money(30_000), F.money(25_000), F.money(5_000)])
        #expect(r.byRevenue[0].revenueShare == 0.5)     // 300 / 600
        // Orders with the product (P2 on two lines of order 2 counts once) and distinct identified customers.
        #expect(r.byRevenue.map(\.orders) == [2, 2, 1])
        #expect(r.byRevenue.map(\.customers) == [1, 2, 0])
        #expect(r.byRevenue[1].returnedQuantity == 1)
        #expect(Self.compute(top: 1).byQuantity.map(\.productId) == ["P3"])
    }

    @Test func whatTheTopCustomersBuy() {
        // Top customer by revenue in P: C1 (250 + 100 = 350.00) before C2 (200.00; the 900.00 orders are
        // cancelled or after P). C1 bought P1 for 300.00 and P2 for 50.00.
        let r = Self.compute(topCustomers: 1)
        #expect(r.groupCustomers.map(\.customer) == ["C1"])
        #expect(r.groupCustomers[0].orders == 2 && r.groupCustomers[0].revenue == F.money(35_000))
        #expect(r.groupProducts.map(\.productId) == ["P1", "P2"])
        #expect(r.groupProducts.map(\.revenue) == [F.money(30_000), F.money(5_000)])
        #expect(r.groupLineRevenue == F.money(35_000))
        #expect(r.group == "top 1 customers by revenue")
        // Both customers: the anonymous P3 is still not theirs.
        let both = Self.compute(topCustomers: 5)
        #expect(both.groupCustomers.map(\.customer) == ["C1", "C2"])
        #expect(both.groupProducts.map(\.productId) == ["P1", "P2"])
    }

    @Test func tiesAreBrokenByTheOtherFigureThenByProductId() {
        let orders = [
            F.order("1", "2025-01-02T10:00:00Z", customer: "C1", lines: [Self.line("B", 2, "10.00"), Self.line("A", 2, "10.00"), Self.line("C", 2, "20.00")]),
        ]
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let r = BestSellers.compute(snapshot: snapshot, period: Period(from: F.date("2025-01-01"), through: F.date("2025-01-31")),
                                    asOf: F.date("2025-01-31"), currency: F.dkk, timeZone: "UTC", top: 0, topCustomers: 0)
        // All 2 units: C first by revenue (40.00), then A before B by id.
        #expect(r.byQuantity.map(\.productId) == ["C", "A", "B"])
        #expect(r.byRevenue.map(\.productId) == ["C", "A", "B"])
        #expect(r.groupCustomers.isEmpty && r.groupProducts.isEmpty)
        #expect(r.csv().hasPrefix("rank,product_id,name,quantity,returned_quantity,revenue,revenue_share,orders,customers\r\n1,C,Name C,2,0,40.00,0.5,1,1\r\n"))
        #expect(r.json().contains("\"lineRevenue\": \"80.00\""))
        #expect(r.table(shopName: "Shop", locale: "en_US").contains("Best sellers by units"))
    }
}
