import ClienteleCore
import ClienteleStore
import PostgresNIO
import Synchronization

/// A PostgreSQL database with its shops (`ShopDatabase`), the rows of every shop keyed by its id in the same
/// tables. Creating it does no I/O; the first call connects and migrates the schema (creating no shop). The stores
/// of its shops (`orderStore(shop:)`) share its connections.
public final class PostgresShopDatabase: ShopDatabase, CustomStringConvertible {
    /// Where the database is (the URL without its password).
    public let location: PostgresLocation
    let pool: PostgresConnectionPool
    private let preparation = Mutex<Task<Void, any Error>?>(nil)

    var logger: Logger { pool.logger }

    /// The database at `url` (postgres://user:password@host:port/database?sslmode=…&schema=…). Throws a
    /// `StoreError` for a URL that cannot be parsed; connecting happens on first use.
    public init(url: String, maximumConnections: Int = 8) throws {
        location = try PostgresLocation(url: url)
        pool = try PostgresConnectionPool(location: location, maximum: maximumConnections)
    }

    /// The URL without its password.
    public var description: String { location.description }

    /// Connects and brings the schema up to date; later calls return at once (a failure is tried again).
    public func prepare() async throws {
        let task = preparation.withLock { current -> Task<Void, any Error> in
            if let current { return current }
            let pool = self.pool, location = self.location
            let task = Task<Void, any Error> {
                do {
                    try await pool.withConnection { connection in
                        try await PostgresSchema.migrate(connection, location: location, logger: pool.logger)
                    }
                } catch {
                    throw PostgresErrors.storeError(error, location: location)
                }
            }
            current = task
            return task
        }
        do {
            try await task.value
        } catch {
            preparation.withLock { current in
                if current == task { current = nil }
            }
            throw error
        }
    }

    /// Closes the database's connections (every store of it stops working).
    public func close() async {
        await pool.close()
    }

    /// Every shop, in ascending handle.
    public func shops() async throws -> [ShopListing] {
        try await prepare()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSchema.shops(connection, logger: self.logger)
            }
        }
    }

    /// Creates the shop `handle` with `settings` and a fresh revision; `false` when it exists.
    public func createShop(_ handle: String, settings: ShopSettings) async throws -> Bool {
        try ShopHandle.validate(handle)
        try await prepare()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSchema.createShop(handle: handle, settings: settings, connection, logger: self.logger)
            }
        }
    }

    /// The store of the existing shop `handle` (`noSuchShop` otherwise).
    public func store(shop handle: String) async throws -> any OrderStore {
        try await orderStore(shop: handle)
    }

    /// The store of the existing shop `handle`, prepared: a `StoreError` of code `noSuchShop` listing the shops
    /// otherwise.
    public func orderStore(shop handle: String) async throws -> PostgresOrderStore {
        try ShopHandle.validate(handle)
        try await prepare()
        let exists = try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSchema.existingShopId(handle: handle, connection, logger: self.logger) != nil
            }
        }
        guard exists else { throw ShopHandle.unknownShopError(handle, shops: try await shops()) }
        let store = try PostgresOrderStore(database: self, shop: handle)
        try await store.prepare()
        return store
    }

    /// Runs `body`, turning database errors into `StoreError`s that name the server.
    private func run<T>(_ body: () async throws -> sending T) async throws -> sending T {
        do {
            return try await body()
        } catch {
            throw PostgresErrors.storeError(error, location: location)
        }
    }
}
