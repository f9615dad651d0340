import ClienteleCore
import ClienteleImport
import ClienteleStore
import Testing

/// A streaming import (and a dry run) keeps only the summary's figures, not the orders; these tests hold those
/// figures, the stored orders and the errors to what `parseFiles` gives for the same files.
@Suite("Streaming import: the summary and the stored orders equal the parsed ones")
struct StreamingSummaryTests {
    /// The figures of `ImportSummary`, computed here straight from the parsed orders.
    struct Figures: Equatable {
        var orders = 0, lines = 0, customers = 0, anonymous = 0, cancelled = 0
        var first: Int64? = nil, last: Int64? = nil
        var currencies: [String: Int] = [:]

        init(_ orders: [Order]) {
            var keys = Set<String>()
            for order in orders {
                self.orders += 1
                lines += order.lines.count
                let key = CustomerIdentity.key(customerId: order.customerId, email: order.email)
                if key == nil { anonymous += 1 }
                if order.status == .cancelled { cancelled += 1 } else if let key { keys.insert(key) }
                first = min(first ?? .max, order.placedAt.seconds)
                last = max(last ?? .min, order.placedAt.seconds)
                currencies[order.currency.code, default: 0] += 1
            }
            customers = keys.count
        }

        init(_ s: ImportSummary) {
            orders = s.orders
            lines = s.lines
            customers = s.customers
            anonymous = s.anonymousOrders
            cancelled = s.cancelledOrders
            first = s.firstOrder?.seconds
            last = s.lastOrder?.seconds
            for entry in s.currencies { currencies[entry.code] = entry.orders }
        }
    }

    /// Two files: the second replaces orders of the first (one becomes cancelled, one changes customer, one
    /// changes currency and date) and adds one whose rows are not adjacent.
    static let first = canonicalFile(
        row(), row(["product_id": "P2"]),
        row(["order_id": "1002", "customer_id": "C2", "email": "c2@example.com"]),
        row(["order_id": "1003", "customer_id": "", "email": ""]),
        row(["order_id": "1004", "customer_id": "C4", "currency": "EUR", "order_total": "10.00", "unit_price": "5.00"]),
        row(["order_id": "1006", "customer_id": "C6", "status": "cancelled"]))
    static let second = canonicalFile(
        row(["status": "cancelled"]),
        row(["order_id": "1005", "customer_id": "", "email": "Five@Example.com", "placed_at": "2025-01-01T00:00:00Z"]),
        row(["order_id": "1002", "customer_id": "C1"]),
        row(["order_id": "1005", "customer_id": "", "email": "Five@Example.com", "placed_at": "2025-01-01T00:00:00Z",
             "product_id": "P3"]),
        row(["order_id": "1004", "customer_id": "C4", "placed_at": "2023-01-01T00:00:00Z"]),
        row(["order_id": "1006", "customer_id": "C6", "status": "placed"]))

    static let rates = try! parseRateTable(name: "rates.csv", bytes: Array("EUR,7.46".utf8))

    @Test("A later file replacing orders: the summary equals the figures of the parsed orders, and the store holds them")
    func replacingFiles() async throws {
        let dir = try TempDirectory()
        let a = try dir.write("a.csv", Self.first)
        let b = try dir.write("b.csv", Self.second)
        let options = ImportOptions(rates: Self.rates)
        let parsed = try parseFiles(paths: [a, b], settings: ShopSettings(), options: options)
        let expected = Figures(parsed.orders)
        // The replacements change every figure: 1001 is cancelled, 1002 moves to C1, C2 and C6 come and go.
        #expect(expected.orders == 6 && expected.lines == 7 && expected.cancelled == 1 && expected.anonymous == 1)
        #expect(expected.customers == 4)  // C1 (1002), C4, five@example.com, C6
        #expect(expected.currencies == ["DKK": 6])
        #expect(Figures(ImportSummary(parsed: parsed, changes: nil)) == expected)

        let dry = try await importFiles(paths: [a, b], into: InMemoryOrderStore(), options: ImportOptions(rates: Self.rates, dryRun: true))
        #expect(Figures(dry) == expected)
        #expect(dry.files == parsed.files)

        let store = InMemoryOrderStore()
        let imported = try await importFiles(paths: [a, b], into: store, options: options)
        #expect(Figures(imported) == expected)
        #expect(imported.files == parsed.files)
        #expect(imported.changes == ReplaceSummary(inserted: 6))
        var stored: [Order] = []
        try await store.scanOrders { stored.append($0) }
        #expect(stored.sorted { $0.id < $1.id } == parsed.orders.sorted { $0.id < $1.id })

        // One file: the same through the path that keeps no per-order figures at all.
        let single = try await importFiles(paths: [b], into: InMemoryOrderStore(), options: ImportOptions(dryRun: true))
        let parsedSingle = try parseFiles(paths: [b], settings: ShopSettings(), options: ImportOptions())
        #expect(Figures(single) == Figures(parsedSingle.orders))
        #expect(single.description == ImportSummary(parsed: parsedSingle, changes: nil).description)
    }

    @Test("Customers known only by their e-mail are one customer whatever its case, ASCII or not")
    func emailKeys() async throws {
        // The importer hashes a new order's key early (`prefetchCustomerKey`) and interns it later; by hand:
        // anna@example.com (3001, 3002), åsa@example.com (3003, 3004) and C1 (3005, whose e-mail is Anna's).
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", canonicalFile(
            row(["order_id": "3001", "customer_id": "", "email": "Anna@Example.com"]),
            row(["order_id": "3002", "customer_id": "", "email": " anna@example.COM"]),
            row(["order_id": "3003", "customer_id": "", "email": "ÅSA@example.com"]),
            row(["order_id": "3002", "customer_id": "", "email": " anna@example.COM", "product_id": "P2"]),
            row(["order_id": "3004", "customer_id": "", "email": "åsa@Example.com"]),
            row(["order_id": "3005", "customer_id": "C1", "email": "Anna@Example.com"])))
        let parsed = try parseFiles(paths: [path], settings: ShopSettings(), options: ImportOptions())
        #expect(Figures(parsed.orders).customers == 3)
        let imported = try await importFiles(paths: [path], into: InMemoryOrderStore(), options: ImportOptions())
        #expect(imported.customers == 3)
        #expect(Figures(imported) == Figures(parsed.orders))
    }

    @Test("Orders in foreign currencies and split orders are stored exactly as parsed")
    func foreignAndSplit() async throws {
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", canonicalFile(
            row(["order_id": "2", "currency": "EUR", "order_total": "10.00", "unit_price": "5.00", "refunded": "1.25"]),
            row(["order_id": "1"]),
            row(["order_id": "2", "currency": "EUR", "order_total": "10.00", "unit_price": "5.00", "refunded": "1.25",
                 "product_id": "P7", "product_name": "", "returned_quantity": "1"]),
            row(["order_id": "3", "country": ""]),
            row(["order_id": "1", "product_id": "P9"]),
            row(["order_id": "2", "currency": "EUR", "order_total": "10.00", "unit_price": "5.00", "refunded": "1.25",
                 "product_id": "P8"])))
        let options = ImportOptions(rates: Self.rates)
        let parsed = try parseFiles(paths: [path], settings: dkkShop, options: options)
        let store = InMemoryOrderStore(settings: dkkShop)
        let imported = try await importFiles(paths: [path], into: store, options: options)
        var stored: [Order] = []
        try await store.scanOrders { stored.append($0) }
        #expect(stored.sorted { $0.id < $1.id } == parsed.orders.sorted { $0.id < $1.id })
        #expect(parsed.orders.first { $0.id == "2" }?.lines.map(\.productId) == ["P1", "P7", "P8"])
        #expect(imported.description == ImportSummary(parsed: parsed, changes: imported.changes).description)
    }

    @Test("Bad files give the same errors streamed as parsed", arguments: [
        canonicalFile(row(), row(["order_id": "1002", "currency": "SEK"])),
        canonicalFile(row(), row(["placed_at": "2024-03-05T18:22:11+01:00"]), row(["status": "cancelled"])),
        canonicalFile(row(), row(["order_id": "1002"]), row(["email": "other@example.com"]), row(["country": "SE"])),
        canonicalFile(row(["currency": "XXX"]), row(["currency": "XXX", "quantity": "0"]), row(["order_id": "7", "status": "?"])),
        canonicalFile(row(["order_total": "99999999999999999999"]), row(["order_id": "1002", "returned_quantity": "5"])),
        canonicalFile(row(["order_id": "1002", "currency": "EUR", "order_total": "999999999999999.00",
                           "unit_price": "1.00"])),
    ])
    func sameErrors(_ text: String) async throws {
        let dir = try TempDirectory()
        let path = try dir.write("orders.csv", text)
        let options = ImportOptions(rates: Self.rates)
        var parsedError: String? = nil
        do { _ = try parseFiles(paths: [path], settings: dkkShop, options: options) } catch { parsedError = error.description }
        var dryError: String? = nil
        do {
            _ = try await importFiles(paths: [path], into: InMemoryOrderStore(settings: dkkShop),
                                      options: ImportOptions(rates: Self.rates, dryRun: true))
        } catch let error as ImportFailure { dryError = error.description }
        var streamedError: String? = nil
        let store = InMemoryOrderStore(settings: dkkShop)
        do { _ = try await importFiles(paths: [path], into: store, options: options) } catch let error as ImportFailure {
            streamedError = error.description
        }
        #expect(parsedError != nil)
        #expect(dryError == parsedError)
        #expect(streamedError == parsedError)
        #expect(await store.counts() == StoreCounts(orders: 0, lines: 0, products: 0))
    }
}
