import ClienteleCore
import ClienteleImport
import ClienteleStore
import Synchronization
import Testing

@Suite("Importing into a store")
struct StoreImportTests {
    @Test("Importing the same file twice leaves the same counts and checksum; a changed order replaces it")
    func idempotentAndReplacing() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", canonicalFile(row(), row(["product_id": "P2"]), row(["order_id": "1002"])))
        let store: any OrderStore = InMemoryOrderStore()

        let first = try await importFiles(paths: [path], into: store)
        #expect(first.changes == ReplaceSummary(inserted: 2))
        #expect(try await store.loadSettings().currency == "DKK")
        let counts = try await store.counts()
        let checksum = try await store.contentChecksum()
        #expect(counts == StoreCounts(orders: 2, lines: 3, products: 2))

        let second = try await importFiles(paths: [path], into: store)
        #expect(second.changes == ReplaceSummary(unchanged: 2))
        #expect(!second.choseReportingCurrency)
        #expect(try await store.counts() == counts)
        #expect(try await store.contentChecksum() == checksum)

        let changed = try dir.write("changed.csv", canonicalFile(row(["order_id": "1002", "order_total": "90.00", "unit_price": "45.00"])))
        let third = try await importFiles(paths: [changed], into: store)
        #expect(third.changes == ReplaceSummary(replaced: 1))
        #expect(try await store.counts() == counts)
        #expect(try await store.contentChecksum() != checksum)
        var totals: [String: Int64] = [:]
        try await store.scanOrders { totals[$0.id] = $0.total }
        #expect(totals == ["1001": 10_000, "1002": 9_000])
    }

    @Test("A dry run writes nothing and still summarises")
    func dryRun() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", canonicalFile(row()))
        let store: any OrderStore = InMemoryOrderStore()
        let before = try await store.contentChecksum()
        let summary = try await importFiles(paths: [path], into: store, options: ImportOptions(dryRun: true))
        #expect(summary.dryRun && summary.orders == 1)
        #expect(try await store.contentChecksum() == before)
        #expect(try await store.loadSettings().currency == nil)
    }

    @Test("The summary counts orders, lines, customers, anonymous and cancelled orders, dates and currencies")
    func summary() async throws {
        let dir = try TempDirectory()
        // Hand count: 5 orders, 6 lines. Customers among non-cancelled orders: C1 (1001, 1002) and the e-mail
        // b@example.com (1004) = 2; 1003 is cancelled (C3 is not counted); 1005 is anonymous. EUR 1, DKK 4.
        let path = try dir.write("orders.csv", canonicalFile(
            row(), row(["product_id": "P2"]),
            row(["order_id": "1002", "placed_at": "2024-01-01T00:00:00Z"]),
            row(["order_id": "1003", "customer_id": "C3", "status": "cancelled"]),
            row(["order_id": "1004", "customer_id": "", "email": " B@example.com", "currency": "EUR",
                 "placed_at": "2024-06-30T12:00:00+02:00"]),
            row(["order_id": "1005", "customer_id": "", "email": ""])))
        let store: any OrderStore = InMemoryOrderStore(settings: ShopSettings(timeZone: "Europe/Copenhagen", currency: "DKK"))
        let rates = try parseRateTable(name: "rates.csv", bytes: Array("EUR,7.46".utf8))
        let s = try await importFiles(paths: [path], into: store, options: ImportOptions(rates: rates))
        #expect(s.orders == 5 && s.lines == 6)
        #expect(s.customers == 2)
        #expect(s.anonymousOrders == 1)
        #expect(s.cancelledOrders == 1)
        #expect(s.firstOrder?.description == "2024-01-01T00:00:00Z")
        #expect(s.lastOrder?.description == "2024-06-30T10:00:00Z")
        #expect(s.currencies.map(\.code) == ["DKK", "EUR"] && s.currencies.map(\.orders) == [4, 1])
        #expect(s.rates["EUR"]?.description == "7.46")
        #expect(s.changes == ReplaceSummary(inserted: 5))
        let text = s.description
        #expect(text.contains("Customers           2"))
        #expect(text.contains("Currencies          DKK 4, EUR 1 (rate 7.46)"))
        #expect(text.contains("Stored              5 inserted, 0 replaced, 0 unchanged"))
    }
}

@Suite("Import details")
struct ImportDetailTests {
    @Test("The summary text, exactly")
    func summaryText() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", canonicalFile(row(), row(["order_id": "1002", "customer_id": "", "email": ""])))
        let store: any OrderStore = InMemoryOrderStore()
        let summary = try await importFiles(paths: [path], into: store)
        #expect(summary.description.replacingOccurrences(of: dir.path + "/", with: "") == """
            File                orders.csv: canonical order lines, 2 orders, 2 lines
            Orders              2
            Lines               2
            Customers           1
            Anonymous orders    1
            Cancelled orders    0
            First order         2024-03-05T17:22:10+00:00
            Last order          2024-03-05T17:22:10+00:00
            Reporting currency  DKK (set by this import)
            Currencies          DKK 2
            Stored              2 inserted, 0 replaced, 0 unchanged
            """)
    }

    @Test("Progress reaches the total")
    func progress() throws {
        let seen = ProgressLog()
        _ = try parse(canonicalFile(row()), options: ImportOptions(progress: { done, total in seen.add(done, total) }))
        let last = try #require(seen.values.last)
        #expect(last.0 == last.1 && last.1 > 0)
    }

    @Test("A UTF-8 file read as windows-1252 is refused with advice")
    func utf8AsWindows1252() {
        let f = failure("\u{FEFF}" + canonicalFile(row()), options: ImportOptions(encoding: .windows1252))
        #expect(f?.description == "orders.csv:1: the file starts with a UTF-8 byte order mark, so it is UTF-8, not windows-1252: import it without --encoding windows-1252")
    }

    @Test("A directory is not a readable file")
    func directory() throws {
        let dir = try TempDirectory()
        #expect(throws: ImportFailure.self) { try parseFiles(paths: [dir.path], settings: dkkShop) }
    }

    @Test("Encodings are found by the names users type")
    func encodingNames() {
        #expect(TextEncoding(name: "UTF-8") == .utf8)
        #expect(TextEncoding(name: "cp1252") == .windows1252)
        #expect(TextEncoding(name: "ebcdic") == nil)
    }
}

/// Records progress calls from any thread.
final class ProgressLog: Sendable {
    private let storage = Mutex<[(Int, Int)]>([])
    func add(_ done: Int, _ total: Int) { storage.withLock { $0.append((done, total)) } }
    var values: [(Int, Int)] { storage.withLock { $0 } }
}
