import ArgumentParser
import ClienteleServer
import ClienteleStore
import Hummingbird

/// `clientele serve`: the dashboard and the JSON API over one shop (docs/dashboard.md, docs/api.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard and the JSON API for a shop on this computer.",
        discussion: """
        Open http://127.0.0.1:8080/ in a browser; the JSON API is under /api/v1 (docs/api.md).
        Once the database holds an API token or a dashboard user (clientele token, clientele user), every request
        must sign in (docs/access.md); a non-loopback --host needs that.
        Examples:
          clientele serve --db demo.sqlite
          clientele serve --db shop.sqlite --port 9000
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
        try await Self.serve(path: store.path(), host: host, port: port, requireSignIn: requireSignIn)
    }

    /// Serves the shop at `path` until the process is stopped.
    static func serve(path: String, host: String, port: Int, requireSignIn: Bool = false) async throws {
        let opened = try StoreOptions.open(path: path, create: false)   // the CLI's message for a missing database
        let remote = !ClienteleServer.isLoopback(host)
        if remote || requireSignIn, !(try await (opened as? any AccessStore)?.hasCredentials() ?? false) {
            throw CLIError(remote ? ClienteleServer.nonLoopbackMessage(host)
                : "--require-sign-in needs someone to sign in: create an API token (clientele token create --role viewer) or a dashboard user (clientele user add NAME --role admin) first.")
        }
        let service: ShopService
        do {
            service = try await StoreOptions.openServerShop(path: path, requireSignIn: remote || requireSignIn)
        } catch let error as APIError {
            throw CLIError(error.description)
        }
        let app = try ClienteleServer.application(service: service, host: host, port: port)
        printError("Serving \(StoreOptions.display(path)) on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (Ctrl-C stops).")
        try await app.runService()
    }
}
