import ArgumentParser
import ClienteleServer
import Hummingbird

/// `clientele serve`: the dashboard and the JSON API over one shop (docs/dashboard.md, docs/api.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard and the JSON API for a shop on this computer.",
        discussion: """
        Open http://127.0.0.1:8080/ in a browser; the JSON API is under /api/v1 (docs/api.md).
        There is no sign-in yet, so only loopback addresses are served.
        Examples:
          clientele serve --db demo.sqlite
          clientele serve --db shop.sqlite --port 9000
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
        try await Self.serve(path: store.path(), host: host, port: port)
    }

    /// Serves the shop at `path` until the process is stopped.
    static func serve(path: String, host: String, port: Int) async throws {
        _ = try StoreOptions.open(path: path, create: false)   // the CLI's message for a missing database
        let service: ShopService
        do {
            service = try await StoreOptions.openServerShop(path: path)
        } catch let error as APIError {
            throw CLIError(error.description)
        }
        let app = try ClienteleServer.application(service: service, host: host, port: port)
        printError("Serving \(StoreOptions.display(path)) on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (Ctrl-C stops).")
        try await app.runService()
    }
}
