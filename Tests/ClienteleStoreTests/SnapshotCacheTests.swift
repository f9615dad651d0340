import ClienteleCore
import ClienteleSQLite
@testable import ClienteleStore
import Foundation
import Testing

/// The persisted snapshot beside a store: used when current, rebuilt when stale or damaged.
@Suite("Snapshot cache")
struct SnapshotCacheTests {
    let calendar = ShopCalendar(identifier: "Europe/Copenhagen")!
    let dkk = Currency(code: "DKK")!

    func order(_ id: String, customer: String, total: Int64, at seconds: Int64) -> Order {
        Order(id: id, placedAt: Instant(seconds: seconds), customerId: customer, currency: dkk, total: total,
              lines: [OrderLine(productId: "P1", quantity: 1, unitPrice: total)])
    }

    @Test("a current cache file is used; a change to the store makes it stale and it is rebuilt")
    func cacheFollowsTheStore() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        let cache = scratch.path("shop.sqlite.snapshot")
        _ = try await store.replaceOrders([order("1", customer: "a", total: 100, at: 1_700_000_000)])

        let first = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: dkk, cachePath: cache)
        #expect(first.orderCount == 1)
        #expect(FileManager.default.fileExists(atPath: cache))

        // The file is what the next process reads: replace its content with a different, valid snapshot
        // carrying the same source version, and the cache must hand back that file's content.
        var builder = ShopSnapshot.Builder(calendar: calendar, currency: dkk)
        builder.add(order("x", customer: "b", total: 5, at: 1_700_000_000))
        builder.add(order("y", customer: "c", total: 5, at: 1_700_000_000))
        try Data(builder.build(sourceVersion: first.sourceVersion).serialized()).write(to: URL(fileURLWithPath: cache))
        let fromFile = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: dkk, cachePath: cache)
        #expect(fromFile.orderCount == 2, "a current file is read, not rebuilt")

        // A new order changes the store's revision: the file is stale and the snapshot is rebuilt (2 orders).
        _ = try await store.replaceOrders([order("2", customer: "a", total: 300, at: 1_700_100_000)])
        let rebuilt = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: dkk, cachePath: cache)
        #expect(rebuilt.orderCount == 2)
        #expect(rebuilt.orderTotal.reduce(0, +) == 400)
    }

    @Test("a damaged cache file is never trusted")
    func corruptCacheIsRebuilt() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        let cache = scratch.path("shop.sqlite.snapshot")
        _ = try await store.replaceOrders([order("1", customer: "a", total: 100, at: 1_700_000_000)])
        _ = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: dkk, cachePath: cache)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cache)))
        bytes[bytes.count - 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: cache))
        let again = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: dkk, cachePath: cache)
        #expect(again.orderCount == 1)
        #expect(again.orderTotal.first == 100)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: cache))
        #expect(try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: dkk, cachePath: cache).orderCount == 1)
    }

    @Test("a large shop's snapshot, built on two threads, equals the one built in one pass")
    func pipelinedBuildEqualsTheDirectOne() async throws {
        // Above the threshold: the scan and the builder run on two threads. 3 orders a customer, some
        // anonymous, some cancelled, two currencies.
        let count = SnapshotCache.pipelineThreshold + 10_001
        let sek = Currency(code: "SEK")!
        func make(_ i: Int) -> Order {
            let foreign = i % 11 == 0
            let customer: String? = i % 17 == 0 ? nil : "c\(i / 3)"
            let email: String? = i % 5 == 0 ? "C\(i / 3)@X.dk" : nil
            let total = Int64(100 + i % 900)
            let line = OrderLine(productId: "P\(i % 97)", productName: "Product \(i % 97)", quantity: 1 + Int64(i % 3),
                                 unitPrice: total)
            let placed = Instant(seconds: 1_700_000_000 + Int64(i % 5_000) * 3_600)
            return Order(id: "o\(i)", placedAt: placed, customerId: customer, email: email,
                         status: i % 23 == 0 ? .cancelled : .placed, currency: foreign ? sek : dkk, total: total,
                         shopTotal: foreign ? total * 7 / 10 : nil, rate: foreign ? "0.7" : nil,
                         country: i % 3 == 0 ? "dk" : nil, lines: [line])
        }
        let orders = (0..<count).map(make)
        let store = InMemoryOrderStore()
        _ = try await store.replaceOrders(orders)
        let piped = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: dkk, cachePath: nil)
        var stored: [Order] = []
        try await store.scanOrders { stored.append($0) }
        #expect(stored.count == count)
        let direct = ShopSnapshot(orders: stored, calendar: calendar, currency: dkk, sourceVersion: piped.sourceVersion)
        #expect(piped.orderCount == direct.orderCount)
        #expect(piped.orderCount == orders.filter { !$0.isCancelled }.count)
        #expect(piped == direct)
    }

    /// A producer that stays ahead keeps the queue from running empty; the queue must still let go of every chunk
    /// the consumer has taken (it kept them all until the end: the 10⁷-order build peaked 0.7 GB higher).
    @Test("the hand-off queue keeps no chunk alive once the consumer has taken it, while it never runs empty")
    func handOffReleasesTakenChunks() {
        final class Chunk: Sendable {}
        let queue = HandOff<Chunk>(capacity: 2)
        weak var first: Chunk?
        do {
            let chunk = Chunk()
            first = chunk
            #expect(queue.push(chunk))
        }
        #expect(queue.push(Chunk()))
        // Take the oldest and let it go, then top the queue up again: it always holds one or two chunks.
        #expect(queue.next() != nil)
        #expect(queue.push(Chunk()))
        #expect(first == nil, "a taken chunk is still referenced by the queue")
        // Pushing and taking many more never keeps more than the queue holds.
        weak var late: Chunk?
        for k in 0..<1_000 {
            let chunk = queue.next()!
            if k == 500 { late = chunk }
            #expect(queue.push(Chunk()))
        }
        #expect(late == nil)
        queue.finish()
        #expect(queue.next() != nil && queue.next() != nil && queue.next() == nil)
    }

    @Test("a scan that fails part-way stops the builder's thread and its error is thrown")
    func failedScanStopsTheBuilder() async throws {
        struct Broken: Error {}
        let builder = ShopSnapshot.Builder(calendar: calendar, currency: dkk)
        await #expect(throws: Broken.self) {
            _ = try await SnapshotCache.buildOnAnotherThread(builder) { body in
                for i in 0..<100_000 {
                    if i == 30_000 { throw Broken() }
                    try body(order("o\(i)", customer: "c\(i % 1_000)", total: 100, at: 1_700_000_000 + Int64(i)))
                }
            }
        }
        // And a scan that ends normally hands every order over, the last partial chunk included.
        let all = try await SnapshotCache.buildOnAnotherThread(builder) { body in
            for i in 0..<(SnapshotCache.chunkSize * 3 + 5) {
                try body(order("o\(i)", customer: "c\(i % 1_000)", total: 100, at: 1_700_000_000 + Int64(i)))
            }
        }
        #expect(all.orderCount == SnapshotCache.chunkSize * 3 + 5)
    }

    @Test("a file written piece by piece is private, and a failed write leaves no file behind")
    func privateFileFromPieces() throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("pieces")
        try PrivateFile.write(to: path) { emit in
            for piece in [[UInt8]("ab".utf8), [], [UInt8]("cde".utf8)] { try piece.withUnsafeBytes { try emit($0) } }
        }
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == [UInt8]("abcde".utf8))
        #expect(PrivateFile.permissions(path) == 0o600)
        struct Stop: Error {}
        let failed = scratch.path("failed")
        #expect(throws: Stop.self) {
            try PrivateFile.write(to: failed) { emit in
                try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try emit($0) }
                throw Stop()
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)
        #expect(!left.contains { $0.hasPrefix("failed") }, "\(left)")
    }

    @Test("another time zone or currency invalidates the cache")
    func settingsAreInTheVersion() {
        let a = SnapshotCache.sourceVersion(revision: "r-1", calendar: calendar, currency: dkk)
        #expect(a != SnapshotCache.sourceVersion(revision: "r-1", calendar: .utc, currency: dkk))
        #expect(a != SnapshotCache.sourceVersion(revision: "r-1", calendar: calendar, currency: Currency(code: "SEK")!))
        #expect(a != SnapshotCache.sourceVersion(revision: "r-2", calendar: calendar, currency: dkk))
    }
}
