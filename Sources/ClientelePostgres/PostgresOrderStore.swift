import ClienteleCore
import ClienteleStore
import Foundation
import PostgresNIO
import Synchronization

/// An `OrderStore` in a PostgreSQL database, through postgres-nio: the shared deployment, where several
/// `clientele serve` processes and imports use one server. Same contract as `SQLiteOrderStore`: the same tables
/// (keyed by shop), append-only named migrations (`clientele_migrations`), every write one transaction (an
/// import is all or nothing; writers of one shop take its row lock, so they queue), reads that need a consistent
/// view in one `REPEATABLE READ` transaction, the same revision tokens and content checksums.
///
/// Creating the store does no I/O; the first call connects, migrates the schema and creates the shop's row
/// (`prepare()` does it up front and reports a server that cannot be reached).
public final class PostgresOrderStore: OrderStore, CustomStringConvertible {
    /// Where the database is (the URL without its password).
    public let location: PostgresLocation
    /// The shop's handle (`default` for the shop of a database made before it could hold several).
    public let shop: String
    let pool: PostgresConnectionPool
    private let preparation = Mutex<Task<Int64, any Error>?>(nil)

    var logger: Logger { pool.logger }

    /// A store for the database at `url` (postgres://user:password@host:port/database?sslmode=…&schema=…), shop
    /// `shop` (created with the default settings on first use when missing). Throws a `StoreError` for a URL that
    /// cannot be parsed or a handle that breaks the rule (`ShopHandle`); connecting happens on first use.
    public init(url: String, shop: String = ShopHandle.defaultHandle, maximumConnections: Int = 8) throws {
        try ShopHandle.validate(shop)
        location = try PostgresLocation(url: url)
        self.shop = shop
        pool = try PostgresConnectionPool(location: location, maximum: maximumConnections)
    }

    /// A store of shop `shop` over the connections of `database` (which closing this store closes too).
    init(database: PostgresShopDatabase, shop: String) throws {
        try ShopHandle.validate(shop)
        location = database.location
        self.shop = shop
        pool = database.pool
    }

    /// Opens the store at `url` and prepares it (connects, migrates, creates the shop): a server that cannot be
    /// reached fails here with a sentence naming it.
    public static func open(url: String, shop: String = ShopHandle.defaultHandle) async throws -> PostgresOrderStore {
        let store = try PostgresOrderStore(url: url, shop: shop)
        try await store.prepare()
        return store
    }

    /// The URL without its password.
    public var description: String { location.description }

    /// Connects, brings the schema up to date and makes sure the shop's row exists; later calls return at once.
    public func prepare() async throws {
        _ = try await shopId()
    }

    /// Closes the store's connections (shared with the other stores of its `PostgresShopDatabase`, when it came
    /// from one); the store cannot be used afterwards.
    public func close() async {
        await pool.close()
    }

    /// The names of the migrations applied to the database, in the order they were applied.
    public func appliedMigrations() async throws -> [String] {
        _ = try await shopId()
        return try await pool.withConnection { connection in
            try await PostgresSchema.applied(connection, logger: self.logger)
        }
    }

    /// Drops the schema named in the URL (`?schema=`) with every table in it: every shop in it is gone. For tests
    /// and for removing an installation; throws when the URL names no schema.
    public func dropSchema() async throws {
        guard let schema = location.schema else {
            throw StoreError(.storageFailure, "the PostgreSQL URL \(location) names no schema to drop")
        }
        try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.execute(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(PostgresSQL.identifier(schema)) CASCADE"),
                                              on: connection, logger: self.logger)
            }
        }
        preparation.withLock { $0 = nil }
    }

    /// The shop's row id, preparing the database on first use (a failed preparation is tried again next time).
    func shopId() async throws -> Int64 {
        let task = preparation.withLock { current -> Task<Int64, any Error> in
            if let current { return current }
            let pool = self.pool, shop = self.shop, location = self.location
            let task = Task<Int64, any Error> {
                do {
                    return try await pool.withConnection { connection in
                        try await PostgresSchema.migrate(connection, location: location, logger: pool.logger)
                        return try await PostgresSchema.shopId(handle: shop, connection, logger: pool.logger)
                    }
                } catch {
                    throw PostgresErrors.storeError(error, location: location)
                }
            }
            current = task
            return task
        }
        do {
            return try await task.value
        } catch {
            preparation.withLock { current in
                if current == task { current = nil }
            }
            throw error
        }
    }

    // MARK: Settings

    /// The shop's settings.
    public func loadSettings() async throws -> ShopSettings {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await Self.readSettings(connection, shopId: shopId, logger: self.logger)
            }
        }
    }

    /// Replaces the shop's settings (the revision changes only when they differ from the stored ones).
    public func saveSettings(_ settings: ShopSettings) async throws {
        let thresholds = try settings.thresholds.storedJSON()
        let retention = settings.retentionYears.map(Int64.init)
        let shopId = try await shopId()
        try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.transaction(connection, logger: self.logger) { connection in
                    let changed = try await PostgresSQL.affectedRows("""
                        UPDATE shops SET name = \(settings.name), time_zone = \(settings.timeZone),
                            currency = \(settings.currency), locale = \(settings.locale), thresholds = \(thresholds)::json,
                            retention_years = \(retention)::integer
                        WHERE id = \(shopId) AND (name, time_zone, currency, locale, thresholds::text, retention_years)
                            IS DISTINCT FROM (\(settings.name), \(settings.timeZone), \(settings.currency),
                                              \(settings.locale), \(thresholds), \(retention)::integer)
                        """, on: connection, logger: self.logger)
                    if changed > 0 { try await PostgresSchema.bumpRevision(connection, shopId: shopId, logger: self.logger) }
                }
            }
        }
    }

    static func readSettings(_ connection: PostgresConnection, shopId: Int64, logger: Logger) async throws -> ShopSettings {
        let rows = try await PostgresSQL.rows("""
            SELECT name, time_zone, currency, locale, thresholds::text, retention_years FROM shops WHERE id = \(shopId)
            """, on: connection, logger: logger)
        guard let row = rows.first?.cells, row.count == 6 else {
            throw StoreError(.corruptData, "the database has no shop settings")
        }
        let thresholds = try ShopSettings.Thresholds(storedJSON: row[4].string ?? "")
        return ShopSettings(name: row[0].string ?? "", timeZone: row[1].string ?? "UTC", currency: row[2].string,
                            locale: row[3].string ?? "", thresholds: thresholds, retentionYears: row[5].int64.map { Int($0) })
    }

    // MARK: Reads

    /// The shop's revision token: its random instance id and its change counter.
    public func revision() async throws -> String {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                let rows = try await PostgresSQL.rows("""
                    SELECT instance || '-' || counter FROM store_revision WHERE shop_id = \(shopId)
                    """, on: connection, logger: self.logger)
                return rows.first?.cells.first?.string ?? ""
            }
        }
    }

    /// Counts of orders, lines and distinct products, from one snapshot of the database.
    public func counts() async throws -> StoreCounts {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                let rows = try await PostgresSQL.rows("""
                    SELECT (SELECT count(*) FROM orders WHERE shop_id = \(shopId)),
                           (SELECT count(*) FROM order_lines WHERE shop_id = \(shopId)),
                           (SELECT count(*) FROM products WHERE shop_id = \(shopId))
                    """, on: connection, logger: self.logger)
                guard let cells = rows.first?.cells, cells.count == 3 else {
                    throw StoreError(.corruptData, "the database did not count the orders")
                }
                return StoreCounts(orders: Int(cells[0].int64 ?? 0), lines: Int(cells[1].int64 ?? 0),
                                   products: Int(cells[2].int64 ?? 0))
            }
        }
    }

    /// Calls `body` with every order in ascending id (by bytes), from one statement (a consistent view); rows
    /// are streamed, so memory stays flat.
    public func scanOrders(_ body: (Order) throws -> Void) async throws {
        let shopId = try await shopId()
        try await run {
            try await self.pool.withConnection { connection in
                try await PostgresOrderScanner.scan(connection, shopId: shopId, logger: self.logger, body)
            }
        }
    }

    /// The content checksum (`StoreChecksum`) of settings, orders and audiences, from one `REPEATABLE READ`
    /// transaction.
    public func contentChecksum() async throws -> String {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.transaction(connection, logger: self.logger, isolation: "REPEATABLE READ",
                                                  readOnly: true) { connection in
                    var sum = StoreChecksum()
                    sum.add(try await Self.readSettings(connection, shopId: shopId, logger: self.logger))
                    try await PostgresOrderScanner.scan(connection, shopId: shopId, logger: self.logger) { sum.add($0) }
                    for audience in try await Self.readAudiences(connection, shopId: shopId, logger: self.logger) {
                        sum.add(audience)
                    }
                    sum.addAudienceSeedVersion(try await Self.readSeedVersion(connection, shopId: shopId, logger: self.logger))
                    for entry in try await Self.readPrivacyLog(connection, shopId: shopId, logger: self.logger) { sum.add(entry) }
                    for id in try await Self.readForgottenOrderIds(connection, shopId: shopId, logger: self.logger) {
                        sum.addForgottenOrder(id)
                    }
                    return sum.finalize()
                }
            }
        }
    }

    // MARK: Errors

    /// Runs `body`, turning database errors into `StoreError`s that name the server.
    func run<T>(_ body: () async throws -> sending T) async throws -> sending T {
        do {
            return try await body()
        } catch {
            throw PostgresErrors.storeError(error, location: location)
        }
    }
}
