import ClienteleCore
import ClienteleImport
import Testing

/// A Shopify export in the 2022 layout's column names (a subset plus extras we do not read). Only the first row
/// of an order carries the order-level fields; #1001's Notes hold a quoted line break and a comma; #1002 is
/// cancelled and its SKU has Excel's `'` guard; #1003 was sold at the point of sale with no e-mail.
let shopifyExport = """
Name,Email,Financial Status,Paid at,Fulfillment Status,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Billing Name,Billing Country,Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,Id,Tags,Source,Lineitem discount,Phone
#1001,Jane.Doe@Example.com,paid,2022-01-11 04:32:35 -0500,fulfilled,yes,DKK,548.00,39.00,109.60,587.00,,0.00,2022-01-11 04:32:30 -0500,2,Ceramic Mug,149.00,,MUG-1,true,Jane Doe,DK,"Please gift wrap,
thank you!",,Visa,0.00,Acme,4400000001,,web,0.00,'+4512345678
#1001,Jane.Doe@Example.com,,,,,,,,,,,,2022-01-11 04:32:30 -0500,1,Tea Towel,250.00,,,true,,,,,,,Acme,,,,0.00,
#1002,bob@example.com,voided,,unfulfilled,no,DKK,99.00,0.00,19.80,99.00,,0.00,2022-01-12 08:00:00 -0500,1,Coffee Beans,99.00,,'00123,true,Bob,SE,,2022-01-12 09:00:00 -0500,Visa,0.00,Acme,4400000002,,web,0.00,
#1003,,partially_refunded,2022-01-13 10:15:00 +0100,fulfilled,no,DKK,300.00,0.00,60.00,300.00,,0.00,2022-01-13 10:15:00 +0100,3,Candle,100.00,,CND-9,false,,DK,,,Cash,50.00,Acme,4400000003,,pos,0.00,

"""

@Suite("Shopify orders export")
struct ShopifyFormatTests {
    @Test("A Shopify export is detected and read: order fields from the first row, lines from every row")
    func readsExport() throws {
        let parsed = try parse(shopifyExport, name: "orders_export.csv")
        #expect(parsed.files[0].format == .shopify)
        #expect(parsed.orders.map(\.id) == ["#1001", "#1002", "#1003"])

        let a = parsed.orders[0]
        // 04:32:30 at -05:00 is 09:32:30 UTC.
        #expect(a.placedAt.description == "2022-01-11T09:32:30Z")
        #expect(a.customerId == nil)
        #expect(a.email == "Jane.Doe@Example.com")
        #expect(a.customerKey == "jane.doe@example.com")
        #expect(a.status == .placed)
        #expect(a.total == 58_700 && a.refunded == 0)
        #expect(a.country == "DK")
        // The second line has no SKU: its product id is the line item's name.
        #expect(a.lines == [
            OrderLine(productId: "MUG-1", productName: "Ceramic Mug", quantity: 2, unitPrice: 14_900),
            OrderLine(productId: "Tea Towel", productName: "Tea Towel", quantity: 1, unitPrice: 25_000),
        ])

        let b = parsed.orders[1]
        #expect(b.status == .cancelled)
        #expect(b.lines[0].productId == "00123")
        #expect(b.country == "SE")

        let c = parsed.orders[2]
        #expect(c.email == nil && c.customerKey == nil)
        #expect(c.placedAt.description == "2022-01-13T09:15:00Z")
        #expect(c.refunded == 5_000 && c.total == 30_000)
        #expect(c.lines == [OrderLine(productId: "CND-9", productName: "Candle", quantity: 3, unitPrice: 10_000)])
    }

    @Test("Missing optional columns are tolerated (an older layout ending at Cancelled at)")
    func olderLayout() throws {
        let text = "Name,Created at,Currency,Total,Lineitem quantity,Lineitem price,Lineitem name,Cancelled at\n"
            + "#1,2021-05-01 12:00:00 +0200,EUR,10.00,1,10.00,Socks,\n"
        let parsed = try parse(text, settings: ShopSettings())
        #expect(parsed.orders.count == 1)
        #expect(parsed.orders[0].email == nil)
        #expect(parsed.orders[0].lines[0].productId == "Socks")
        #expect(parsed.reportingCurrency.code == "EUR")
    }

    @Test("Errors in a Shopify export name Shopify's column")
    func errors() {
        let text = "Name,Created at,Currency,Total,Lineitem quantity,Lineitem price,Lineitem name\n"
            + "#1,2021-05-01 12:00:00,EUR,10.00,one,10.00,Socks\n"
        let f = failure(text, settings: ShopSettings(currency: "EUR"))
        #expect(f?.description == """
            orders.csv:2: Created at "2021-05-01 12:00:00" has no UTC offset; the offset is required, e.g. 2024-03-05T18:22:10+01:00 or 2024-03-05T17:22:10Z
            orders.csv:2: Lineitem quantity "one" is not a whole number
            """)
    }

    @Test("A Shopify export without its money columns names them")
    func missingColumns() {
        let text = "Name,Created at,Lineitem quantity\n#1,2021-05-01 12:00:00 +0200,1\n"
        #expect(failure(text)?.description == "orders.csv:1: missing required columns: Currency, Total, Lineitem price")
    }
}
