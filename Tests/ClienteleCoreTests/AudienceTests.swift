import Testing
@testable import ClienteleCore

@Suite("Audience overview, insights and products")
struct AudienceTests {
    typealias F = LifecycleFixture

    static func money(_ m: Int64) -> Money { Money(minorUnits: m, currency: F.dkk) }

    // `group = loyal` as of day 400 is alice (3 × 500.00 of P1) and carol (2 × 50.00 of P2).
    // Audience: revenue 1 600.00, 2 customers, 5 orders, 5 items, line amounts 1 600.00 → item price 320.00.
    // All customers (erin is not one yet): revenue 1 500 + 1 200 + 100 + 10 = 2 810.00, 4 customers,
    // 7 orders, 8 items (bob bought 2), line amounts 2 810.00 → 351.25.
    @Test("overview: totals beside all customers' and the share")
    func overview() throws {
        let ctx = AudienceFixture.context
        let o = AudienceOverview.compute(context: ctx, mask: try AudienceFilter("group = loyal").customers(in: ctx))
        #expect(o.audience.revenue == Self.money(160_000))
        #expect(o.audience.customers == 2)
        #expect(o.audience.orders == 5)
        #expect(o.audience.items == 5)
        #expect(o.audience.averageItemPrice == Self.money(32_000))
        #expect(o.all.revenue == Self.money(281_000))
        #expect(o.all.customers == 4)
        #expect(o.all.orders == 7)
        #expect(o.all.items == 8)
        #expect(o.all.averageItemPrice == Self.money(35_125))
        let json = o.json(name: "loyal", filter: "group = loyal")
        #expect(json.contains("\"customers\": {\n      \"audience\": 2,\n      \"allCustomers\": 4,\n      \"share\": 0.5\n    }"))
    }

    // alice: tenure 300 days, first to last 200 days, gaps 100; carol: tenure 400, span 10, gap 10.
    // Lifetime value 1 600 ÷ 2 = 800.00; order value 1 600 ÷ 5 = 320.00; basket 5 ÷ 5 = 1;
    // revenue per year 160 000 × 365.25 ÷ 700 = 83 485.7 → 834.86; orders per year 5 × 365.25 ÷ 700;
    // lifetime (200 + 10) ÷ 2 = 105 days; days between orders (100 + 10) ÷ 2 = 55.
    @Test("per-customer insights")
    func insights() throws {
        let ctx = AudienceFixture.context
        let a = AudienceOverview.compute(context: ctx, mask: try AudienceFilter("group = loyal").customers(in: ctx)).audience
        #expect(a.lifetimeValue == Self.money(80_000))
        #expect(a.orderValue == Self.money(32_000))
        #expect(a.basketSize == 1)
        #expect(a.revenuePerYear == Self.money(83_486))
        #expect(a.ordersPerYear!.isClose(to: 5 * 365.25 / 700))
        #expect(a.lifetimeDays == 105)
        #expect(a.daysBetweenOrders == 55)
    }

    @Test("an empty audience has totals of 0 and no averages")
    func empty() throws {
        let ctx = AudienceFixture.context
        let o = AudienceOverview.compute(context: ctx, mask: try AudienceFilter("orders > 100").customers(in: ctx))
        #expect(o.audience.customers == 0 && o.audience.revenue == Self.money(0))
        #expect(o.audience.lifetimeValue == nil && o.audience.orderValue == nil && o.audience.basketSize == nil)
        #expect(o.audience.revenuePerYear == nil && o.audience.daysBetweenOrders == nil && o.audience.averageItemPrice == nil)
        #expect(o.products.isEmpty && o.productCount == 0)
    }

    // Everyone as of day 400: P1 in alice's 3 orders and dave's 1 (4 times, 4 units, 1 510.00, 2 customers);
    // P00042 once (2 units, 1 200.00, 1 customer); P2 twice (2 units, 100.00, 1 customer).
    @Test("most bought products, each sort, ties by product id",
          arguments: [(AudienceOverview.ProductSort.times, ["P1", "P2", "P00042"]), (.quantity, ["P1", "P00042", "P2"]),
                      (.revenue, ["P1", "P00042", "P2"]), (.customers, ["P1", "P00042", "P2"])])
    func products(sort: AudienceOverview.ProductSort, expected: [String]) throws {
        let ctx = AudienceFixture.context
        let mask = try AudienceFilter("orders >= 1").customers(in: ctx)
        let o = AudienceOverview.compute(context: ctx, mask: mask, productSort: sort)
        #expect(o.products.map(\.productId) == expected)
        let p1 = o.products.first { $0.productId == "P1" }!
        #expect(p1.timesBought == 4 && p1.quantity == 4 && p1.revenue == Self.money(151_000) && p1.customers == 2)
        let times = o.products.first { $0.productId == "P2" }!
        #expect(times.timesBought == 2 && times.customers == 1)
        #expect(AudienceOverview.compute(context: ctx, mask: mask, topProducts: 1).products.count == 1)
    }

    @Test("a product on two lines of one order counts once in times bought")
    func twoLines() throws {
        let order = Order(id: "1", placedAt: Instant(seconds: Int64(F.day(0).dayNumber) * 86_400), customerId: "a", currency: F.dkk,
                          total: 300, lines: [OrderLine(productId: "X", quantity: 1, unitPrice: 100),
                                              OrderLine(productId: "X", quantity: 2, unitPrice: 100)])
        let s = F.snapshot([order])
        let ctx = AudienceContext(snapshot: s, asOf: F.day(1), thresholds: .init(), currency: F.dkk)
        let o = AudienceOverview.compute(context: ctx, mask: [true])
        #expect(o.products.map(\.timesBought) == [1])
        #expect(o.products.map(\.quantity) == [3])
    }

    @Test("the export lists the audience's customers with e-mail and figures")
    func export() throws {
        let ctx = AudienceFixture.context
        let csv = AudienceOverview.exportCSV(context: ctx, mask: try AudienceFilter("country in (SE, NO)").customers(in: ctx))
        #expect(csv == "customer,email,orders,revenue,average_order_value,first_order,last_order,stage,group,country\r\n"
                + "bob,bob@firma.dk,1,1200.00,1200.00,2024-12-16,2024-12-16,active,one-time,SE\r\n"
                + "dave,dave@x.com,1,10.00,10.00,2025-01-30,2025-01-30,new,one-time,NO\r\n")
        let json = AudienceOverview.exportJSON(context: ctx, mask: try AudienceFilter("customer = bob").customers(in: ctx), name: "b")
        #expect(json.contains("\"email\": \"bob@firma.dk\""))
        #expect(json.contains("\"revenue\": \"1200.00\""))
    }
}
