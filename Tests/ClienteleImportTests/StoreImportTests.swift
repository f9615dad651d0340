import ClienteleCore
import ClienteleImport
import ClienteleStore
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
