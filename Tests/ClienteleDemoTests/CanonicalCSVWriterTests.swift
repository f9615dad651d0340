import ClienteleCore
import ClienteleDemo
import Foundation
import Testing

@Suite struct CanonicalCSVWriterTests {
    let calendar = DemoFixture.shop.calendar
    var writer: CanonicalCSVWriter { CanonicalCSVWriter(calendar: calendar) }

    /// A plain RFC 4180 reader for checking the output.
    static func parse(_ text: String) -> [[String]] {
        let bytes = Array(text.utf8)
        var rows: [[String]] = [], row: [String] = [], field: [UInt8] = []
        var inQuotes = false
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if inQuotes {
                if c == 34 {
                    if i < bytes.count && bytes[i] == 34 { field.append(34); i += 1 } else { inQuotes = false }
                } else { field.append(c) }
            } else if c == 34 {
                inQuotes = true
            } else if c == 44 {
                row.append(String(decoding: field, as: UTF8.self)); field = []
            } else if c == 10 {
                row.append(String(decoding: field, as: UTF8.self)); field = []
                rows.append(row); row = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
        return rows
    }

    @Test func aKnownOrderIsWrittenExactly() {
        let dkk = Currency(code: "DKK")!, eur = Currency(code: "EUR")!
        let home = Order(id: "1001", placedAt: Instant(seconds: 1_733_000_000), customerId: "100007",
                         email: "anne.hansen18@gmail.com", currency: dkk, total: 1_048_00, refunded: 129_00, country: "DK",
                         lines: [OrderLine(productId: "SKU-10010", productName: "Løbesko Fjord Trail", quantity: 1, unitPrice: 899_00),
                                 OrderLine(productId: "SKU-10012", productName: "Plaid \"Hygge\", uld", quantity: 2, unitPrice: 74_50, returnedQuantity: 1)])
        let away = Order(id: "1002", placedAt: Instant(seconds: 1_720_000_000), email: " Mette@Live.dk",
                         status: .cancelled, currency: eur, total: 40_21, shopTotal: 299_97, rate: "7.46",
                         lines: [OrderLine(productId: "SKU-1", productName: "Te, grøn\nSencha", quantity: 1, unitPrice: 40_21)])
        let text = writer.text(of: [home, away])
        #expect(text == """
        order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country
        1001,2024-11-30T21:53:20+01:00,100007,anne.hansen18@gmail.com,placed,DKK,1048.00,129.00,SKU-10010,Løbesko Fjord Trail,1,899.00,0,DK
        1001,2024-11-30T21:53:20+01:00,100007,anne.hansen18@gmail.com,placed,DKK,1048.00,129.00,SKU-10012,"Plaid ""Hygge"", uld",2,74.50,1,DK
        1002,2024-07-03T11:46:40+02:00,, Mette@Live.dk,cancelled,EUR,40.21,0.00,SKU-1,"Te, grøn
        Sencha",1,40.21,0,

        """)
    }

    @Test func timestampsAndAmountsMatchTheCoreFormatters() {
        // placed_at as ShopCalendar.iso8601 and money as Money.decimalString, for every demo order
        // (both sides of the daylight-saving changes included) and a few edge amounts.
        let orders = DemoFixture.orders
        let rows = Self.parse(writer.text(of: orders)).dropFirst()
        var i = 0
        for order in orders {
            for line in order.lines {
                let row = rows[rows.startIndex + i]
                i += 1
                #expect(row[1] == calendar.iso8601(order.placedAt))
                #expect(row[6] == Money(minorUnits: order.total, currency: order.currency).decimalString)
                #expect(row[11] == Money(minorUnits: line.unitPrice, currency: order.currency).decimalString)
            }
        }
        #expect(i == rows.count)
        let jpy = Currency(code: "JPY")!, kwd = Currency(code: "KWD")!
        for (amount, currency) in [(Int64(-5), jpy), (1_200, jpy), (-5, kwd), (1_000_001, kwd), (-1, Currency(code: "DKK")!), (0, Currency(code: "DKK")!)] {
            let o = Order(id: "x", placedAt: Instant(seconds: -86_400 * 400), currency: currency, total: amount, refunded: amount,
                          lines: [OrderLine(productId: "p", quantity: 1, unitPrice: amount)])
            let row = Self.parse(writer.text(of: [o]))[1]
            #expect(row[6] == Money(minorUnits: amount, currency: currency).decimalString)
            #expect(row[1] == calendar.iso8601(o.placedAt))
        }
    }

    @Test func theCSVReadsBackIntoTheSameOrders() throws {
        // A round trip through a plain RFC 4180 reader: every field of every generated order survives.
        let orders = DemoFixture.orders
        let rows = Self.parse(writer.text(of: orders))
        #expect(rows[0] == CanonicalCSVWriter.header.split(separator: ",").map(String.init))
        #expect(rows.count == 1 + DemoFixture.summary.lines)
        var rebuilt: [Order] = []
        for row in rows.dropFirst() {
            #expect(row.count == 14)
            let currency = try #require(Currency(code: row[5]))
            let line = OrderLine(productId: row[8], productName: row[9], quantity: try #require(Int64(row[10])),
                                 unitPrice: try #require(Money.parseMinorUnits(row[11][...], digits: currency.minorDigits)),
                                 returnedQuantity: try #require(Int64(row[12])))
            if rebuilt.last?.id == row[0] {
                rebuilt[rebuilt.count - 1].lines.append(line)
            } else {
                let original = orders[rebuilt.count]
                rebuilt.append(Order(id: row[0], placedAt: original.placedAt, customerId: row[2].isEmpty ? nil : row[2],
                                     email: row[3].isEmpty ? nil : row[3], status: try #require(OrderStatus(rawValue: row[4])),
                                     currency: currency, total: try #require(Money.parseMinorUnits(row[6][...], digits: 2)),
                                     refunded: try #require(Money.parseMinorUnits(row[7][...], digits: 2)),
                                     shopTotal: original.shopTotal, shopRefunded: original.shopRefunded, rate: original.rate,
                                     country: row[13].isEmpty ? nil : row[13], lines: [line]))
                #expect(row[1] == calendar.iso8601(original.placedAt))
            }
        }
        #expect(rebuilt == orders)
    }

    @Test func writingAFileGivesTheSameBytesAsTheText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-csv-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // 60,000 orders ≈ 16 MB: the buffer is flushed many times.
        let shop = DemoShop(endDate: DemoFixture.endDate, orderCount: 60_000, seed: 11)
        let path = dir.appendingPathComponent("orders.csv").path
        let summary = try writer.write(toPath: path) { emit in try shop.generate(emit) }
        #expect(summary.orders == 60_000)
        var orders: [Order] = []
        shop.generate { orders.append($0) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 2 << 20)
        #expect(String(decoding: bytes, as: UTF8.self) == writer.text(of: orders))

        let ratesPath = dir.appendingPathComponent("rates.csv").path
        try CanonicalCSVWriter.writeRateTable(shop.exchangeRates, toPath: ratesPath)
        #expect(try String(contentsOfFile: ratesPath, encoding: .utf8) == "currency,rate\nEUR,7.46\nSEK,0.65\nNOK,0.64\n")
    }

    @Test func anUnwritablePathIsAClearError() {
        #expect {
            try writer.write(toPath: "/nonexistent-dir/orders.csv") { _ in }
        } throws: { error in
            (error as? DemoError)?.description == "cannot open /nonexistent-dir/orders.csv for writing: No such file or directory"
        }
    }
}
