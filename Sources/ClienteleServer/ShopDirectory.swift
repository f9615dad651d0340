import ClienteleCore
import ClienteleStore
import Hummingbird

/// Every shop of one database, served (`clientele serve`, docs/shops.md): handle → the shop's `ShopService` and
/// the responder of its own router (`ClienteleServer.router(service:)`), each opened on the shop's first request
/// and kept. The list of shops is read again at most once a second, and at once when a request names a shop the
/// last list did not have (a shop created by `clientele shop create` while serving is served without a restart).
public actor ShopDirectory {
    /// One opened shop.
    struct Entry: Sendable {
        let service: ShopService
        let responder: RouterResponder<ServerRequestContext>
    }

    /// The database (the source of truth for the list of shops).
    public nonisolated let database: any ShopDatabase
    /// The only shop served, when restricted to one (`clientele serve --shop NAME`); nil serves every shop.
    public nonisolated let only: String?
    /// How often (seconds) the list of shops is read again; 0 reads it for every request.
    public nonisolated let listSeconds: Double
    /// Whether every request must sign in whatever the database holds (`serve --host` beyond this computer,
    /// `--require-sign-in`): then the list of shops is never shown.
    public nonisolated let requireSignIn: Bool
    private let makeService: @Sendable (String, any OrderStore) async throws -> ShopService
    private var entries: [String: Entry] = [:]
    private var opening: [String: Task<Entry, any Error>] = [:]
    private var listed: [ShopListing] = []
    private var listedAt: ContinuousClock.Instant?
    private var gate: AccessGate?

    /// The shops of `database` (only `only`, when given), each served by the service `makeService` makes from
    /// its handle and store.
    public init(database: any ShopDatabase, only: String? = nil, listSeconds: Double = 1, requireSignIn: Bool = false,
                makeService: @escaping @Sendable (String, any OrderStore) async throws -> ShopService) {
        self.database = database
        self.only = only
        self.listSeconds = listSeconds
        self.requireSignIn = requireSignIn
        self.makeService = makeService
    }

    /// The shops of `database` served with `ClienteleServer.openShop(store:cachePath:requireSignIn:)` (built-in
    /// audiences seeded, snapshot cached at `cachePath(handle)`). Reads the list once, so that a database that
    /// cannot be reached fails here; a restriction to a shop the database does not hold is a `noSuchShop` error.
    public static func open(database: any ShopDatabase, only: String? = nil, requireSignIn: Bool = false,
                            cachePath: @escaping @Sendable (String) -> String?) async throws -> ShopDirectory {
        let directory = ShopDirectory(database: database, only: only, requireSignIn: requireSignIn) { handle, store in
            try await ClienteleServer.openShop(store: store, cachePath: cachePath(handle), requireSignIn: requireSignIn)
        }
        let all = try await database.shops()
        if let only, !all.contains(where: { $0.handle == only }) {
            throw ShopHandle.unknownShopError(only, shops: all)
        }
        return directory
    }

    /// The shops served, in ascending handle (read again when the last list is older than `listSeconds`).
    public func shops() async throws -> [ShopListing] {
        if let listedAt, ContinuousClock.now - listedAt < .seconds(listSeconds) { return listed }
        return try await relist()
    }

    /// Reads the list of shops now.
    @discardableResult
    private func relist() async throws -> [ShopListing] {
        var all = try await database.shops()
        if let only { all = all.filter { $0.handle == only } }
        listed = all
        listedAt = .now
        return all
    }

    /// Whether the list of shops may be shown (at `/`, `/shops`, `/api/v1/shops` and in "no such shop" answers):
    /// not once signing in is required (`requireSignIn`, or credentials anywhere in the database: the same rule
    /// as each shop's `AccessGate`), since nobody has signed in to the database as a whole.
    public func listIsPublic() async throws -> Bool {
        if requireSignIn { return false }
        if gate == nil {
            guard let first = try await shops().first else { return true }
            let store = try await database.store(shop: first.handle)
            gate = AccessGate(store: store as? any AccessStore)
        }
        return try await !(gate?.isRequired() ?? false)
    }

    /// The service of shop `handle`, opened on first use; nil when the database holds no such shop.
    public func service(for handle: String) async throws -> ShopService? {
        try await entry(for: handle)?.service
    }

    /// The opened shop `handle`; nil when the database holds no such shop (after reading the list again).
    func entry(for handle: String) async throws -> Entry? {
        if let entry = entries[handle] { return entry }
        guard ShopHandle.isValid(handle) else { return nil }
        if try await !shops().contains(where: { $0.handle == handle }) {
            guard try await relist().contains(where: { $0.handle == handle }) else { return nil }
        }
        if let entry = entries[handle] { return entry }   // opened while the list was read
        if let task = opening[handle] { return try await task.value }
        let database = self.database, makeService = self.makeService
        let task = Task<Entry, any Error> {
            let store = try await database.store(shop: handle)
            let service = try await makeService(handle, store)
            return Entry(service: service, responder: ClienteleServer.router(service: service).buildResponder())
        }
        opening[handle] = task
        defer { opening[handle] = nil }
        let entry = try await task.value
        entries[handle] = entry
        return entry
    }
}
