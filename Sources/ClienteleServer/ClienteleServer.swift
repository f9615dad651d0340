import ClienteleCore
import ClienteleSQLite
import ClienteleStore
import Hummingbird

/// The dashboard and JSON API server (`clientele serve`).
public enum ClienteleServer {
    /// The server's version string.
    public static let version = "0.1.0"

    /// The largest request body accepted (the future import upload included): 64 MiB.
    public static let maxBodyBytes = 64 * 1024 * 1024

    /// How long an idle connection (including one stuck sending a request) is kept: 30 seconds.
    public static let idleTimeoutSeconds: Int64 = 30

    /// Whether `host` is a loopback address (the only ones served until authentication exists).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
            && h.split(separator: ".").count == 4 && h.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// The sentence `clientele serve` prints for a host it refuses.
    public static func nonLoopbackMessage(_ host: String) -> String {
        "Listening on \(host) lets other computers in, so every request must sign in first: create an API token (clientele token create --role viewer) or a dashboard user (clientele user add NAME --role admin) and start again, or use --host 127.0.0.1 (this computer only)."
    }

    /// The router of the dashboard and the API for `service`.
    public static func router(service: ShopService) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: AccessMiddleware(service: service))
        router.add(middleware: ResponseCacheMiddleware(service: service))
        LoginPage.add(to: router, service: service)
        SummaryRoutes(service: service).add(to: router)
        APIRoutes(service: service).add(to: router)
        PrivacyRoutes(service: service).add(to: router)
        PageRoutes(service: service).add(to: router)
        return router
    }

    /// The application serving `service` on `host:port`. A non-loopback host is refused unless the service
    /// always requires signing in (`AccessGate.alwaysRequired`).
    public static func application(service: ShopService, host: String = "127.0.0.1", port: Int = 8080) throws
        -> some ApplicationProtocol {
        guard isLoopback(host) || service.access.alwaysRequired else { throw APIError.badRequest(nonLoopbackMessage(host)) }
        return Application(
            router: router(service: service),
            server: .http1(configuration: .init(idleTimeout: .seconds(idleTimeoutSeconds))),
            configuration: .init(address: .hostname(host, port: port), serverName: "clientele"))
    }

    /// Opens the SQLite shop at `path` for serving: seeds the built-in audiences and loads the snapshot
    /// (cached at `PATH.snapshot`) before the first request.
    public static func openShop(path: String, requireSignIn: Bool = false) async throws -> ShopService {
        try await openShop(store: try SQLiteOrderStore(path: path), cachePath: path + ".snapshot", requireSignIn: requireSignIn)
    }

    /// Opens the shop in `store` (SQLite, PostgreSQL, …) for serving, caching the snapshot at `cachePath`: seeds
    /// the built-in audiences and loads the snapshot before the first request. A shop that cannot be loaded
    /// yet (no orders, an unknown time zone) is served all the same: its pages say why, and the Import page
    /// takes its first file.
    /// With `requireSignIn`, every request must carry a token or a session even while the database holds none.
    public static func openShop(store: any OrderStore, cachePath: String?, requireSignIn: Bool = false) async throws -> ShopService {
        let access = AccessGate(store: store as? any AccessStore, alwaysRequired: requireSignIn)
        let service = ShopService(store: store, cachePath: cachePath, access: access)
        try await AudienceRoutes.seedBuiltIns(store, now: ShopService.systemNow())
        do {
            _ = try await service.current()
        } catch let error as APIError where error.status == .serviceUnavailable {
            // Served without a snapshot until an import (or a settings change) makes one.
        }
        return service
    }
}

/// The request context: Hummingbird's basic context with the server's body-size limit.
public struct ServerRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage

    /// A context for one request.
    public init(source: Source) { coreContext = .init(source: source) }

    /// The body-size limit (`ClienteleServer.maxBodyBytes`).
    public var maxUploadSize: Int { ClienteleServer.maxBodyBytes }
}
