import ClienteleCore
import ClienteleStore

/// One shop of one database as the command line names it (`--db`, `--shop`): where its derived files live and
/// how messages name it. `resolve` finds it (docs/shops.md).
struct ShopTarget: Sendable {
    /// What resolving may create.
    enum Creating: Sendable {
        /// Nothing: the database and the shop must exist.
        case nothing
        /// The database and, when no shop is named and the database holds none, the shop "default"
        /// (`clientele shop` on a new file). A named shop must exist.
        case defaultShop
        /// The database and the named shop (or "default") when missing (`clientele import`, `clientele demo`).
        case anyShop
    }

    /// The database: a SQLite file or a PostgreSQL URL.
    let path: String
    /// The shop's handle.
    let shop: String
    /// Whether messages must name the shop (`--shop`): it is not "default", or the database holds several.
    let mustName: Bool

    /// The snapshot cache file (`PATH.snapshot` for "default", `PATH.<handle>.snapshot` for the others).
    var snapshotPath: String { StoreOptions.snapshotPath(for: path, shop: shop) }
    /// The saved fit (`PATH.model.json` for "default", `PATH.<handle>.model.json` for the others).
    var modelPath: String { StoreOptions.modelPath(for: path, shop: shop) }
    /// The database as messages show it (a PostgreSQL URL without its password).
    var display: String { StoreOptions.display(path) }
    /// `--db PATH`, with `--shop NAME` when needed: the options of the commands messages suggest.
    var arguments: String { "--db \(display)" + (mustName ? " --shop \(shop)" : "") }

    /// The shop `named` (else the only shop of the database) of the database at `path`, and its store.
    ///
    /// - A named shop that breaks the handle rule is refused; one the database does not hold is created with
    ///   `.anyShop` and refused otherwise, with the list of shops ("no shop "x"; the shops are: a, b").
    /// - With no shop named: the database's only shop; "default" created in a database without shops (except with
    ///   `.nothing`); an error listing the shops when there are several.
    static func resolve(path: String, named: String?, creating: Creating) async throws -> (target: ShopTarget, store: any OrderStore) {
        if let named { try ShopHandle.validate(named) }
        let database = try StoreOptions.openDatabase(path: path, create: creating != .nothing)
        let shops = try await database.shops()
        let display = StoreOptions.display(path)
        let handle: String
        var created = 0
        if let named {
            if !shops.contains(where: { $0.handle == named }) {
                guard creating == .anyShop else {
                    let error = ShopHandle.unknownShopError(named, shops: shops)
                    throw CLIError("\(error.message). Create it with clientele shop create \(named) --db \(display), or import into it with clientele import FILE --db \(display) --shop \(named).")
                }
                if try await database.createShop(named, settings: ShopSettings()) { created = 1 }
            }
            handle = named
        } else if shops.count == 1 {
            handle = shops[0].handle
        } else if shops.isEmpty {
            guard creating != .nothing else {
                throw CLIError("The database \(display) holds no shop yet. Import orders first: clientele import FILE --db \(display).")
            }
            if try await database.createShop(ShopHandle.defaultHandle, settings: ShopSettings()) { created = 1 }
            handle = ShopHandle.defaultHandle
        } else {
            let list = shops.map { "\($0.handle) (\($0.name))" }.joined(separator: ", ")
            throw CLIError("The database \(display) holds several shops: \(list). Name one with --shop NAME (or set CLIENTELE_SHOP).")
        }
        let store = try await database.store(shop: handle)
        let target = ShopTarget(path: path, shop: handle,
                                mustName: handle != ShopHandle.defaultHandle || shops.count + created > 1)
        return (target, store)
    }
}
