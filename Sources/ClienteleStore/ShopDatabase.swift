import ClienteleCore

/// A database that holds one or more shops, each with its own orders, settings, audiences and revision: one
/// shop's store never reads or changes another's rows. SQLite (`SQLiteShopDatabase`) and PostgreSQL
/// (`PostgresShopDatabase`) implement it; stores of one database share its connections.
public protocol ShopDatabase: Sendable {
    /// Every shop in the database, in ascending handle (by bytes).
    func shops() async throws -> [ShopListing]
    /// Creates the shop `handle` (checked with `ShopHandle.validate`) with `settings` and a revision of its own;
    /// `false` (and nothing changes) when a shop with that handle exists.
    func createShop(_ handle: String, settings: ShopSettings) async throws -> Bool
    /// The store of the existing shop `handle`: a `StoreError` of code `noSuchShop` naming the shops otherwise.
    func store(shop handle: String) async throws -> any OrderStore
}

/// One shop of a database: the handle processes name it by (`--shop`, `/shops/{shop}/…`) and its display name.
public struct ShopListing: Hashable, Sendable {
    /// The handle: 1–64 characters of `a-z`, `0-9`, `-` and `_` (`ShopHandle`).
    public var handle: String
    /// The shop's display name (its settings' `name`).
    public var name: String

    /// A shop called `name`, named by `handle`.
    public init(handle: String, name: String) {
        self.handle = handle
        self.name = name
    }
}

/// The rules for shop handles.
public enum ShopHandle {
    /// The handle of the shop every database had before it could hold several, and of a new database's shop.
    public static let defaultHandle = "default"
    /// The longest handle, in characters.
    public static let maximumLength = 64

    /// Whether `handle` is 1–64 characters of `a-z`, `0-9`, `-` and `_`.
    public static func isValid(_ handle: String) -> Bool {
        let bytes = handle.utf8
        return !bytes.isEmpty && bytes.count <= maximumLength && bytes.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
    }

    /// Throws a `StoreError` of code `invalidShopHandle` saying the rule when `handle` breaks it.
    public static func validate(_ handle: String) throws(StoreError) {
        guard !isValid(handle) else { return }
        let shown = handle.count > 80 ? String(handle.prefix(80)) + "…" : handle
        throw StoreError(.invalidShopHandle, """
            "\(shown)" is not a shop handle: use 1 to \(maximumLength) characters of a-z, 0-9, - and _ \
            (lower case, no spaces), e.g. nordic-tea
            """)
    }

    /// The error for a shop `handle` the database does not hold, listing the shops it holds.
    public static func unknownShopError(_ handle: String, shops: [ShopListing]) -> StoreError {
        let list = shops.isEmpty ? "there are none" : "the shops are: " + shops.map(\.handle).joined(separator: ", ")
        return StoreError(.noSuchShop, "no shop \"\(handle)\"; \(list)")
    }
}
