import ClienteleCore
import ClienteleImport
import Foundation
import Testing

@Suite("Canonical order lines")
struct CanonicalFormatTests {
    let dkk = Currency(code: "DKK")!

    @Test("A two-line order and a one-line order read with every field")
    func fields() throws {
        // Hand-written: order 1001 has two lines (2 × 50.00 + 1 × 25.00, total 125.00 with 10.00 refunded and one
        // mug returned); order 1002 is a cancelled guest order with no customer id and no country.
        let text = canonicalFile(
            row(["order_total": "125.00", "refunded": "10.00", "returned_quantity": "1"]),
            row(["order_total": "125.00", "refunded": "10.00", "product_id": "P2", "product_name": "\"Tea, green\"",
                 "quantity": "1", "unit_price": "25", "returned_quantity": ""]),
            row(["order_id": "1002", "placed_at": "2024-03-06T09:00:00Z", "customer_id": "", "email": " Guest@Example.com ",
                 "status": " CANCELLED ", "country": "", "order_total": "19.95", "refunded": "", "product_id": "P3",
                 "product_name": "", "quantity": "1", "unit_price": "19.95", "returned_quantity": "0"]))
        let parsed = try parse(text)
        #expect(parsed.orders.count == 2)
        #expect(parsed.files == [ImportedFile(name: "orders.csv", format: .canonical, orders: 2, lines: 3, unknownColumns: [])])
        let a = parsed.orders[0]
        // 2024-03-05T18:22:10+01:00 is 17:22:10Z.
        #expect(a == Order(id: "1001", placedAt: Instant(seconds: 1_709_596_800 + 62_530), customerId: "C1",
                           email: "a@example.com", status: .placed, currency: dkk, total: 12_500, refunded: 1_000,
                           country: "DK", lines: [
                               OrderLine(productId: "P1", productName: "Mug", quantity: 2, unitPrice: 5_000, returnedQuantity: 1),
                               OrderLine(productId: "P2", productName: "Tea, green", quantity: 1, unitPrice: 2_500),
                           ]))
        let b = parsed.orders[1]
        #expect(b.placedAt.description == "2024-03-06T09:00:00Z")
        #expect(b.customerId == nil)
        #expect(b.email == "Guest@Example.com")
        #expect(b.customerKey == "guest@example.com")
        #expect(b.status == .cancelled)
        #expect(b.country == nil)
        #expect(b.total == 1_995 && b.refunded == 0)
        #expect(b.lines == [OrderLine(productId: "P3", quantity: 1, unitPrice: 1_995)])
        #expect(parsed.reportingCurrency == dkk)
        #expect(!parsed.choseReportingCurrency)
    }

    @Test("Columns are matched by name in any order and case; unknown columns are reported once")
    func columnsByName() throws {
        let text = " Unit_Price ,Quantity,PRODUCT_ID,Order_Total,Currency,Status,Placed_At,Order_ID,Notes,gift\n"
            + "50.00,2,P1,100.00,dkk,Placed,2024-03-05T18:22:10+01:00,1001,hello,yes\n"
            + "50.00,1,P2,100.00,DKK,placed,2024-03-05T18:22:10+01:00,1001,again,no\n"
        let parsed = try parse(text)
        #expect(parsed.files[0].unknownColumns == ["Notes", "gift"])
        #expect(parsed.orders.count == 1)
        #expect(parsed.orders[0].lines.map(\.quantity) == [2, 1])
        #expect(parsed.orders[0].customerKey == nil)
        #expect(parsed.orders[0].currency == dkk)
    }

    @Test("Country codes are upper-cased")
    func countryUpper() throws {
        #expect(try parse(canonicalFile(row(["country": "se"]))).orders[0].country == "SE")
    }

    @Test("Lines of one order may be apart in the file and agree")
    func nonContiguous() throws {
        let parsed = try parse(canonicalFile(row(), row(["order_id": "1002"]), row(["product_id": "P2", "email": "A@Example.com"])))
        #expect(parsed.orders.map(\.id) == ["1001", "1002"])
        #expect(parsed.orders[0].lines.map(\.productId) == ["P1", "P2"])
    }

    @Test("Orders sorted descending, ascending or not at all group their lines by id", arguments: [
        ["1003", "1002", "1002", "1001", "1003"], ["1001", "1002", "1002", "1003", "1001"], ["B", "A", "C", "A", "B"],
        ["10", "9", "100", "9", "10"],
    ])
    func grouping(ids: [String]) throws {
        let lines = ids.enumerated().map { row(["order_id": $0.element, "product_id": "P\($0.offset)"]) }
        let parsed = try parse(([canonicalHeader] + lines).joined(separator: "\n"))
        var expected: [String: [String]] = [:]
        var firstSeen: [String] = []
        for (i, id) in ids.enumerated() {
            if expected[id] == nil { firstSeen.append(id) }
            expected[id, default: []].append("P\(i)")
        }
        #expect(parsed.orders.map(\.id) == firstSeen)
        for order in parsed.orders { #expect(order.lines.map(\.productId) == expected[order.id]) }
    }

    @Test("The same instant written with another offset agrees; amounts agree by value")
    func agreementByValue() throws {
        let parsed = try parse(canonicalFile(row(), row(["placed_at": "2024-03-05T17:22:10Z", "order_total": "100", "product_id": "P2"])))
        #expect(parsed.orders[0].lines.count == 2)
    }

    @Test("Every error in a file is listed, each with its line")
    func severalErrors() throws {
        let f = try #require(failure(canonicalFile(row(["quantity": "x"]), row(["order_id": "1002", "unit_price": "-1"]))))
        #expect(f.description == """
            orders.csv:2: quantity "x" is not a whole number
            orders.csv:3: unit_price "-1" is negative
            """)
    }

    @Test("Blank lines and Excel's empty rows are skipped")
    func blankRows() throws {
        let text = canonicalHeader + "\n\n" + row() + "\n,,,,,,,,,,,,,\n\n"
        #expect(try parse(text).orders.count == 1)
    }

    @Test("Excel flavour (BOM, CRLF, semicolons, decimal commas) reads the same orders as the plain file")
    func excelFlavour() throws {
        let plain = canonicalHeader + "\n"
            + "1001,2024-03-05T18:22:10+01:00,C1,a@example.com,placed,DKK,1249.50,0.00,P1,\"Stol, eg\",1,1249.50,0,DK\n"
            + "1002,2024-03-05T18:22:10+01:00,C1,a@example.com,placed,DKK,0.50,0.25,P1,Mug,1,0.5,0,DK\n"
        let excel = "\u{FEFF}" + canonicalHeader.replacingOccurrences(of: ",", with: ";") + "\r\n"
            + "1001;2024-03-05T18:22:10+01:00;C1;a@example.com;placed;DKK;1249,50;0,00;P1;Stol, eg;1;1249,50;0;DK\r\n"
            + "1002;2024-03-05T18:22:10+01:00;C1;a@example.com;placed;DKK;0,50;0.25;P1;Mug;1;\"0,5\";0;DK\r\n"
        let a = try parse(plain)
        let b = try parse(excel)
        #expect(a.orders == b.orders)
        #expect(b.orders[0].total == 124_950 && b.orders[0].lines[0].productName == "Stol, eg")
        #expect(b.orders[1].total == 50 && b.orders[1].refunded == 25 && b.orders[1].lines[0].unitPrice == 50)
    }

    @Test("A windows-1252 file reads like its UTF-8 twin with --encoding windows-1252")
    func windows1252() throws {
        let utf8 = canonicalFile(row(["product_name": "Kaffebønner – økologisk"]))
        let cp1252 = Array(utf8.unicodeScalars).map { scalar -> UInt8 in
            switch scalar {
            case "ø": return 0xF8
            case "–": return 0x96
            default: return UInt8(scalar.value)
            }
        }
        let fromCP = try parseFiles([(name: "orders.csv", bytes: cp1252)], settings: dkkShop,
                                    options: ImportOptions(encoding: .windows1252))
        #expect(fromCP.orders == (try parse(utf8)).orders)
        #expect(fromCP.orders[0].lines[0].productName == "Kaffebønner – økologisk")
    }

    @Test("A later file's order replaces an earlier one with the same id")
    func laterFileWins() throws {
        let first = canonicalFile(row(), row(["order_id": "1002"]))
        let second = canonicalFile(row(["order_total": "80.00", "unit_price": "40.00"]))
        let parsed = try parseFiles([(name: "a.csv", bytes: Array(first.utf8)), (name: "b.csv", bytes: Array(second.utf8))],
                                    settings: dkkShop)
        #expect(parsed.orders.map(\.id) == ["1001", "1002"])
        #expect(parsed.orders[0].total == 8_000)
        #expect(parsed.files.map(\.name) == ["a.csv", "b.csv"])
    }

    @Test("A shop without a currency takes the first order's currency")
    func reportingCurrencyFromFirstOrder() throws {
        let parsed = try parse(canonicalFile(row(["currency": "sek"])), settings: ShopSettings())
        #expect(parsed.reportingCurrency.code == "SEK")
        #expect(parsed.choseReportingCurrency)
    }

    @Test("The acceptance file reads: 2,000 orders, 3,163 lines")
    func acceptanceFile() throws {
        let path = "/work/shared/acceptance/small.csv"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let rates = try loadRateTable(path: "/work/shared/acceptance/rates.csv")
        let parsed = try parseFiles(paths: [path], settings: ShopSettings(), options: ImportOptions(rates: rates))
        #expect(parsed.orders.count == 2000)
        #expect(parsed.lines == 3163)
        #expect(parsed.reportingCurrency.code == "DKK")
    }
}
