import ClienteleCore
import ClienteleStore
@testable import ClienteleSQLite
import Foundation
import Testing

/// What only the SQLite store promises: a durable file, WAL mode, named migrations, a schema (and, for the
/// packed lines, a writer) that enforces the order invariants on its own, and clear errors for files it cannot use.
@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("reopening the same file keeps settings, orders, lines and the checksum")
    func reopenKeepsEverything() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("shop.sqlite")
        let checksum: String
        do {
            let store = try SQLiteOrderStore(path: path)
            try await store.saveSettings(Fixtures.customSettings())
            _ = try await store.replaceOrders(Fixtures.orders())
            checksum = try await store.contentChecksum()
        }
        let reopened = try SQLiteOrderStore(path: path)
        #expect(try await reopened.contentChecksum() == checksum)
        #expect(try await reopened.loadSettings() == Fixtures.customSettings())
        #expect(try await reopened.allOrders() == Fixtures.ordersInScanOrder())
        #expect(try await reopened.replaceOrders(Fixtures.orders()) == ReplaceSummary(unchanged: 9))
    }

    @Test("the database is in WAL mode with foreign keys enforced")
    func walAndForeignKeys() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        #expect(try await store.journalMode() == "wal")
        #expect(try await store.foreignKeysEnforced())
    }

    @Test("a new database file has 16 KiB pages")
    func pageSize() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("shop.sqlite")
        let store = try SQLiteOrderStore(path: path)
        _ = try await store.replaceOrders(Fixtures.orders())
        // The file header: "SQLite format 3\0", then the page size as a big-endian UInt16 at offset 16.
        let header = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)).prefix(18))
        #expect(Array(header[0..<15]) == Array("SQLite format 3".utf8))
        #expect(Int(header[16]) << 8 | Int(header[17]) == 16_384)
    }

    @Test("migrations are recorded by name")
    func migrationsByName() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        #expect(try await store.appliedMigrations() == ["v1-shops-orders-lines", "v2-store-revision", "v3-audiences", "v4-privacy", "v5-access", "v6-shop-handles", "v7-packed-lines"])
    }

    @Test("the schema itself rejects each bad order and rolls the whole batch back", arguments: Violation.all)
    func schemaEnforcesInvariants(violation: Violation) async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        for seed in [[], Fixtures.orders()] {
            _ = try await store.replaceOrders(seed)
            let before = try await store.contentChecksum()
            // Bypasses the shared validation: only the CHECKs, NOT NULLs and keys stand guard, and for the lines
            // (packed into the order's row, without CHECKs) the writer's own check before packing.
            await #expect(throws: StoreError.self) {
                _ = try await store.replaceOrdersUnvalidated(Fixtures.generated(300) + [violation.order()])
            }
            #expect(try await store.contentChecksum() == before)
        }
    }

    @Test("a file that is not a database is refused with a sentence naming it")
    func notADatabase() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("orders.csv")
        try Data(String(repeating: "order_id,placed_at,status\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: StoreError.self) { _ = try SQLiteOrderStore(path: path) }
        #expect(error.code == .notAClienteleDatabase)
        #expect(error.description == "the database file \(path) is not a Clientele database")
    }

    @Test("another application's SQLite database is refused")
    func foreignDatabase() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("other.sqlite")
        try await SQLiteOrderStore(path: path).executeUnchecked("PRAGMA application_id = 42")
        let error = try #require(throws: StoreError.self) { _ = try SQLiteOrderStore(path: path) }
        #expect(error.code == .notAClienteleDatabase)
    }

    @Test("a database from a newer Clientele is refused, naming the unknown migration")
    func newerDatabase() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("shop.sqlite")
        try await SQLiteOrderStore(path: path)
            .executeUnchecked("INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        let error = try #require(throws: StoreError.self) { _ = try SQLiteOrderStore(path: path) }
        #expect(error.code == .newerDatabase)
        #expect(error.description.contains("v9-from-the-future"))
        #expect(error.description.contains(path))
    }

    @Test("a path that cannot be created gives a clear message")
    func cannotOpen() throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("missing-folder/shop.sqlite")
        let error = try #require(throws: StoreError.self) { _ = try SQLiteOrderStore(path: path) }
        #expect(error.code == .cannotOpen)
        #expect(error.description == "cannot open the database file \(path): check that its folder exists and is writable")
    }
}
