import ClienteleCore
import ClienteleSQLite
import ClienteleStore
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
