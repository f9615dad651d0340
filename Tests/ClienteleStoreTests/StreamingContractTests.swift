import ClienteleCore
import ClienteleStore
import Testing

/// The streaming write (`replaceOrders(streaming:)`) against every store: the same result as one
/// `replaceOrders` of the final orders, ids sent again replace earlier ones and are counted once, and a failing
/// producer or a bad order leaves the store exactly as it was.
@Suite("Store contract: streaming write")
struct StreamingContractTests {
    /// Streams `batches` into `store` (the producer pushes from this task while the store reads), then ends
    /// the stream with `finish()` or, when `failAtEnd`, `fail()`.
    static func stream(_ batches: [[Order]], into store: any OrderStore, capacity: Int = 2,
                       failAtEnd: Bool = false) async throws -> ReplaceSummary {
        let source = OrderBatchSource(capacity: capacity)
        async let written = store.replaceOrders(streaming: source)
        for batch in batches where !source.push(batch) { break }
        if failAtEnd { source.fail() } else { source.finish() }
        return try await written
    }

    /// The reference result: a fresh in-memory store given the final orders in one `replaceOrders`.
    static func reference(settings: ShopSettings = ShopSettings(), _ orders: [Order]) async throws -> (String, StoreCounts) {
        let store = InMemoryOrderStore(settings: settings)
        _ = try await store.replaceOrders(orders)
        return (try await store.contentChecksum(), try await store.counts())
    }

    /// `orders` in batches of the given sizes, cycling.
    static func split(_ orders: [Order], sizes: [Int]) -> [[Order]] {
        var batches: [[Order]] = []
        var start = 0
        var k = 0
        while start < orders.count {
            let end = min(orders.count, start + sizes[k % sizes.count])
            batches.append(Array(orders[start..<end]))
            start = end
            k += 1
        }
        return batches
    }

    @Test("streaming into an empty store gives what one replaceOrders gives", arguments: StoreFactory.all)
    func sameAsReplaceOrders(factory: StoreFactory) async throws {
        // 9 hand-written orders (odd ids, nil vs empty fields, a foreign currency) and 300 generated ones; batch
        // sizes that straddle the SQLite store's 128- and 8-order insert statements.
        let orders = Fixtures.orders() + Fixtures.generated(300)
        try await withStore(factory) { (store) async throws in
            let summary = try await Self.stream(Self.split(orders, sizes: [1, 129, 33, 7, 64]), into: store)
            #expect(summary == ReplaceSummary(inserted: 309))
            let (checksum, counts) = try await Self.reference(orders)
            #expect(try await store.contentChecksum() == checksum)
            #expect(try await store.counts() == counts)
            #expect(try await store.allOrders() == orders.sorted { StoreContent.precedes($0.id, $1.id) })
            // Streaming the same orders again changes nothing, the revision included.
            let revision = try await store.revision()
            let again = try await Self.stream(Self.split(orders, sizes: [50]), into: store)
            #expect(again == ReplaceSummary(unchanged: 309))
            #expect(try await store.revision() == revision)
            #expect(try await store.contentChecksum() == checksum)
        }
    }

    @Test("an id sent again replaces the earlier order and is counted once (empty store)", arguments: StoreFactory.all)
    func repeatedIdsIntoEmptyStore(factory: StoreFactory) async throws {
        var orders = Fixtures.generated(300)
        // g000005 again in a later batch with one line of a product nothing else uses; g000040 twice in the
        // same batch (the later wins: the SQLite store's 128-row statement holding both fails and is redone row by
        // row); g000299 three times (in the last batch twice).
        var five = orders[5]
        five.lines = [OrderLine(productId: "only-here", productName: "Only here", quantity: 1, unitPrice: 1)]
        five.total = 7
        var fiveAgain = orders[5]
        fiveAgain.lines = [OrderLine(productId: "p1", productName: "Product 1", quantity: 9, unitPrice: 9)]
        var forty = orders[40]
        forty.status = .cancelled
        var nine = orders[299]
        nine.country = "SE"
        var nineAgain = orders[299]
        nineAgain.email = "last@example.com"
        orders[5] = five
        let batches: [[Order]] = [
            Array(orders[0..<40]),
            Array(orders[40..<100]) + [forty, fiveAgain] + Array(orders[100..<166]),
            Array(orders[166..<300]) + [nine, nineAgain],
        ]
        // The final orders: the last version of each id.
        var final = Fixtures.generated(300)
        final[5] = fiveAgain
        final[40] = forty
        final[299] = nineAgain
        try await withStore(factory) { (store) async throws in
            let summary = try await Self.stream(batches, into: store)
            #expect(summary == ReplaceSummary(inserted: 300))
            let (checksum, counts) = try await Self.reference(final)
            #expect(try await store.contentChecksum() == checksum)
            // "only-here" is used by no stored line any more: the product count says so.
            #expect(try await store.counts() == counts)
        }
    }

    @Test("an id sent again is compared with what the store held before (store with orders)",
          arguments: StoreFactory.all)
    func repeatedIdsIntoStoreWithOrders(factory: StoreFactory) async throws {
        let original = Fixtures.generated(60)
        func changed(_ i: Int) -> Order {
            var o = original[i]
            o.total += 1
            return o
        }
        var newOrder = Fixtures.generated(1, prefix: "n")[0]
        let newAgain = { var o = newOrder; o.lines.removeAll(); return o }()
        newOrder.country = "NO"
        // By hand: g000001 changed, then back to the original → unchanged. g000002 identical, then changed →
        // replaced. g000003 changed twice → replaced. g000004 identical twice → unchanged. n000000 new, sent
        // twice → inserted. The other 55 stored orders are not sent.
        let batches: [[Order]] = [
            [changed(1), original[2], changed(3), original[4], newOrder],
            [original[1], changed(2)],
            [changed(3), original[4], newAgain],
        ]
        var final = original
        final[2] = changed(2)
        final[3] = changed(3)
        final.append(newAgain)
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(original)
            let summary = try await Self.stream(batches, into: store)
            #expect(summary == ReplaceSummary(inserted: 1, replaced: 2, unchanged: 2))
            let (checksum, counts) = try await Self.reference(final)
            #expect(try await store.contentChecksum() == checksum)
            #expect(try await store.counts() == counts)
        }
    }

    @Test("a producer that fails leaves the store exactly as it was", arguments: StoreFactory.all)
    func failingProducerRollsBack(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            for seed in [[], Fixtures.orders()] {
                _ = try await store.replaceOrders(seed)
                let before = try await store.contentChecksum()
                let revision = try await store.revision()
                // More batches than the queue holds, so that the store has written some before the failure.
                let batches = Self.split(Fixtures.generated(500, prefix: "f"), sizes: [40])
                await #expect(throws: OrderBatchSource.ProducerFailed.self) {
                    _ = try await Self.stream(batches, into: store, failAtEnd: true)
                }
                #expect(try await store.contentChecksum() == before)
                #expect(try await store.revision() == revision)
            }
        }
    }

    @Test("a bad order in a later batch fails the write with its store error; nothing changes",
          arguments: StoreFactory.all)
    func badOrderRollsBack(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            for seed in [[], Fixtures.orders()] {
                _ = try await store.replaceOrders(seed)
                let before = try await store.contentChecksum()
                var bad = Fixtures.generated(1, prefix: "b")[0]
                bad.lines[0].returnedQuantity = bad.lines[0].quantity + 1
                let batches = Self.split(Fixtures.generated(200, prefix: "ok"), sizes: [50]) + [[bad]]
                let source = OrderBatchSource(capacity: 2)
                async let written = store.replaceOrders(streaming: source)
                var accepted: [Bool] = []
                for batch in batches { accepted.append(source.push(batch)) }
                source.finish()
                let outcome: Result<ReplaceSummary, any Error>
                do { outcome = .success(try await written) } catch { outcome = .failure(error) }
                #expect(throws: StoreError.self) { _ = try outcome.get() }
                #expect(accepted.last == false, "the bad batch is refused")
                #expect(try await store.contentChecksum() == before)
            }
        }
    }

    @Test("a packed batch unpacks to exactly the orders packed")
    func batchRoundTrip() throws {
        let orders = Fixtures.orders() + Fixtures.generated(40)
        let batch = try OrderBatch(orders)
        #expect(batch.count == orders.count)
        #expect(batch.lineCount == orders.reduce(0) { $0 + $1.lines.count })
        #expect(batch.orders == orders)
        for (i, order) in orders.enumerated() {
            // Byte-exact ids (two canonically equivalent ids are different orders).
            #expect(StoreContent.sameBytes(batch.id(at: i), order.id))
            #expect(StoreContent.sameContent(batch.order(at: i), order))
        }
    }
}
