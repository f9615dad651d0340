import ClienteleCore
import ClienteleImport
import ClienteleStore
import Foundation
import Testing

/// Imports `bytes` as `orders.csv` into a store holding order 9001 and returns the failure's text (paths
/// stripped), after checking that the store is exactly as it was; `nil` when the import succeeded.
private func rejectedImport(_ bytes: [UInt8]) async throws -> String? {
    let dir = try TempDirectory()
    let path = try dir.write("orders.csv", bytes)
    let store = try await prefilledStore()
    let before = try await store.contentChecksum()
    let counts = try await store.counts()
    var text: String? = nil
    do {
        _ = try await importFiles(paths: [path], into: store)
    } catch let failure as ImportFailure {
        text = failure.description.replacingOccurrences(of: dir.path + "/", with: "")
    }
    #expect(try await store.contentChecksum() == before)
    #expect(try await store.counts() == counts)
    return text
}

/// A canonical file whose lines are `rows` (without the header), as bytes.
private func file(_ rows: [String]) -> [UInt8] { Array(csv(rows).utf8) }

/// A canonical file: the header and `rows`, LF line ends.
private func csv(_ rows: [String]) -> String { ([canonicalHeader] + rows).joined(separator: "\n") + "\n" }

/// Inputs beyond the malformed-file catalogue: huge lines and headers, endless quoting, dates and amounts at
/// the edges. Each gets one clear error naming the file and line (and column), in bounded memory, and the
/// store is left as it was. The multi-gigabyte cases are in `scripts/hostile` (docs/reliability.md).
@Suite("Hostile input")
struct HostileInputTests {
    @Test("A line of 10 MB is refused with the file and line after 1 MiB of it; nothing after it is read")
    func tenMegabyteLine() async throws {
        let long = row(["order_id": "1002", "product_name": String(repeating: "x", count: 10_000_000)])
        // Line 4 would be an error of its own (a zero quantity) if it were read.
        let bytes = file([row(), long, row(["order_id": "1003", "quantity": "0"])])
        #expect(try await rejectedImport(bytes) == "orders.csv:3: the record is longer than 1048576 bytes")
    }

    @Test("A record that runs past the limit keeps no fields and ends the reading; one that ends just past it does not")
    func overLongRecords() {
        // 300,000 fields of 4 bytes: 1.2 MB without a line end within the first 1,048,577 bytes.
        let wide = Array(repeating: "abc", count: 300_000).joined(separator: ",")
        let records = CSVRecord.read(Array(("a,b\n" + wide + "\n1,2\n").utf8), file: "x.csv")
        #expect(records.count == 2)
        #expect(records[1].fields.isEmpty)
        #expect(records[1].problem?.description == "x.csv:2: the record is longer than 1048576 bytes")
        // Exactly 1,048,576 bytes and a line end: the end is found, the record (1,048,577 bytes with its line
        // end) is too long, and the next record is read.
        let exact = String(repeating: "x", count: CSVRecord.maxBytes)
        let next = CSVRecord.read(Array(("a\n" + exact + "\n1\n").utf8), file: "x.csv")
        #expect(next.map(\.line) == [1, 2, 3])
        #expect(next[1].problem?.description == "x.csv:2: the record is longer than 1048576 bytes")
        #expect(next[2] == CSVRecord(line: 3, fields: ["1"]))
        // One byte less is accepted.
        let fits = CSVRecord.read(Array(("a\n" + exact.dropLast() + "\n").utf8), file: "x.csv")
        #expect(fits[1].problem == nil && fits[1].fields[0].utf8.count == CSVRecord.maxBytes - 1)
    }

    @Test("A stray quote in a big file is named by its line once the field runs past 1 MiB")
    func strayQuote() async throws {
        // Line 3 opens a quote that is never closed; 20,000 valid lines (1.7 MB) follow.
        let rest = (0..<20_000).map { row(["order_id": String(5000 + $0)]) }
        let bytes = file([row(), row(["order_id": "1002", "product_name": "\"Mug"])] + rest)
        #expect(try await rejectedImport(bytes)
                == "orders.csv:3: the quoted field that starts on this line runs on for more than 1048576 bytes; is its closing quote missing?")
    }

    @Test("3 MB of garbage without a line break is one over-long header: refused at line 1")
    func garbageWithoutNewlines() async throws {
        // Printable garbage with separators, no line break: the header never ends.
        var bytes = [UInt8]()
        bytes.reserveCapacity(3 << 20)
        var x: UInt32 = 12_345
        for _ in 0..<(3 << 20) {
            x = x &* 1_103_515_245 &+ 12_345
            let b = UInt8(0x20 + (x >> 16) % 95)
            bytes.append(b == 0x22 ? 0x21 : b)  // no quotes: they would end in a quoting error first
        }
        #expect(try await rejectedImport(bytes) == "orders.csv:1: the record is longer than 1048576 bytes")
    }

    @Test("A header of a million columns is refused: too long when named, too many when empty")
    func millionColumns() async throws {
        let named = (0..<1_000_000).map { "c\($0)" }.joined(separator: ",")
        #expect(try await rejectedImport(Array((named + "\n" + row() + "\n").utf8))
                == "orders.csv:1: the record is longer than 1048576 bytes")
        // 999,999 commas: a million empty names in under 1 MiB.
        let empty = String(repeating: ",", count: 999_999)
        #expect(try await rejectedImport(Array((empty + "\n" + row() + "\n").utf8))
                == "orders.csv:1: the header has 1000000 columns; an order file may have at most 1000")
    }

    @Test("100,000 quote characters: an even run is a field of quotes; an odd run never closes")
    func quoteRuns() async throws {
        // "…" of 100,000 quotes: the first opens, 49,999 doubled pairs are quotes, the last closes.
        let even = row(["order_id": "1002", "product_name": String(repeating: "\"", count: 100_000)])
        let parsed = try parse(csv([row(), even]))
        #expect(parsed.orders[1].lines[0].productName == String(repeating: "\"", count: 49_999))
        // One more: the field is never closed and swallows the rest of the file.
        let odd = row(["order_id": "1002", "product_name": String(repeating: "\"", count: 100_001)])
        #expect(try await rejectedImport(file([row(), odd, row(["order_id": "1003"])]))
                == "orders.csv:3: unterminated quote: the quoted field that starts on this line is never closed")
        // Quotes then text: the field closes and text follows.
        let after = row(["order_id": "1002", "product_name": String(repeating: "\"", count: 100_000) + "x"])
        #expect(try await rejectedImport(file([row(), after]))
                == #"orders.csv:3: text after a closing quote (a quote inside a quoted field must be doubled: "")"#)
    }

    @Test("Dates at the edges: years 1900–2199 are read; year 1, 9999 and leap seconds are refused", arguments: [
        ("0001-01-01T00:00:00Z", #"orders.csv:2: placed_at "0001-01-01T00:00:00Z" is outside the years 1900–2199 that Clientele's calendars cover"#),
        ("9999-12-31T23:59:59Z", #"orders.csv:2: placed_at "9999-12-31T23:59:59Z" is outside the years 1900–2199 that Clientele's calendars cover"#),
        ("1899-12-31T23:59:59+14:00", #"orders.csv:2: placed_at "1899-12-31T23:59:59+14:00" is outside the years 1900–2199 that Clientele's calendars cover"#),
        ("2200-01-01T00:00:00-12:00", #"orders.csv:2: placed_at "2200-01-01T00:00:00-12:00" is outside the years 1900–2199 that Clientele's calendars cover"#),
        ("2016-12-31T23:59:60Z", #"orders.csv:2: placed_at "2016-12-31T23:59:60Z" is not a valid date and time"#),
        ("2024-03-05T10:00:00+14:01", #"orders.csv:2: placed_at "2024-03-05T10:00:00+14:01" has a UTC offset beyond ±14:00, the largest in use"#),
        ("2024-03-05T10:00:00-18:00", #"orders.csv:2: placed_at "2024-03-05T10:00:00-18:00" has a UTC offset beyond ±14:00, the largest in use"#),
        ("2024-03-05T10:00:00+19:00", #"orders.csv:2: placed_at "2024-03-05T10:00:00+19:00" is not a valid date and time"#),
    ])
    func datesRefused(placedAt: String, expected: String) async throws {
        #expect(try await rejectedImport(file([row(["placed_at": placedAt])])) == expected)
    }

    @Test("The first and last instants of the calendar's years, at ±14:00 and −12:00, are read and reported on")
    func datesAccepted() throws {
        // 1900-01-01T00:00+14:00 is 1899-12-31T10:00Z (day −25568, 1970 back to 1900 is 25567 days, less one);
        // 2199-12-31T23:59:59−12:00 is 2200-01-01T11:59:59Z.
        let rows = [row(["order_id": "1", "placed_at": "1900-01-01T00:00:00+14:00"]),
                    row(["order_id": "2", "placed_at": "2199-12-31T23:59:59-12:00"]),
                    row(["order_id": "3", "placed_at": "2024-03-05T10:00:00-14:00"])]
        let parsed = try parse(csv(rows))
        #expect(parsed.orders.map(\.placedAt.description) == ["1899-12-31T10:00:00Z", "2200-01-01T11:59:59Z", "2024-03-06T00:00:00Z"])
        // Shops at both ends of the world's offsets build a snapshot and report over all of it without trapping.
        for zone in ["Pacific/Kiritimati", "Etc/GMT+12", "Europe/Copenhagen"] {
            let calendar = try #require(ShopCalendar(identifier: zone))
            let snapshot = ShopSnapshot(orders: parsed.orders, calendar: calendar, currency: Currency(code: "DKK")!)
            let period = Period(start: ShopDate(year: 1899, month: 12, day: 1)!, end: ShopDate(year: 2200, month: 2, day: 1)!)
            let stats = CustomerStatistics.compute(snapshot: snapshot, period: period, asOf: period.lastDay, top: 5,
                                                   thresholds: .init(), currency: Currency(code: "DKK")!, timeZone: zone)
            // One customer (C1) with three orders of 100.00.
            #expect(stats.summary.uniqueCustomers == 1)
            #expect(stats.summary.totals.orders == 3)
            #expect(stats.summary.totals.revenue.minorUnits == 30_000)
        }
    }

    @Test("Amounts near the Int64 limit: one import adds up to at most 10^17 minor units, refused at the line that passes it")
    func amountSums() async throws {
        // Eleven orders of 100 000 000 000 000.00 DKK (10^16 øre each): ten reach the limit exactly, the
        // eleventh (line 12) passes it. Their lines are small (2 × 1.00), so only the totals pass a limit.
        let big = (1...11).map { i in
            row(["order_id": String(2000 + i), "order_total": "100000000000000.00", "unit_price": "1.00"])
        }
        #expect(try await rejectedImport(file(big)) == #"orders.csv:12: order_total "100000000000000.00" brings the import's order totals above 1000000000000000.00 DKK, the most one import may hold"#)
        // Ten are accepted, and the reports add them up without trapping.
        let parsed = try parse(csv(Array(big.prefix(10))))
        let dkk = Currency(code: "DKK")!
        let snapshot = ShopSnapshot(orders: parsed.orders, calendar: .utc, currency: dkk)
        let period = Period(start: ShopDate(year: 2024, month: 1, day: 1)!, end: ShopDate(year: 2025, month: 1, day: 1)!)
        let stats = CustomerStatistics.compute(snapshot: snapshot, period: period, asOf: period.lastDay, top: 5,
                                               thresholds: .init(), currency: dkk, timeZone: "UTC")
        #expect(stats.summary.totals.revenue.minorUnits == 100_000_000_000_000_000)
    }

    @Test("A single amount at Int64.max, a line amount that overflows, a quantity over a billion", arguments: [
        (["order_total": "92233720368547758.07"],
         #"orders.csv:2: order_total "92233720368547758.07" brings the import's order totals above 1000000000000000.00 DKK, the most one import may hold"#),
        (["order_total": "92233720368547758.08"], #"orders.csv:2: order_total "92233720368547758.08" is too large"#),
        (["quantity": "1000000000", "unit_price": "100000000000.00"],
         #"orders.csv:2: quantity × unit_price (1000000000 × 100000000000.00) brings the import's line amounts above 1000000000000000.00 DKK, the most one import may hold"#),
        (["quantity": "2", "unit_price": "92233720368547758.07"],
         #"orders.csv:2: quantity × unit_price (2 × 92233720368547758.07) brings the import's line amounts above 1000000000000000.00 DKK, the most one import may hold"#),
        (["quantity": "1000000001"], #"orders.csv:2: quantity "1000000001" is more than 1000000000, the most one line can hold"#),
    ])
    func amountLimits(changes: [String: String], expected: String) async throws {
        #expect(try await rejectedImport(file([row(changes)])) == expected)
    }

    @Test("Line amounts add up across many lines: 200 lines of 10^15 øre pass the limit at line 102")
    func lineAmountSums() async throws {
        // Each line is 1 × 10 000 000 000 000.00 DKK = 10^15 øre; 100 lines reach 10^17, line 102 (the 101st) passes it.
        // The order totals (0.00) add up to nothing.
        let rows = (0..<200).map { i in
            row(["order_id": "3000", "order_total": "0.00", "product_id": "P\(i)", "quantity": "1",
                 "unit_price": "10000000000000.00"])
        }
        #expect(try await rejectedImport(file(rows)) == #"orders.csv:102: quantity × unit_price (1 × 10000000000000.00) brings the import's line amounts above 1000000000000000.00 DKK, the most one import may hold"#)
    }
}
