import ClienteleCore
import ClienteleStore
import Foundation
internal import GRDB

/// An `OrderStore` for one shop of a SQLite database file, through GRDB: WAL mode (readers never wait for a
/// writer), foreign keys on, a schema with `CHECK`s for every order invariant, append-only named migrations.
/// Every query is scoped to the shop's row id: a file may hold several shops (`SQLiteShopDatabase`), and one
/// shop's store never reads or changes another's rows.
public final class SQLiteOrderStore: OrderStore {
    /// The database file's path as given.
    public let path: String
    /// The shop's handle (`default` for the shop of a database made before it could hold several).
    public let shop: String
    /// The database the shop is in (its other shops' stores share its connections).
    public let database: SQLiteShopDatabase
    let pool: DatabasePool
    /// The shop's row id: every query of this store is scoped to it.
    let shopId: Int64

    /// Opens the database file at `path` (creating it and its schema when it does not exist yet) and the shop
    /// `shop` in it, created with the default settings when the file does not hold it yet. Throws a
    /// `StoreError` that names the file when it cannot be opened, is not a Clientele database, or was written
    /// by a newer Clientele, and one of code `invalidShopHandle` for a handle that breaks the rule.
    public convenience init(path: String, shop: String = ShopHandle.defaultHandle) throws {
        let database = try SQLiteShopDatabase(path: path)
        let opened = try database.orderStore(creatingShop: shop)
        self.init(database: database, shop: shop, shopId: opened.shopId)
    }

    /// The store of the shop with row id `shopId` and handle `shop` in `database`.
    init(database: SQLiteShopDatabase, shop: String, shopId: Int64) {
        self.database = database
        self.path = database.path
        self.pool = database.pool
        self.shop = shop
        self.shopId = shopId
    }

    // MARK: Settings

    /// The shop's settings; the defaults the store was created with for a new store.
    public func loadSettings() async throws -> ShopSettings {
        try await run { [shopId] in try self.pool.read { db in try SQLiteOrderStore.readSettings(db, shopId: shopId) } }
    }

    /// Replaces the shop's settings.
    public func saveSettings(_ settings: ShopSettings) async throws {
        let thresholds = try settings.thresholds.storedJSON()
        try await run { [shopId] in
            try await self.pool.write { db in
                try db.execute(sql: """
                    UPDATE shop SET name = ?, time_zone = ?, currency = ?, locale = ?, thresholds = ?, retention_years = ?
                    WHERE id = ?
                    """, arguments: [settings.name, settings.timeZone, settings.currency, settings.locale,
                                     thresholds, settings.retentionYears, shopId])
                if db.changesCount > 0 { try SQLiteSchema.bumpRevision(db, shopId: shopId) }
            }
        }
    }

    static func readSettings(_ db: Database, shopId: Int64) throws -> ShopSettings {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT name, time_zone, currency, locale, thresholds, retention_years FROM shop WHERE id = ?
            """, arguments: [shopId]) else {
            throw StoreError(.corruptData, "the database has no shop settings")
        }
        let thresholdsJSON: String = row["thresholds"]
        let thresholds = try ShopSettings.Thresholds(storedJSON: thresholdsJSON)
        return ShopSettings(name: row["name"], timeZone: row["time_zone"], currency: row["currency"],
                            locale: row["locale"], thresholds: thresholds, retentionYears: row["retention_years"])
    }

    // MARK: Orders

    /// Inserts or replaces the given orders in one write transaction (see `OrderStore.replaceOrders`).
    public func replaceOrders(_ orders: [Order]) async throws -> ReplaceSummary {
        for order in orders { try StoreContent.validate(order) }
        return try await run { [shopId] in
            try await self.pool.writeWithoutTransaction { db in
                try BulkWriter.replace(orders, in: db, shopId: shopId)
            }
        }
    }

    /// Inserts or replaces orders like `replaceOrders`, synchronously on the calling thread: for bulk loaders
    /// that produce orders from a synchronous callback (the demo generator writes batch after batch).
    public func replaceOrdersSynchronously(_ orders: [Order]) throws -> ReplaceSummary {
        for order in orders { try StoreContent.validate(order) }
        return try runSync {
            try pool.writeWithoutTransaction { db in try BulkWriter.replace(orders, in: db, shopId: shopId) }
        }
    }

    /// The shop's revision token: the shop's random instance id and its change counter (a write to another
    /// shop of the file changes neither).
    public func revision() async throws -> String {
        try await run { [shopId] in
            try self.pool.read { db in
                try String.fetchOne(db, sql: "SELECT instance || '-' || counter FROM shop_revision WHERE shop_id = ?",
                                    arguments: [shopId]) ?? ""
            }
        }
    }

    /// Calls `body` with every order in ascending id, inside one read transaction (a consistent view),
    /// through one cursor over the orders, their lines packed in their rows: memory stays flat.
    public func scanOrders(_ body: (Order) throws -> Void) async throws {
        // `body` is not Sendable, so the read runs synchronously on the calling task.
        try runSync {
            try pool.read { db in try OrderScanner.scan(db, shopId: shopId, body) }
        }
    }

    /// Counts of orders, lines and distinct products.
    public func counts() async throws -> StoreCounts {
        try await run { [shopId] in
            try self.pool.read { db in
                let row = try Row.fetchOne(db, sql: """
                    SELECT (SELECT COUNT(*) FROM orders WHERE shop_id = ?1),
                           (SELECT COALESCE(SUM(line_count), 0) FROM orders WHERE shop_id = ?1),
                           (SELECT COUNT(*) FROM products WHERE shop_id = ?1)
                    """, arguments: [shopId])!
                return StoreCounts(orders: row[0], lines: row[1], products: row[2])
            }
        }
    }

    /// The content checksum (`StoreChecksum`) of settings and every order, from one read transaction.
    public func contentChecksum() async throws -> String {
        try await run { [shopId] in
            try self.pool.read { db in
                var sum = StoreChecksum()
                sum.add(try SQLiteOrderStore.readSettings(db, shopId: shopId))
                try OrderScanner.scan(db, shopId: shopId) { sum.add($0) }
                for audience in try SQLiteOrderStore.readAudiences(db, shopId: shopId) { sum.add(audience) }
                sum.addAudienceSeedVersion(try SQLiteOrderStore.readSeedVersion(db, shopId: shopId))
                for entry in try SQLiteOrderStore.readPrivacyLog(db, shopId: shopId) { sum.add(entry) }
                for id in try SQLiteOrderStore.readForgottenOrderIds(db, shopId: shopId) { sum.addForgottenOrder(id) }
                return sum.finalize()
            }
        }
    }

    // MARK: Errors

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw SQLiteOrderStore.storeError(error, path: path)
        }
    }

    private func runSync<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw SQLiteOrderStore.storeError(error, path: path)
        }
    }

    static func openError(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return StoreError(.notAClienteleDatabase, "the database file \(path) is not a Clientele database",
                                  underlying: "\(error)")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
                return StoreError(.cannotOpen, """
                    cannot open the database file \(path): check that its folder exists and is writable
                    """, underlying: "\(error)")
            default:
                break
            }
        }
        return StoreError(.cannotOpen, "cannot open the database file \(path)", underlying: "\(error)")
    }

    static func storeError(_ error: any Error, path: String) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case is CancellationError:
            return error
        case let error as SQLiteFailure:
            return StoreError(.storageFailure, "the database file \(path) could not be written or read",
                              underlying: error.message)
        case let error as DatabaseError:
            switch error.resultCode {
            case .SQLITE_FULL:
                return StoreError(.storageFailure, "the disk holding \(path) is full", underlying: "\(error)")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return StoreError(.storageFailure, "the database file \(path) is busy: another process is writing to it",
                                  underlying: "\(error)")
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return StoreError(.corruptData, "the database file \(path) is damaged", underlying: "\(error)")
            case .SQLITE_READONLY, .SQLITE_PERM:
                return StoreError(.storageFailure, "the database file \(path) is read-only", underlying: "\(error)")
            default:
                return StoreError(.storageFailure, "the database file \(path) could not be written or read",
                                  underlying: "\(error)")
            }
        default:
            return StoreError(.storageFailure, "the database file \(path) could not be written or read",
                              underlying: "\(error)")
        }
    }
}
