import ClienteleCore
import ClienteleStore
import Foundation
internal import GRDB

/// A SQLite database file with its shops (`ShopDatabase`): opening it checks and migrates the schema and
/// creates no shop; the stores of its shops (`orderStore(shop:)`) share its connections.
public final class SQLiteShopDatabase: ShopDatabase {
    /// The database file's path as given.
    public let path: String
    let pool: DatabasePool
    /// The page size of a database file this version creates.
    static let pageSize = 16_384

    /// Opens the database file at `path`, creating it (and its schema) when it does not exist yet. Throws a
    /// `StoreError` that names the file when it cannot be opened, is not a Clientele database, or was written
    /// by a newer Clientele.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "Clientele"
        config.prepareDatabase { db in
            // Deleted and overwritten content is zeroed in the file, not left in free space (docs/privacy.md, "Files").
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // 16 KiB pages for a new file (an existing file keeps its page size: in WAL mode it cannot change).
            // Measured on a 10⁷-order import: 33.5–39.6 s (median 34.3 s) against 37.6–41.1 s with SQLite's
            // default 4 KiB, from a shallower B-tree and fewer page splits; 64 KiB gained nothing more.
            try db.execute(sql: "PRAGMA page_size = \(SQLiteShopDatabase.pageSize)")
        }
        // A new database file is readable by its owner only; SQLite gives its -wal and -shm files the same mode.
        PrivateFile.create(path)
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw SQLiteOrderStore.openError(error, path: path)
        }
        do {
            try prepareSchema()
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteOrderStore.openError(error, path: path)
        }
    }

    /// Checks that the file is a Clientele database this version understands and migrates it.
    private func prepareSchema() throws {
        let migrator = SQLiteSchema.migrator
        let known = Set(migrator.migrations)
        try pool.writeWithoutTransaction { db in
            let applicationId = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let hasTables = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%')
                """) ?? false
            guard applicationId == SQLiteSchema.applicationId || (applicationId == 0 && !hasTables) else {
                throw StoreError(.notAClienteleDatabase, "the database file \(path) is not a Clientele database")
            }
            if applicationId == SQLiteSchema.applicationId {
                let applied = try migrator.appliedIdentifiers(db)
                if let unknown = applied.subtracting(known).sorted().first {
                    throw StoreError(.newerDatabase, """
                        the database file \(path) was written by a newer Clientele (migration "\(unknown)" \
                        is unknown to this version); upgrade Clientele to open it
                        """)
                }
            }
        }
        try migrator.migrate(pool)
    }

    // MARK: Shops

    /// Every shop in the file, in ascending handle.
    public func shops() async throws -> [ShopListing] {
        try run { try pool.read { db in try Self.readShops(db) } }
    }

    /// Creates the shop `handle` with `settings` and a fresh revision; `false` when it exists.
    public func createShop(_ handle: String, settings: ShopSettings) async throws -> Bool {
        try ShopHandle.validate(handle)
        return try run { try pool.write { db in try Self.insertShop(db, handle: handle, settings: settings) != nil } }
    }

    /// The store of the existing shop `handle` (`noSuchShop` otherwise).
    public func store(shop handle: String) async throws -> any OrderStore {
        try orderStore(shop: handle)
    }

    /// The store of the existing shop `handle`: a `StoreError` of code `noSuchShop` listing the shops otherwise.
    public func orderStore(shop handle: String) throws -> SQLiteOrderStore {
        try ShopHandle.validate(handle)
        let id = try run {
            try pool.read { db -> Int64 in
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM shop WHERE handle = ?", arguments: [handle]) {
                    return id
                }
                throw ShopHandle.unknownShopError(handle, shops: try Self.readShops(db))
            }
        }
        return SQLiteOrderStore(database: self, shop: handle, shopId: id)
    }

    /// The store of the shop `handle`, created with the default settings (`ShopSettings()`) when missing.
    public func orderStore(creatingShop handle: String) throws -> SQLiteOrderStore {
        try ShopHandle.validate(handle)
        let id = try run {
            try pool.write { db -> Int64 in
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM shop WHERE handle = ?", arguments: [handle]) {
                    return id
                }
                guard let id = try Self.insertShop(db, handle: handle, settings: ShopSettings()) else {
                    throw StoreError(.corruptData, "the shop \"\(handle)\" could not be created")
                }
                return id
            }
        }
        return SQLiteOrderStore(database: self, shop: handle, shopId: id)
    }

    static func readShops(_ db: Database) throws -> [ShopListing] {
        try Row.fetchAll(db, sql: "SELECT handle, name FROM shop ORDER BY handle").map {
            ShopListing(handle: $0["handle"], name: $0["name"])
        }
    }

    /// Inserts the shop and its revision row; nil when the handle is taken.
    static func insertShop(_ db: Database, handle: String, settings: ShopSettings) throws -> Int64? {
        let thresholds = try settings.thresholds.storedJSON()
        try db.execute(sql: """
            INSERT INTO shop (handle, name, time_zone, currency, locale, thresholds, retention_years) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (handle) DO NOTHING
            """, arguments: [handle, settings.name, settings.timeZone, settings.currency, settings.locale, thresholds,
                             settings.retentionYears])
        guard db.changesCount > 0 else { return nil }
        let id = db.lastInsertedRowID
        try db.execute(sql: """
            INSERT INTO shop_revision (shop_id, instance, counter) VALUES (?, lower(hex(randomblob(16))), 0)
            """, arguments: [id])
        return id
    }

    private func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw SQLiteOrderStore.storeError(error, path: path)
        }
    }
}

extension SQLiteShopDatabase {
    /// Writes a database file at `path` migrated only up to `migration`, then runs `sql` on it: a file as an
    /// earlier version wrote it, for the tests of upgrades.
    static func writeEarlierVersion(path: String, upTo migration: String, then sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: migration)
        try queue.write { db in try db.execute(sql: sql) }
    }

    /// The first column of the first row of `sql`, as text (tests only).
    func text(_ sql: String) async throws -> String? {
        try readNow { db in try String.fetchOne(db, sql: sql) }
    }

    /// A blocking read (see `SQLiteOrderStore.readNow`: the stores never use GRDB's async reads).
    private func readNow<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }
}
