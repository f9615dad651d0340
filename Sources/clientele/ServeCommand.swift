import ArgumentParser
import ClienteleCore
import ClienteleStore
import ClienteleServer
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
        There is no sign-in yet, so only loopback addresses are served.
        Examples:
          clientele serve --db demo.sqlite
          clientele serve --db shop.sqlite --port 9000
          clientele serve --db shops.sqlite                 # http://127.0.0.1:8080/shops/nordic-tea/
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The address to listen on: a loopback address only (127.0.0.1, ::1, localhost).", valueName: "HOST"))
    var host: String = "127.0.0.1"
    @Option(help: ArgumentHelp("The port to listen on.", valueName: "PORT")) var port: Int = 8080

    func validate() throws {
        if !ClienteleServer.isLoopback(host) { throw ValidationError(ClienteleServer.nonLoopbackMessage(host)) }
        if !(1...65535).contains(port) { throw ValidationError("--port must be from 1 to 65535.") }
    }

    func run() async throws {
        try await Self.serve(path: store.path(), only: store.namedShop(), host: host, port: port)
    }

    /// Serves every shop of the database at `path` (only the shop `only`, when given) until the process is
    /// stopped. A database without shops gets the shop "default", so that its Import page takes the first file.
    static func serve(path: String, only: String? = nil, host: String, port: Int) async throws {
        if let only { try ShopHandle.validate(only) }
        let database = try StoreOptions.openDatabase(path: path, create: false)
        let shops = try await database.shops()
        if shops.isEmpty && only == nil {
            _ = try await database.createShop(ShopHandle.defaultHandle, settings: ShopSettings())
        }
        let directory: ShopDirectory
        do {
            directory = try await ShopDirectory.open(database: database, only: only) { handle in
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
