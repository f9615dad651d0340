import Foundation
import Testing

@Suite("clientele import of a Shopify orders export")
struct ShopifyImportTests {
    /// Four orders in Shopify's layout. Only an order's first row carries the order-level fields.
    /// - #1001: Jane (mixed-case e-mail), two rows, 587.00 DKK; Notes with a quoted line break and comma.
    /// - #1002: Bob, cancelled (Cancelled at set).
    /// - #1003: point of sale, no e-mail (anonymous), 300.00 with 50.00 refunded.
    /// - #1004: Jane again at 22:30 −05:00 on 31 January = 03:30 UTC on 1 February; 100.00, SKU with Excel's `'`.
    static let export = """
        Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Refunded Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Country,Cancelled at,Notes,Id
        #1001,Jane.Doe@Example.com,paid,2022-01-11 04:32:35 -0500,fulfilled,DKK,548.00,39.00,109.60,587.00,,0.00,0.00,2022-01-11 04:32:30 -0500,2,Ceramic Mug,149.00,MUG-1,DK,,"Please gift wrap,
        thank you!",4400000001
        #1001,Jane.Doe@Example.com,,,,,,,,,,,,2022-01-11 04:32:30 -0500,1,Tea Towel,250.00,,,,,
        #1002,bob@example.com,voided,,unfulfilled,DKK,99.00,0.00,19.80,99.00,,0.00,0.00,2022-01-12 08:00:00 -0500,1,Coffee Beans,99.00,BEANS,SE,2022-01-12 09:00:00 -0500,,4400000002
        #1003,,partially_refunded,2022-01-13 10:15:00 +0100,fulfilled,DKK,300.00,0.00,60.00,300.00,,0.00,50.00,2022-01-13 10:15:00 +0100,3,Candle,100.00,CND-9,DK,,,4400000003
        #1004,jane.doe@example.com,paid,2022-01-31 22:30:00 -0500,fulfilled,DKK,100.00,0.00,20.00,100.00,WELCOME,10.00,0.00,2022-01-31 22:30:00 -0500,1,Candle,110.00,'CND-9,DK,,,4400000004

        """

    @Test("A Shopify export is detected, counted and reported as computed by hand")
    func importsExport() async throws {
        try await Workspace.with { ws in
            try ws.write("orders_export.csv", Self.export)
            // A new database: UTC, and the currency is taken from the first order (DKK).
            let r = try await ws.succeed("import", "orders_export.csv", "--db", "shop.sqlite")
            let rows = summaryRows(r.stdout)
            #expect(r.stdout.lowercased().contains("shopify"))
            // #1001 has 2 rows, the other three 1 each.
            #expect(rows["File"] == "orders_export.csv: Shopify orders export, 4 orders, 5 lines")
            #expect(rows["Orders"] == "4")
            #expect(rows["Lines"] == "5")
            // Identities of non-cancelled orders: jane.doe@example.com only (#1003 has no e-mail, #1002 is cancelled).
            #expect(rows["Customers"] == "1")
            #expect(rows["Anonymous orders"] == "1")
            #expect(rows["Cancelled orders"] == "1")
            #expect(rows["Reporting currency"] == "DKK (set by this import)")

            let (_, j) = try await ws.reportJSON(db: "shop.sqlite", ["--from", "2022-01-01", "--to", "2022-02-28", "--as-of", "2022-02-28"])
            #expect(value(j, "timeZone") as? String == "UTC")
            // #1001 587.00 + #1003 300.00 + #1004 100.00 (Total, not the line sums).
            #expect(integer(value(j, "totals", "orders")) == 3)
            #expect(value(j, "totals", "revenue") as? String == "987.00")
            #expect(value(j, "totals", "netRevenue") as? String == "937.00")
            #expect(integer(value(j, "totals", "anonymousOrders")) == 1)
            #expect(integer(value(j, "totals", "cancelledOrders")) == 1)
            #expect(integer(value(j, "uniqueCustomers")) == 1)
            #expect(close(number(value(j, "repeatRate")), 1))
            #expect(value(j, "averageCLV") as? String == "687.00")
            // 2022-01-11 09:32:30Z to 2022-02-01 03:30:00Z = 20 days 17 h 57 min 30 s.
            let gapDays: Double = 20 + Double(17 * 3600 + 57 * 60 + 30) / 86_400
            #expect(close(number(value(j, "averageDaysBetweenFirstAndSecondOrder")), gapDays))
            let months = try #require(value(j, "months") as? [[String: Any]])
            #expect(months.map { $0["month"] as? String } == ["2022-01", "2022-02"])
            #expect(months.map { integer($0["customers"]) } == [1, 1])
            #expect(months.map { integer($0["new"]) } == [1, 0])
            let top = try #require(value(j, "topCustomers") as? [[String: Any]])
            #expect(top.count == 1)
            #expect(top.first?["customer"] as? String == "jane.doe@example.com")
            #expect(integer(top.first?["orders"]) == 2)
            #expect(top.first?["revenue"] as? String == "687.00")
            #expect(top.first?["firstOrder"] as? String == "2022-01-11T09:32:30+00:00")
            #expect(top.first?["lastOrder"] as? String == "2022-02-01T03:30:00+00:00")
        }
    }
}
