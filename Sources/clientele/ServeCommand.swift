import ArgumentParser
import ClienteleCore
import ClienteleServer
import ClienteleStore
import Hummingbird

/// `clientele serve`: the dashboard and the JSON API over every shop of a database (docs/dashboard.md,
/// docs/api.md, docs/shops.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard and the JSON API for a shop on this computer.",
        discussion: """
        Open http://127.0.0.1:8080/ in a browser; the JSON API is under /api/v1 (docs/api.md).
        Every shop of the database is served under /shops/NAME/ (its pages and /shops/NAME/api/v1/…); a database
        with one shop is also served at / (docs/shops.md). --shop NAME serves that shop only.
        Once the database holds an API token or a dashboard user (clientele token, clientele user), every request
        must sign in (docs/access.md); a non-loopback --host needs that.
        Examples:
          clientele serve --db demo.sqlite
          clientele serve --db shop.sqlite --port 9000
          clientele serve --db shops.sqlite                 # http://127.0.0.1:8080/shops/nordic-tea/
          clientele serve --db shop.sqlite --host 0.0.0.0   (after clientele user add NAME --role admin)
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The address to listen on. Other than a loopback address (127.0.0.1, ::1, localhost), only with a token or user in the database: every request must sign in.", valueName: "HOST"))
    var host: String = "127.0.0.1"
    @Flag(help: "Ask every request to sign in even on a loopback address (otherwise: once the database holds a token or user).")
    var requireSignIn = false
    @Option(help: ArgumentHelp("The port to listen on.", valueName: "PORT")) var port: Int = 8080

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError("--port must be from 1 to 65535.") }
    }

    func run() async throws {
        try await Self.serve(path: store.path(), only: store.namedShop(), host: host, port: port, requireSignIn: requireSignIn)
    }

    /// Serves every shop of the database at `path` (only the shop `only`, when given) until the process is
    /// stopped. A database without shops gets the shop "default", so that its Import page takes the first file.
    /// Beyond this computer (or with `requireSignIn`) every request must sign in, so the database must hold a
    /// token or a user first.
    static func serve(path: String, only: String? = nil, host: String, port: Int, requireSignIn: Bool = false) async throws {
        if let only { try ShopHandle.validate(only) }
        let database = try StoreOptions.openDatabase(path: path, create: false)   // the CLI's message for a missing file
        var shops = try await database.shops()
        if shops.isEmpty && only == nil {
            _ = try await database.createShop(ShopHandle.defaultHandle, settings: ShopSettings())
            shops = try await database.shops()
        }
        let remote = !ClienteleServer.isLoopback(host)
        if remote || requireSignIn {
            // Credentials are looked up across the database (any shop's token or user locks every shop).
            var access: (any AccessStore)?
            if let first = shops.first(where: { only == nil || $0.handle == only }) {
                access = try await database.store(shop: first.handle) as? any AccessStore
            }
            guard try await access?.hasCredentials() ?? false else {
                throw CLIError(remote ? ClienteleServer.nonLoopbackMessage(host)
                    : "--require-sign-in needs someone to sign in: create an API token (clientele token create --role viewer) or a dashboard user (clientele user add NAME --role admin) first.")
            }
        }
        let directory: ShopDirectory
        do {
            directory = try await ShopDirectory.open(database: database, only: only, requireSignIn: remote || requireSignIn) { handle in
                StoreOptions.snapshotPath(for: path, shop: handle)
            }
            // Open the shops before the first request (seeds built-in audiences, loads the snapshots).
            for shop in try await directory.shops() { _ = try await directory.service(for: shop.handle) }
        } catch let error as APIError {
            throw CLIError(error.description)
        }
        let app = try ClienteleServer.application(directory: directory, host: host, port: port)
        let address = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        let served = try await directory.shops()
        if served.count == 1 {
            printError("Serving \(StoreOptions.display(path)) on \(address)/ (Ctrl-C stops).")
        } else {
            printError("Serving the \(served.count) shops of \(StoreOptions.display(path)) on \(address)/ (Ctrl-C stops):")
            for shop in served { printError("  \(address)/shops/\(shop.handle)/  \(shop.name)") }
        }
        try await app.runService()
    }
}
