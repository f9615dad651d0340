import ClienteleCore
import ClienteleStore
import Testing

/// The contract every `OrderStore` keeps, written once against `any OrderStore` and run for each factory
/// in `StoreFactory.all`.
@Suite("Store contract")
struct StoreContractTests {
    @Test("a new store has the default settings and holds nothing", arguments: StoreFactory.all)
    func newStoreIsEmpty(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            #expect(try await store.loadSettings() == ShopSettings())
            #expect(try await store.counts() == StoreCounts(orders: 0, lines: 0, products: 0))
            #expect(try await store.allOrders().isEmpty)
        }
    }

    @Test("the revision changes with every content change and only then", arguments: StoreFactory.all)
    func revisionTracksChanges(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            let r0 = try await store.revision()
            #expect(try await store.revision() == r0, "reading changes nothing")
            _ = try await store.replaceOrders(Fixtures.orders())
            let r1 = try await store.revision()
            #expect(r1 != r0)
            _ = try await store.replaceOrders(Fixtures.orders())
            #expect(try await store.revision() == r1, "an import that changes nothing keeps the revision")
            try await store.saveSettings(Fixtures.customSettings())
            let r2 = try await store.revision()
            #expect(r2 != r1)
            // A failing batch changes nothing, the revision included.
            var bad = Fixtures.orders()[0]
            bad.lines = [OrderLine(productId: "X", quantity: 1, unitPrice: 1, returnedQuantity: 2)]
            await #expect(throws: (any Error).self) { _ = try await store.replaceOrders([bad]) }
            #expect(try await store.revision() == r2)
        }
    }

    @Test("two stores never share a revision token", arguments: StoreFactory.all)
    func revisionsAreDistinctPerStore(factory: StoreFactory) async throws {
        try await withStore(factory) { (a) async throws in
            try await withStore(factory) { (b) async throws in
                #expect(try await a.revision() != b.revision())
            }
        }
    }

    @Test("settings round-trip exactly, every threshold included", arguments: StoreFactory.all)
    func settingsRoundTrip(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            let custom = Fixtures.customSettings()
            try await store.saveSettings(custom)
            #expect(try await store.loadSettings() == custom)
            // Back to no currency: nil survives too.
            var noCurrency = custom
            noCurrency.currency = nil
            try await store.saveSettings(noCurrency)
            #expect(try await store.loadSettings() == noCurrency)
        }
    }

    @Test("scanOrders returns exactly the orders given, in ascending id by bytes", arguments: StoreFactory.all)
    func replaceThenScan(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            let summary = try await store.replaceOrders(Fixtures.orders())
            #expect(summary == ReplaceSummary(inserted: Fixtures.orders().count))
            let scanned = try await store.allOrders()
            let expected = Fixtures.ordersInScanOrder()
            #expect(scanned == expected)
            #expect(scanned.count == expected.count)
            for (a, b) in zip(scanned, expected) {
                #expect(StoreContent.sameContent(a, b), "order \(b.id) reads back differently")
            }
            // Optional fields: nil and empty stay apart.
            let byId = Dictionary(scanned.map { (ByteString($0.id), $0) }, uniquingKeysWith: { a, _ in a })
            #expect(byId[ByteString("1002")]?.email == "")
            #expect(byId[ByteString("1002")]?.customerId == nil)
            #expect(byId[ByteString("1003")]?.customerId == "")
            #expect(byId[ByteString("1002")]?.status == .cancelled)
            #expect(byId[ByteString("1003")]?.rate == "7.46")
            #expect(byId[ByteString("1003")]?.currency.code == "EUR")
            #expect(byId[ByteString("1003")]?.shopTotal == 74_600)
            #expect(byId[ByteString("0999")]?.lines.isEmpty == true)
            #expect(byId[ByteString("cafe\u{301}")]?.total == 200)
            #expect(byId[ByteString("caf\u{E9}")]?.total == 100)
        }
    }

    @Test("scan order is ascending by UTF-8 bytes, not by number or Unicode equivalence", arguments: StoreFactory.all)
    func scanOrderIsByBytes(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Fixtures.orders().reversed())
            let ids = try await store.allOrders().map { (order: Order) in order.id }
            // Written out by hand from the bytes: digits < upper case < lower case; "cafe\u{301}" (…65 CC 81)
            // sorts before "caf\u{E9}" (…66 C3 A9).
            let expected = ["0999", "10", "1001", "1002", "1003", "9", "Z-1", "cafe\u{301}", "caf\u{E9}"]
            #expect(ids.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
        }
    }

    @Test("counts orders, lines and distinct products by bytes", arguments: StoreFactory.all)
    func countsWhatIsStored(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Fixtures.orders())
            let lines = Fixtures.orders().reduce(0) { $0 + $1.lines.count }
            #expect(try await store.counts() == StoreCounts(orders: 9, lines: lines, products: Fixtures.distinctProducts))
        }
    }

    @Test("replacing an order with the same id replaces its lines; products no line uses are gone",
          arguments: StoreFactory.all)
    func replaceReplacesLines(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Fixtures.orders())
            // "discount" appears only on order 1003: replacing 1003 without it drops the product.
            var newer = Fixtures.orders()[2]
            newer.lines = [OrderLine(productId: "tea", productName: "Green tea", quantity: 5, unitPrice: 9_000)]
            newer.refunded = 0
            newer.shopRefunded = 0
            let summary = try await store.replaceOrders([newer, Fixtures.orders()[0]])
            #expect(summary == ReplaceSummary(inserted: 0, replaced: 1, unchanged: 1))
            let stored = try await store.allOrders().first { $0.id == "1003" }
            #expect(stored == newer)
            let lines = Fixtures.orders().reduce(0) { $0 + $1.lines.count } - 3 + 1
            #expect(try await store.counts() == StoreCounts(orders: 9, lines: lines,
                                                            products: Fixtures.distinctProducts - 1))
            // The replaced content is what the checksum sees: equal to a store given the final content directly.
            let direct = InMemoryOrderStore()
            _ = try await direct.replaceOrders(Fixtures.orders().map { $0.id == "1003" ? newer : $0 })
            #expect(try await store.contentChecksum() == (await direct.contentChecksum()))
        }
    }

    @Test("the same batch twice changes nothing: all unchanged, same checksum, same counts",
          arguments: StoreFactory.all)
    func sameBatchTwice(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            let batch = Fixtures.orders() + Fixtures.generated(300)
            let first = try await store.replaceOrders(batch)
            #expect(first == ReplaceSummary(inserted: batch.count))
            let checksum = try await store.contentChecksum()
            let counts = try await store.counts()
            let second = try await store.replaceOrders(batch.reversed())
            #expect(second == ReplaceSummary(unchanged: batch.count))
            #expect(try await store.contentChecksum() == checksum)
            #expect(try await store.counts() == counts)
        }
    }

    @Test("a batch mixing new, changed and identical orders is summarised exactly", arguments: StoreFactory.all)
    func mixedBatchSummary(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Fixtures.generated(10))
            var changed = Fixtures.generated(10)
            changed[3].email = "changed@example.com"         // order-level change
            changed[4].lines[0].returnedQuantity = 1         // line-level change
            changed[5].lines.append(OrderLine(productId: "new", quantity: 1, unitPrice: 5)) // extra line
            let summary = try await store.replaceOrders(changed + Fixtures.generated(2, prefix: "h"))
            #expect(summary == ReplaceSummary(inserted: 2, replaced: 3, unchanged: 7))
            #expect(try await store.allOrders() == (changed + Fixtures.generated(2, prefix: "h"))
                .sorted { StoreContent.precedes($0.id, $1.id) })
        }
    }

    @Test("a batch with a bad order throws and leaves the store exactly as it was",
          arguments: StoreFactory.all, Violation.all)
    func badBatchChangesNothing(factory: StoreFactory, violation: Violation) async throws {
        try await withStore(factory) { (store) async throws in
            // On an empty store (the insert-only path) …
            let emptyChecksum = try await store.contentChecksum()
            let bad = Fixtures.generated(200) + [violation.order()]
            await #expect(throws: StoreError.self) { _ = try await store.replaceOrders(bad) }
            #expect(try await store.contentChecksum() == emptyChecksum)
            #expect(try await store.counts() == StoreCounts(orders: 0, lines: 0, products: 0))
            // … and on a store that already holds orders (the compare-and-replace path).
            _ = try await store.replaceOrders(Fixtures.orders())
            let before = try await store.contentChecksum()
            let countsBefore = try await store.counts()
            let changedAndBad = Fixtures.generated(200).map { var o = $0; o.total += 1; return o }
                + Fixtures.orders().map { var o = $0; o.placedAt.seconds += 1; return o }
                + [violation.order()]
            do {
                _ = try await store.replaceOrders(changedAndBad)
                Issue.record("a batch with \(violation) was accepted")
            } catch let error as StoreError {
                #expect(error.code == violation.code)
                #expect(!error.description.contains("INSERT"))
            }
            #expect(try await store.contentChecksum() == before)
            #expect(try await store.counts() == countsBefore)
        }
    }

    @Test("checksums agree across implementations and change with any field")
    func checksumsAgree() async throws {
        var checksums: [String: String] = [:]
        for factory in StoreFactory.all {
            try await withStore(factory) { (store) async throws in
                try await store.saveSettings(Fixtures.customSettings())
                _ = try await store.replaceOrders(Fixtures.generated(50) + Fixtures.orders())
                checksums[factory.name] = try await store.contentChecksum()
            }
        }
        #expect(Set(checksums.values).count == 1, "\(checksums)")
        // The shared function gives the same value on the sorted content.
        let direct = StoreChecksum.checksum(settings: Fixtures.customSettings(),
                                            orders: (Fixtures.generated(50) + Fixtures.orders())
                                                .sorted { StoreContent.precedes($0.id, $1.id) })
        #expect(checksums.values.first == direct)
        #expect(direct.count == 32)
    }

    @Test("the checksum tells nil from empty, settings apart, and any line field apart")
    func checksumIsSensitive() {
        let settings = ShopSettings()
        let base = Fixtures.ordersInScanOrder()
        let reference = StoreChecksum.checksum(settings: settings, orders: base)
        var variants: [[Order]] = []
        func variant(_ change: (inout [Order]) -> Void) {
            var copy = base
            change(&copy)
            variants.append(copy)
        }
        func index(_ id: String) -> Int { base.firstIndex { $0.id == id }! }
        variant { $0[index("1001")].email = "" }                   // a value → empty
        variant { $0[index("1002")].customerId = "" }              // nil → empty
        variant { $0[index("1002")].email = nil }                  // empty → nil
        variant { $0[index("1001")].lines[0].returnedQuantity = 0 }
        variant { $0[index("1001")].lines.swapAt(0, 1) }           // line order matters
        variant { $0[index("1001")].lines[0].productName = "Mug " }
        variant { $0[index("1003")].rate = "7.460" }
        variant { $0[index("1002")].status = .placed }
        variant { $0[index("0999")].placedAt.seconds += 1 }
        variant { $0.removeLast() }
        let checksums = Set(variants.map { StoreChecksum.checksum(settings: settings, orders: $0) })
        #expect(checksums.count == variants.count)
        #expect(!checksums.contains(reference))
        var otherSettings = settings
        otherSettings.thresholds.vipTopShare = 0.11
        #expect(StoreChecksum.checksum(settings: otherSettings, orders: base) != reference)
        #expect(StoreChecksum.checksum(settings: settings, orders: base) == reference)
    }
}

/// One way an order can break the store's rules, and the error code it must give.
struct Violation: Sendable, CustomTestStringConvertible, CustomStringConvertible {
    let name: String
    let code: StoreError.Code
    let order: @Sendable () -> Order

    var testDescription: String { name }
    var description: String { name }

    private static func order(_ change: @escaping @Sendable (inout Order) -> Void) -> @Sendable () -> Order {
        {
            var order = Order(id: "bad-1", placedAt: Fixtures.march5, currency: Fixtures.dkk, total: 1_000,
                              lines: [OrderLine(productId: "p1", quantity: 2, unitPrice: 500)])
            change(&order)
            return order
        }
    }

    static let all: [Violation] = [
        Violation(name: "returned more than bought", code: .invalidOrder, order: order { $0.lines[0].returnedQuantity = 3 }),
        Violation(name: "quantity zero", code: .invalidOrder, order: order { $0.lines[0].quantity = 0 }),
        Violation(name: "refunded more than total", code: .invalidOrder, order: order { $0.refunded = 1_001 }),
        Violation(name: "negative total", code: .invalidOrder, order: order { $0.total = -1; $0.shopTotal = -1 }),
        Violation(name: "three-letter country", code: .invalidOrder, order: order { $0.country = "DNK" }),
        Violation(name: "empty product id", code: .invalidOrder, order: order { $0.lines[0].productId = "" }),
        Violation(name: "empty order id", code: .invalidOrder, order: order { $0.id = "" }),
        Violation(name: "an id twice in one batch", code: .duplicateOrderId, order: order { $0.id = "g000007" }),
    ]
}
