import ClienteleCore
import ClienteleStore
internal import GRDB

extension SQLiteOrderStore {
    /// Reads with GRDB's blocking `read`. The store never uses GRDB's async `read`: that one keeps its reader
    /// connection while the task waits to be resumed, and with every cooperative thread blocked in a blocking
    /// read waiting for a reader (`scanOrders` must read synchronously), nothing could resume it: the server
    /// stopped answering after an import under load. Blocking reads hold a reader only while running.
    func readNow<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    /// The connection's journal mode (`wal` for every Clientele database).
    func journalMode() async throws -> String {
        try readNow { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Whether foreign keys are enforced on the writer connection.
    func foreignKeysEnforced() async throws -> Bool {
        try await pool.write { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false }
    }

    /// The names of the migrations applied to the file, in the order they were applied.
    func appliedMigrations() async throws -> [String] {
        try readNow { db in try SQLiteSchema.migrator.appliedMigrations(db) }
    }

    /// Runs statements on the writer connection, outside any store rule (diagnostics and tests only).
    func executeUnchecked(_ sql: String) async throws {
        try await pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// `replaceOrders` without the shared validation, so that only the schema's constraints stand guard.
    func replaceOrdersUnvalidated(_ orders: [Order]) async throws -> ReplaceSummary {
        let shopId = self.shopId
        return try await pool.writeWithoutTransaction { db in try BulkWriter.replace(orders, in: db, shopId: shopId) }
    }
}
