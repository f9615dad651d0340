import ClienteleCore
import ClienteleStore
import ClientelePostgres
import Foundation
import Testing

/// What only the PostgreSQL store promises: a reachable server whenever one is required, named migrations, URLs
/// parsed as libpq reads them, clear errors naming the server, a database shared by several store instances
/// (several `clientele serve` processes), and writes that other connections see all at once or not at all.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("a required PostgreSQL server is configured and reachable")
    func requiredServerIsReachable() async throws {
        guard PostgresTestServer.isRequired else { return }
        let url = try PostgresTestServer.url(schema: "clientele_reachability_" + String(UInt32.random(in: 0...UInt32.max)))
        let store = try await PostgresOrderStore.open(url: url)
        #expect(try await store.appliedMigrations() == ["v1-shops-orders-lines", "v2-store-revision", "v3-audiences", "v4-privacy", "v5-access", "v6-shop-handles"])
        try await store.dropSchema()
        await store.close()
    }

    @Test("URLs are read as libpq reads them; the description never holds the password")
    func urlParsing() throws {
        let full = try PostgresLocation(url: "postgres://shop%40owner:s3cr%2Ft@db.example.com:6543/clientele%20db?sslmode=require&schema=tenant_1")
        #expect(full.endpoint == .tcp(host: "db.example.com", port: 6543))
        #expect(full.user == "shop@owner")
        #expect(full.password == "s3cr/t")
        #expect(full.database == "clientele db")
        #expect(full.schema == "tenant_1")
        #expect(full.tlsMode == .require)
        #expect(!full.description.contains("s3cr"))
        #expect(full.description == "postgres://shop%40owner@db.example.com:6543/clientele%20db?schema=tenant_1")

        let socket = try PostgresLocation(url: "postgresql://clientele@/shop?host=/run/postgresql&port=5433")
        #expect(socket.endpoint == .socket(path: "/run/postgresql/.s.PGSQL.5433"))
        #expect(socket.tlsMode == .disable)
        #expect(socket.database == "shop")

        let defaults = try PostgresLocation(url: "postgres://anna@localhost")
        #expect(defaults.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(defaults.database == "anna", "the database defaults to the user's name, as in libpq")
        #expect(defaults.tlsMode == .prefer)

        let ipv6 = try PostgresLocation(url: "postgres://u:p@[::1]:5433/d?password=other")
        #expect(ipv6.endpoint == .tcp(host: "::1", port: 5433))
        #expect(ipv6.password == "other", "a query parameter overrides the user info, as in libpq")

        #expect(PostgresLocation.redact("postgres://u:hunter2@h/d?password=hunter3") == "postgres://u:***@h/d?password=***")
        #expect(PostgresLocation.isURL("POSTGRESQL://x") && !PostgresLocation.isURL("shop.sqlite"))
    }

    @Test("a URL that cannot be read is refused with a sentence that hides the password",
          arguments: ["postgres://u:pw@h:99999/d", "postgres://u:pw@h/d?sslmode=sometimes", "mysql://u:pw@h/d",
                      "postgres://u:pw@[::1/d"])
    func badURLs(url: String) {
        do {
            _ = try PostgresLocation(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.code == .cannotOpen)
            #expect(!error.description.contains("pw"), "\(error.description)")
        }
    }

    @Test("a server that is not there fails at once with its address and what to check")
    func unreachableServer() async throws {
        // A port nothing listens on: bind one, close it, use it.
        let port = try Self.freePort()
        let store = try PostgresOrderStore(url: "postgres://clientele:secret@127.0.0.1:\(port)/clientele?sslmode=disable&connect_timeout=5")
        do {
            try await store.prepare()
            Issue.record("connected to nothing")
        } catch let error as StoreError {
            #expect(error.code == .cannotOpen)
            #expect(error.description.contains("127.0.0.1:\(port)"), "\(error.description)")
            #expect(error.description.contains("check that the server is running"), "\(error.description)")
            #expect(!error.description.contains("secret"))
        }
    }

    @Test("a database that does not exist is named, with how to create it")
    func missingDatabase() async throws {
        guard PostgresTestServer.isConfigured else { return }
        let base = try PostgresTestServer.url(schema: "unused")
        let location = try PostgresLocation(url: base)
        let missing = base.replacingOccurrences(of: "/\(location.database)?", with: "/clientele_no_such_db?")
        let store = try PostgresOrderStore(url: missing)
        do {
            try await store.prepare()
            Issue.record("connected to a database that does not exist")
        } catch let error as StoreError {
            #expect(error.code == .cannotOpen)
            #expect(error.description.contains("database does not exist"), "\(error.description)")
            #expect(error.description.contains("clientele_no_such_db"))
        }
    }

    @Test("two store instances on one database see each other's writes and keep one revision")
    func twoProcessesShareOneShop() async throws {
        guard PostgresTestServer.isConfigured else { return }
        try await Self.withSchema { url in
            let a = try await PostgresOrderStore.open(url: url)
            let b = try await PostgresOrderStore.open(url: url)
            #expect(try await a.revision() == b.revision(), "one shop, one revision token")
            _ = try await a.replaceOrders(Fixtures.orders())
            #expect(try await b.revision() == a.revision())
            #expect(try await b.allOrders() == Fixtures.ordersInScanOrder())
            #expect(try await b.replaceOrders(Fixtures.orders()) == ReplaceSummary(unchanged: 9))
            try await b.saveSettings(Fixtures.customSettings())
            #expect(try await a.loadSettings() == Fixtures.customSettings())
            #expect(try await a.contentChecksum() == b.contentChecksum())
            #expect(try await a.appliedMigrations().count == 6, "the second instance migrated nothing again")
            await a.close()
            await b.close()
        }
    }

    @Test("concurrent imports into one shop queue on the shop's lock and both land completely")
    func concurrentImports() async throws {
        guard PostgresTestServer.isConfigured else { return }
        try await Self.withSchema { url in
            let a = try await PostgresOrderStore.open(url: url)
            let b = try await PostgresOrderStore.open(url: url)
            // Both write the same 400 orders and 200 of their own; whichever goes second finds the shared ones unchanged.
            async let first = a.replaceOrders(Fixtures.generated(400) + Fixtures.generated(200, prefix: "a"))
            async let second = b.replaceOrders(Fixtures.generated(400) + Fixtures.generated(200, prefix: "b"))
            let (x, y) = try await (first, second)
            #expect(x.inserted + y.inserted == 800)
            #expect(x.unchanged + y.unchanged == 400)
            #expect(x.replaced + y.replaced == 0)
            let reference = InMemoryOrderStore()
            _ = try await reference.replaceOrders(Fixtures.generated(400) + Fixtures.generated(200, prefix: "a")
                                                  + Fixtures.generated(200, prefix: "b"))
            #expect(try await a.contentChecksum() == reference.contentChecksum())
            #expect(try await a.counts() == reference.counts())
            await a.close()
            await b.close()
        }
    }

    @Test("a reader never sees half an import: before the commit nothing, after it everything")
    func readersSeeWholeImports() async throws {
        guard PostgresTestServer.isConfigured else { return }
        try await Self.withSchema { url in
            let writer = try await PostgresOrderStore.open(url: url)
            let reader = try await PostgresOrderStore.open(url: url)
            let source = OrderBatchSource(capacity: 2)
            async let written = writer.replaceOrders(streaming: source)
            for batch in StreamingContractTests.split(Fixtures.generated(3_000), sizes: [500]) { source.push(batch) }
            // Batches are in the writer's open transaction (or on their way): the reader sees none of them.
            #expect(try await reader.counts().orders == 0)
            source.finish()
            #expect(try await written == ReplaceSummary(inserted: 3_000))
            #expect(try await reader.counts().orders == 3_000)
            await writer.close()
            await reader.close()
        }
    }

    /// Runs `body` with the URL of a fresh schema, dropped afterwards.
    static func withSchema(_ body: (String) async throws -> Void) async throws {
        let scratch = try TestScratch()
        let url = try PostgresTestServer.url(schema: scratch.uniqueName)
        do {
            try await body(url)
        } catch {
            await StoreFactory.postgres.destroy(scratch)
            throw error
        }
        await StoreFactory.postgres.destroy(scratch)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else {
                    throw StoreError(.storageFailure, "no free port")
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
