import ClienteleCore
import ClienteleStore
import ClientelePostgres
import ClienteleSQLite
import Foundation
import Testing

/// Scratch space one test owns: a fresh directory and a unique name (for a database schema, say).
struct TestScratch: Sendable {
    let directory: URL
    let uniqueName: String

    init() throws {
        uniqueName = "clientele_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// One implementation under the store contract: how to open a fresh store (and reopen the same one) in a
/// test's scratch space, and how to clean up after it. Add a backend by adding a factory to `all`.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    /// Opens the store that belongs to `scratch`: a new, empty one the first time.
    let open: @Sendable (TestScratch) async throws -> any OrderStore
    /// Releases what `open` created outside the scratch directory (a database schema, say).
    var destroy: @Sendable (TestScratch) async -> Void = { _ in }

    var testDescription: String { name }

    static let inMemory = StoreFactory(name: "in-memory") { _ in InMemoryOrderStore() }
    static let sqlite = StoreFactory(name: "SQLite file") { scratch in
        try SQLiteOrderStore(path: scratch.path("clientele.sqlite"))
    }

    /// Every implementation the contract runs against: PostgreSQL too when `CLIENTELE_TEST_POSTGRES_URL` is set,
    /// or when `CLIENTELE_REQUIRE_POSTGRES=1` (then a missing URL fails every PostgreSQL case instead of skipping).
    static let all: [StoreFactory] = [.inMemory, .sqlite] + (PostgresTestServer.isConfigured ? [.postgres] : [])

    /// PostgreSQL: a schema of its own per test (`?schema=` in the URL), dropped afterwards.
    static let postgres = StoreFactory(name: "PostgreSQL", open: { scratch in
        try await PostgresOrderStore.open(url: try PostgresTestServer.url(schema: scratch.uniqueName))
    }, destroy: { scratch in
        guard let url = try? PostgresTestServer.url(schema: scratch.uniqueName),
              let store = try? PostgresOrderStore(url: url) else { return }
        try? await store.dropSchema()
        await store.close()
    })
}

/// The PostgreSQL server the tests use: `CLIENTELE_TEST_POSTGRES_URL` (scripts/postgres starts one and sets it,
/// with `CLIENTELE_REQUIRE_POSTGRES=1`, for scripts/test and CI).
enum PostgresTestServer {
    static let environment = ProcessInfo.processInfo.environment

    /// The server's URL, when set.
    static var baseURL: String? {
        environment["CLIENTELE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether PostgreSQL tests must run (and fail when the server is missing or unreachable).
    static var isRequired: Bool { environment["CLIENTELE_REQUIRE_POSTGRES"] == "1" }

    /// Whether the PostgreSQL cases are part of the run.
    static var isConfigured: Bool { baseURL != nil || isRequired }

    /// The URL with `schema` as the schema the store's tables live in.
    static func url(schema: String) throws -> String {
        guard let base = baseURL else {
            throw StoreError(.cannotOpen, "CLIENTELE_REQUIRE_POSTGRES=1 but CLIENTELE_TEST_POSTGRES_URL is not set: start a server with scripts/postgres")
        }
        return base + (base.contains("?") ? "&" : "?") + "schema=" + schema
    }
}

/// Runs `body` with a fresh store from `factory`, in its own scratch space, and cleans up afterwards.
func withStore(_ factory: StoreFactory, _ body: (any OrderStore) async throws -> Void) async throws {
    try await withScratch(open: factory.open, destroy: factory.destroy, body)
}

/// Runs `body` with what `open` makes in a fresh scratch space, then `destroy`s it and removes the space,
/// also when `body` or `open` throws.
func withScratch<Resource>(open: (TestScratch) async throws -> Resource, destroy: (TestScratch) async -> Void,
                           _ body: (Resource) async throws -> Void) async throws {
    let scratch = try TestScratch()
    do {
        try await body(try await open(scratch))
        await destroy(scratch)
        scratch.remove()
    } catch {
        await destroy(scratch)
        scratch.remove()
        throw error
    }
}

extension OrderStore {
    /// Every stored order, in scan order.
    func allOrders() async throws -> [Order] {
        var orders: [Order] = []
        try await scanOrders { orders.append($0) }
        return orders
    }
}
