import ClienteleCore
import ClienteleImport
import ClienteleStore
import Foundation
import Testing

/// A malformed file and the exact error text the user reads.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let expected: String
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ expected: String) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.expected = expected
    }

    init(_ name: String, bytes: [UInt8], _ expected: String) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
    }
}

/// Every file below has exactly one problem; line 1 is the header, so the first data line is line 2.
let malformedCases: [MalformedCase] = [
    MalformedCase("bad timestamp", canonicalFile(row(["placed_at": "2024-03-05 18:22"])),
                  #"orders.csv:2: placed_at "2024-03-05 18:22" is not an ISO 8601 timestamp like 2024-03-05T18:22:10+01:00"#),
    MalformedCase("timestamp without offset", canonicalFile(row(["placed_at": "2024-03-05T18:22:10"])),
                  #"orders.csv:2: placed_at "2024-03-05T18:22:10" has no UTC offset; the offset is required, e.g. 2024-03-05T18:22:10+01:00 or 2024-03-05T17:22:10Z"#),
    MalformedCase("February 30", canonicalFile(row(["placed_at": "2024-02-30T10:00:00Z"])),
                  #"orders.csv:2: placed_at "2024-02-30T10:00:00Z" is not a valid date and time"#),
    MalformedCase("hour 24", canonicalFile(row(["placed_at": "2024-03-05T24:00:00+01:00"])),
                  #"orders.csv:2: placed_at "2024-03-05T24:00:00+01:00" is not a valid date and time"#),
    MalformedCase("second 60", canonicalFile(row(["placed_at": "2024-03-05T18:22:60Z"])),
                  #"orders.csv:2: placed_at "2024-03-05T18:22:60Z" is not a valid date and time"#),
    MalformedCase("missing required columns",
                  "order_id,placed_at,status,currency,order_total,product_id\n1001,2024-03-05T18:22:10Z,placed,DKK,10.00,P1\n",
                  "orders.csv:1: missing required columns: quantity, unit_price"),
    MalformedCase("duplicate header names", canonicalHeader + ",Email\n" + row() + ",b@example.com\n",
                  #"orders.csv:1: column "Email" appears twice in the header (columns 4 and 15)"#),
    MalformedCase("negative quantity", canonicalFile(row(["quantity": "-2"])),
                  #"orders.csv:2: quantity "-2" is negative"#),
    MalformedCase("fractional quantity", canonicalFile(row(["quantity": "1.5"])),
                  #"orders.csv:2: quantity "1.5" has a fraction; it must be a whole number"#),
    MalformedCase("zero quantity", canonicalFile(row(["quantity": "0"])),
                  #"orders.csv:2: quantity "0" must be at least 1"#),
    MalformedCase("quantity in words", canonicalFile(row(["quantity": "two"])),
                  #"orders.csv:2: quantity "two" is not a whole number"#),
    MalformedCase("quantity too large for 64 bits", canonicalFile(row(["quantity": "9223372036854775808"])),
                  #"orders.csv:2: quantity "9223372036854775808" is too large"#),
    MalformedCase("returned more than bought", canonicalFile(row(["returned_quantity": "3"])),
                  #"orders.csv:2: returned_quantity "3" is more than quantity "2""#),
    MalformedCase("negative returned quantity", canonicalFile(row(["returned_quantity": "-1"])),
                  #"orders.csv:2: returned_quantity "-1" is negative"#),
    MalformedCase("lines disagree on the total", canonicalFile(row(), row(["order_total": "120.00", "product_id": "P2"])),
                  #"orders.csv:3: order_total "120.00" of order 1001 disagrees with line 2 ("100.00")"#),
    MalformedCase("lines disagree on the status", canonicalFile(row(), row(["status": "Cancelled", "product_id": "P2"])),
                  #"orders.csv:3: status "Cancelled" of order 1001 disagrees with line 2 ("placed")"#),
    MalformedCase("lines disagree on the currency", canonicalFile(row(), row(["currency": "EUR", "product_id": "P2"])),
                  #"orders.csv:3: currency "EUR" of order 1001 disagrees with line 2 ("DKK")"#),
    MalformedCase("non-contiguous lines disagree on the e-mail",
                  canonicalFile(row(), row(["order_id": "1002"]), row(["email": "b@example.com", "product_id": "P2"])),
                  #"orders.csv:4: email of order 1001 disagrees with line 2 (the values are personal data and not repeated here)"#),
    MalformedCase("lines disagree on the timestamp",
                  canonicalFile(row(), row(["placed_at": "2024-03-05T18:22:11+01:00", "product_id": "P2"])),
                  #"orders.csv:3: placed_at "2024-03-05T18:22:11+01:00" of order 1001 disagrees with line 2 ("2024-03-05T18:22:10+01:00")"#),
    MalformedCase("unknown currency", canonicalFile(row(["currency": "XYZ"])),
                  #"orders.csv:2: currency "XYZ" is not an ISO 4217 currency code"#),
    MalformedCase("unterminated quote", canonicalFile(row(), row(["order_id": "1002", "product_name": "\"Mug, blue"])),
                  "orders.csv:3: unterminated quote: the quoted field that starts on this line is never closed"),
    MalformedCase("text after a closing quote", canonicalFile(row(["product_name": "\"Mug\" blue"])),
                  #"orders.csv:2: text after a closing quote (a quote inside a quoted field must be doubled: "")"#),
    MalformedCase("empty file", "", "orders.csv: the file is empty"),
    MalformedCase("header only", canonicalHeader + "\r\n", "orders.csv: no orders: the file has a header but no data rows"),
    MalformedCase("amount too large for 64 bits", canonicalFile(row(["order_total": "99999999999999999999.00"])),
                  #"orders.csv:2: order_total "99999999999999999999.00" is too large"#),
    MalformedCase("byte order mark mid-file", canonicalFile(row(), "\u{FEFF}" + row(["order_id": "1002"])),
                  "orders.csv:3: a byte order mark (U+FEFF) in the middle of the file; were two files joined together?"),
    MalformedCase("mixed separators", canonicalFile(row(), row(["order_id": "1002"]).replacingOccurrences(of: ",", with: ";")),
                  #"orders.csv:3: found 1 field but the header has 14 (separated by ","); are separators mixed, or is a quote missing?"#),
    MalformedCase("invalid UTF-8",
                  bytes: Array(canonicalFile(row(), row(["order_id": "1002", "product_name": "K~ffe"])).utf8).map { $0 == UInt8(ascii: "~") ? 0xE6 : $0 },
                  "orders.csv:3: invalid UTF-8 (byte 0xE6); if the file was saved by Excel on Windows, import it with --encoding windows-1252"),
    MalformedCase("too many decimals for DKK", canonicalFile(row(["order_total": "100.001"])),
                  #"orders.csv:2: order_total "100.001" has more decimals than DKK allows (2)"#),
    MalformedCase("non-numeric amount", canonicalFile(row(["unit_price": "abc"])),
                  #"orders.csv:2: unit_price "abc" is not a decimal number"#),
    MalformedCase("negative total", canonicalFile(row(["order_total": "-5.00"])),
                  #"orders.csv:2: order_total "-5.00" is negative"#),
    MalformedCase("bad status", canonicalFile(row(["status": "shipped"])),
                  #"orders.csv:2: status "shipped" is not placed or cancelled"#),
    MalformedCase("empty product_id", canonicalFile(row(["product_id": " "])),
                  "orders.csv:2: product_id is empty"),
    MalformedCase("empty order_id", canonicalFile(row(), row(["order_id": ""])),
                  "orders.csv:3: order_id is empty"),
    MalformedCase("refunded more than the total", canonicalFile(row(["refunded": "150.00"])),
                  #"orders.csv:2: refunded "150.00" is more than order_total "100.00""#),
    MalformedCase("foreign currency without a rate",
                  canonicalFile(row(), row(["order_id": "1002", "currency": "EUR"]), row(["order_id": "1003", "currency": "EUR"])),
                  """
                  orders.csv: 2 orders are in EUR but the shop reports in DKK and no rate was given for EUR. \
                  Supply a rate table with --rates FILE, a CSV of currency,rate lines where rate is DKK per 1 EUR, e.g.:
                    currency,rate
                    EUR,<DKK per 1 EUR>
                  """),
    MalformedCase("bad country code", canonicalFile(row(["country": "DNK"])),
                  #"orders.csv:2: country "DNK" is not a two-letter ISO 3166-1 country code"#),
    MalformedCase("unknown format", "id,date,amount\n1,2024-01-01,10\n",
                  "orders.csv:1: the header matches no known format: expected the canonical order-lines columns (order_id, placed_at, status, currency, order_total, product_id, quantity, unit_price) or a Shopify orders export (Name, Created at, Lineitem quantity, …)"),
    MalformedCase("record over the length limit", canonicalFile(row(["product_name": String(repeating: "x", count: 1 << 20)])),
                  "orders.csv:2: the record is longer than 1048576 bytes"),
]

@Suite("Malformed files")
struct MalformedFileTests {
    /// Each malformed file fails with exactly its message, and the store keeps exactly what it had.
    @Test("A malformed file is rejected with its exact message and leaves the store unchanged", arguments: malformedCases)
    func rejected(_ testCase: MalformedCase) async throws {
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", testCase.bytes)
        let store = try await prefilledStore()
        let before = try await store.contentChecksum()
        let countsBefore = try await store.counts()
        do {
            _ = try await importFiles(paths: [path], into: store)
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            let text = failure.description.replacingOccurrences(of: dir.path + "/", with: "")
            #expect(text == testCase.expected)
            #expect(failure.totalCount == 1)
        }
        #expect(try await store.contentChecksum() == before)
        #expect(try await store.counts() == countsBefore)
    }

    @Test("The catalogue has at least 25 distinct cases")
    func catalogueSize() {
        #expect(Set(malformedCases.map(\.expected)).count == malformedCases.count)
        #expect(malformedCases.count >= 25)
    }

    @Test("A file that does not exist is an error naming it; the store is untouched")
    func missingFile() async throws {
        let dir = try TempDirectory()
        let store = try await prefilledStore()
        let before = try await store.contentChecksum()
        let path = dir.path + "/nope.csv"
        await #expect {
            _ = try await importFiles(paths: [path], into: store)
        } throws: { error in
            (error as? ImportFailure)?.description == "\(path): cannot read the file: No such file or directory"
        }
        #expect(try await store.contentChecksum() == before)
    }

    @Test("Errors are collected up to 100 and the rest counted")
    func errorLimit() throws {
        // 150 lines, each with a zero quantity: 150 errors, 100 listed.
        var lines: [String] = []
        for i in 0..<150 { lines.append(row(["order_id": String(2000 + i), "quantity": "0"])) }
        let text = ([canonicalHeader] + lines).joined(separator: "\n")
        let f = try #require(failure(text))
        #expect(f.totalCount == 150)
        #expect(f.errors.count == 100)
        #expect(f.errors[0].description == #"orders.csv:2: quantity "0" must be at least 1"#)
        #expect(f.errors[0].code == .invalidQuantity)
        #expect(f.errors[0].line == 2)
        #expect(f.errors[0].column == "quantity")
        #expect(f.errors[0].value == "0")
        #expect(f.description.hasSuffix("\n… and 50 more"))
        #expect(f.description.split(separator: "\n").count == 101)
    }

    @Test("A dry run reports errors the same way")
    func dryRunErrors() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", canonicalFile(row(["quantity": "two"])))
        let store = try await prefilledStore()
        await #expect(throws: ImportFailure.self) {
            _ = try await importFiles(paths: [path], into: store, options: ImportOptions(dryRun: true))
        }
    }
}
