import ClienteleCore
import ClienteleStore
import ClientelePostgres
@testable import ClienteleSQLite
import Foundation
import Testing

/// One database backend that holds several shops: how to open a fresh database (and the same one again) in a
/// test's scratch space, and how to clean up after it.
struct ShopDatabaseFactory: Sendable, CustomTestStringConvertible {
    let name: String
    /// Opens the database that belongs to `scratch`: a new, empty one the first time.
    let open: @Sendable (TestScratch) async throws -> any ShopDatabase
    /// Releases what `open` created outside the scratch directory.
    var destroy: @Sendable (TestScratch) async -> Void = { _ in }

    var testDescription: String { name }

    static let sqlite = ShopDatabaseFactory(name: "SQLite file") { scratch in
        try SQLiteShopDatabase(path: scratch.path("shops.sqlite"))
    }

    static let postgres = ShopDatabaseFactory(name: "PostgreSQL", open: { scratch in
        try PostgresShopDatabase(url: try PostgresTestServer.url(schema: scratch.uniqueName))
    }, destroy: StoreFactory.postgres.destroy)

    /// SQLite, and PostgreSQL when configured (as `StoreFactory.all`).
    static let all: [ShopDatabaseFactory] = [.sqlite] + (PostgresTestServer.isConfigured ? [.postgres] : [])
}

/// Runs `body` with a fresh database from `factory` and cleans up afterwards.
func withShopDatabase(_ factory: ShopDatabaseFactory, _ body: (any ShopDatabase) async throws -> Void) async throws {
    try await withScratch(open: factory.open, destroy: factory.destroy, body)
}

/// Several shops in one database: every table is keyed by shop, and one shop's store never sees or changes
/// another's orders, settings, audiences, revision, checksum or counts.
@Suite("Store contract: shops in one database")
struct ShopIsolationContractTests {
    static let eur = Currency(code: "EUR")!

    /// Shop A: Copenhagen, DKK, Danish locale, the fixture's custom thresholds.
    static func settingsA() -> ShopSettings {
        var s = Fixtures.customSettings()
        s.name = "Shop A (tea)"
        s.timeZone = "Europe/Copenhagen"
        s.currency = "DKK"
        s.locale = "da_DK"
        return s
    }

    /// Shop B: New York, EUR, US locale, the default thresholds but for one.
    static func settingsB() -> ShopSettings {
        var s = ShopSettings(name: "Shop B (bikes)", timeZone: "America/New_York", currency: "EUR", locale: "en_US")
        s.thresholds.topCustomers = 7
        return s
    }

    /// Shop B's orders: "1001" is also an id of shop A (`Fixtures.orders()`) with other content.
    static func ordersB() -> [Order] {
        [
            Order(id: "1001", placedAt: Instant(seconds: 1_720_000_000), customerId: "bee-1", email: "bee@bikes.example",
                  currency: eur, total: 50_000, country: "US",
                  lines: [OrderLine(productId: "bike", productName: "Road bike", quantity: 1, unitPrice: 50_000)]),
            Order(id: "b-2", placedAt: Instant(seconds: 1_720_086_400), customerId: "bee-2", currency: eur, total: 1_500,
                  lines: [OrderLine(productId: "bell", productName: "Bell", quantity: 3, unitPrice: 500)]),
        ]
    }

    /// The reference checksum: an in-memory store holding exactly this content.
    static func reference(_ settings: ShopSettings, _ orders: [Order], audiences: [SavedAudience] = []) async throws -> String {
        let store: any OrderStore = InMemoryOrderStore(settings: settings)
        _ = try await store.replaceOrders(orders)
        for audience in audiences { try await store.saveAudience(audience) }
        return try await store.contentChecksum()
    }

    static func audience(_ name: String, _ filter: String) -> SavedAudience {
        SavedAudience(name: name, filter: filter, createdAt: Instant(seconds: 1_700_000_000),
                      updatedAt: Instant(seconds: 1_700_000_100))
    }

    @Test("two shops in one database keep orders, settings, audiences and counts apart", arguments: ShopDatabaseFactory.all)
    func isolation(factory: ShopDatabaseFactory) async throws {
        try await withShopDatabase(factory) { database in
            #expect(try await database.createShop("shop-a", settings: Self.settingsA()))
            #expect(try await database.createShop("shop-b", settings: Self.settingsB()))
            let a = try await database.store(shop: "shop-a")
            let b = try await database.store(shop: "shop-b")
            #expect(try await a.loadSettings() == Self.settingsA())
            #expect(try await b.loadSettings() == Self.settingsB())

            #expect(try await a.replaceOrders(Fixtures.orders()) == ReplaceSummary(inserted: 9))
            // "1001" is stored in A already: in B it is a new order, not a replacement.
            #expect(try await b.replaceOrders(Self.ordersB()) == ReplaceSummary(inserted: 2))
            #expect(try await a.allOrders() == Fixtures.ordersInScanOrder())
            #expect(try await b.allOrders() == Self.ordersB())
            // Hand counts: A has 9 orders with 2 + 1 + 3 + 0 + 1 + 1 + 1 + 1 + 1 = 11 lines and 6 products (Fixtures);
            // B 2 orders, 2 lines, 2 products.
            #expect(try await a.counts() == StoreCounts(orders: 9, lines: 11, products: Fixtures.distinctProducts))
            #expect(try await b.counts() == StoreCounts(orders: 2, lines: 2, products: 2))

            try await a.saveAudience(Self.audience("tea-lovers", "orders >= 2"))
            try await b.saveAudience(Self.audience("cyclists", "orders >= 1"))
            try await b.saveAudience(Self.audience("tea-lovers", "orders >= 5"))
            #expect(try await a.listAudiences().map(\.filter) == ["orders >= 2"])
            #expect(try await b.listAudiences().map(\.name) == ["cyclists", "tea-lovers"])
            #expect(try await b.deleteAudience(name: "tea-lovers"))
            #expect(try await a.listAudiences().map(\.name) == ["tea-lovers"], "deleting in B leaves A's audience of the same name")
            #expect(try await b.deleteAudience(name: "tea-lovers") == false)

            #expect(try await a.seedAudiences([Self.audience("built-in", "orders = 1")], version: 3) == ["built-in"])
            #expect(try await a.audienceSeedVersion() == 3)
            #expect(try await b.audienceSeedVersion() == 0, "seeding A does not seed B")

            // Each checksum is the one of an in-memory store holding only that shop's content.
            let checksumA = try await a.contentChecksum()
            let checksumB = try await b.contentChecksum()
            let expectedA: any OrderStore = InMemoryOrderStore(settings: Self.settingsA())
            _ = try await expectedA.replaceOrders(Fixtures.orders())
            try await expectedA.saveAudience(Self.audience("tea-lovers", "orders >= 2"))
            _ = try await expectedA.seedAudiences([Self.audience("built-in", "orders = 1")], version: 3)
            #expect(checksumA == (try await expectedA.contentChecksum()))
            #expect(checksumB == (try await Self.reference(Self.settingsB(), Self.ordersB(),
                                                           audiences: [Self.audience("cyclists", "orders >= 1")])))

            // Replacing B's "1001" leaves A's "1001" as it was.
            var changed = Self.ordersB()[0]
            changed.total = 60_000
            changed.lines[0].unitPrice = 60_000
            #expect(try await b.replaceOrders([changed]) == ReplaceSummary(replaced: 1))
            #expect(try await a.allOrders() == Fixtures.ordersInScanOrder())
            #expect(try await a.contentChecksum() == checksumA)
            #expect(try await b.contentChecksum() != checksumB)
        }
    }

    @Test("a write to one shop changes its revision only; two shops never share a token", arguments: ShopDatabaseFactory.all)
    func revisions(factory: ShopDatabaseFactory) async throws {
        try await withShopDatabase(factory) { database in
            #expect(try await database.createShop("a", settings: Self.settingsA()))
            #expect(try await database.createShop("b", settings: Self.settingsA()))
            let a = try await database.store(shop: "a")
            let b = try await database.store(shop: "b")
            // Same settings, no orders: equal content, but each shop has its own token.
            #expect(try await a.contentChecksum() == b.contentChecksum())
            #expect(try await a.revision() != b.revision())
            let a0 = try await a.revision(), b0 = try await b.revision()

            _ = try await a.replaceOrders(Fixtures.orders())
            let a1 = try await a.revision()
            #expect(a1 != a0)
            #expect(try await b.revision() == b0, "an import into A keeps B's revision")

            var settings = Self.settingsB()
            settings.name = "Renamed"
            try await b.saveSettings(settings)
            let b1 = try await b.revision()
            #expect(b1 != b0)
            #expect(try await a.revision() == a1, "B's settings keep A's revision")

            // The streaming write too.
            let source = OrderBatchSource(capacity: 2)
            async let written = b.replaceOrders(streaming: source)
            _ = source.push(Self.ordersB())
            source.finish()
            #expect(try await written == ReplaceSummary(inserted: 2))
            #expect(try await b.revision() != b1)
            #expect(try await a.revision() == a1, "a streamed import into B keeps A's revision")
            #expect(try await a.allOrders() == Fixtures.ordersInScanOrder())
            #expect(try await b.allOrders() == Self.ordersB())
            #expect(try await a.revision() != b.revision())

            // The same content in both shops: equal checksums (content), different revisions (identity).
            #expect(try await b.replaceOrders(Fixtures.orders()).inserted == 8, "\"1001\" was B's already")
            #expect(try await b.replaceOrders([Fixtures.orders()[0]]) == ReplaceSummary(unchanged: 1))
            try await b.saveSettings(Self.settingsA())
            var aOnly = try await a.allOrders()
            aOnly.sort { StoreContent.precedes($0.id, $1.id) }
            #expect(try await b.allOrders().filter { $0.id != "b-2" } == aOnly)
            #expect(try await a.revision() != b.revision())
        }
    }

    @Test("shops are listed by handle and created once; handles follow the rule", arguments: ShopDatabaseFactory.all)
    func listingAndCreating(factory: ShopDatabaseFactory) async throws {
        try await withShopDatabase(factory) { database in
            #expect(try await database.shops().isEmpty, "opening a database creates no shop")
            #expect(try await database.createShop("zeta", settings: ShopSettings(name: "Zeta")))
            #expect(try await database.createShop("alpha_1", settings: ShopSettings(name: "Alpha")))
            #expect(try await database.createShop("zeta", settings: ShopSettings(name: "Other")) == false)
            #expect(try await database.shops() == [ShopListing(handle: "alpha_1", name: "Alpha"),
                                                    ShopListing(handle: "zeta", name: "Zeta")])
            #expect(try await database.store(shop: "zeta").loadSettings().name == "Zeta", "creating again changed nothing")

            let longest = String(repeating: "x", count: 64)
            #expect(try await database.createShop(longest, settings: ShopSettings()))
            for bad in ["", "Alpha", "a b", "café", "a.b", "a/b", String(repeating: "x", count: 65), "ø"] {
                do {
                    _ = try await database.createShop(bad, settings: ShopSettings())
                    Issue.record("\"\(bad)\" was accepted as a handle")
                } catch let error as StoreError {
                    #expect(error.code == .invalidShopHandle)
                    #expect(error.message.contains("a-z, 0-9, - and _"), "\(error.message)")
                }
            }
            #expect(try await database.shops().count == 3)

            do {
                _ = try await database.store(shop: "nope")
                Issue.record("an unknown shop was opened")
            } catch let error as StoreError {
                #expect(error.code == .noSuchShop)
                #expect(error.message == "no shop \"nope\"; the shops are: alpha_1, \(longest), zeta")
            }
            #expect(try await database.shops().count == 3, "asking for an unknown shop creates none")
        }
    }

    @Test("a SQLite file made before shops had handles: its shop is \"default\" and keeps its revision and content")
    func sqliteMigration() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("old.sqlite")
        // A file at the v3 schema with its shop (id 1), an order and a revision, as the earlier version wrote it.
        try SQLiteShopDatabase.writeEarlierVersion(path: path, upTo: "v3-audiences", then: """
            INSERT INTO shop (id, name, time_zone, currency, locale, thresholds)
                VALUES (1, 'Old shop', 'Europe/Oslo', 'NOK', 'nb_NO', '\(try ShopSettings.Thresholds().storedJSON())');
            INSERT INTO orders (shop_id, id, placed_at, customer_id, email, status, currency, total, refunded,
                                shop_total, shop_refunded, rate, country)
                VALUES (1, 'o1', 1700000000, 'c1', NULL, 'placed', 'NOK', 1000, 0, 1000, 0, NULL, NULL);
            UPDATE store_revision SET instance = '0123456789abcdef0123456789abcdef', counter = 41 WHERE id = 1;
            """)
        let revision = "0123456789abcdef0123456789abcdef-41"
        let database = try SQLiteShopDatabase(path: path)
        #expect(try await database.shops() == [ShopListing(handle: "default", name: "Old shop")])
        let store = try SQLiteOrderStore(path: path)
        #expect(store.shop == "default")
        #expect(try await store.revision() == revision, "snapshot files built from the old token stay valid")
        #expect(try await store.allOrders().map(\.id) == ["o1"])
        #expect(try await store.loadSettings().timeZone == "Europe/Oslo")
        #expect(try await database.createShop("second", settings: ShopSettings()))
        let second = try database.orderStore(shop: "second")
        #expect(try await second.counts() == StoreCounts(orders: 0, lines: 0, products: 0))
        #expect(try await second.revision() != revision)
        #expect(try await store.appliedMigrations().last == "v7-packed-lines")
    }

    @Test("SQLiteOrderStore(path:shop:) creates the named shop only; both stores refuse an invalid handle")
    func openingCreatesTheNamedShop() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("one.sqlite")
        let store = try SQLiteOrderStore(path: path, shop: "nordic")
        #expect(store.shop == "nordic")
        #expect(try await SQLiteShopDatabase(path: path).shops().map(\.handle) == ["nordic"], "no default shop beside it")
        #expect(throws: StoreError.self) { try SQLiteOrderStore(path: path, shop: "Not valid") }
        #expect(throws: StoreError.self) { try PostgresOrderStore(url: "postgres://u@localhost/db", shop: "Not valid") }
    }
}
