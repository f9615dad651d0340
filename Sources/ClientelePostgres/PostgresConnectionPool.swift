import ClienteleStore
import Foundation
import PostgresNIO

/// A small pool of PostgreSQL connections for one store. A connection is opened when none is idle (up to
/// `maximum`; beyond that callers wait for one to come back), and a connection whose work failed is closed rather
/// than reused (its session state is unknown). Connecting fails at once with the server's or the network's
/// reason, which `PostgresErrors.connectError` turns into a sentence naming the server.
actor PostgresConnectionPool {
    let location: PostgresLocation
    let maximum: Int
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextId = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false
    private let configuration: PostgresConnection.Configuration
    nonisolated let logger: Logger

    init(location: PostgresLocation, maximum: Int = 8) throws(StoreError) {
        self.location = location
        self.maximum = max(1, maximum)
        var logger = Logger(label: "clientele.postgres")
        logger.logLevel = .critical
        self.logger = logger
        self.configuration = try Self.configuration(location)
    }

    private static func configuration(_ location: PostgresLocation) throws(StoreError) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch location.endpoint {
        case let .socket(path):
            configuration = .init(unixSocketPath: path, username: location.user, password: location.password,
                                  database: location.database)
        case let .tcp(host, port):
            let tls: PostgresConnection.Configuration.TLS
            do {
                var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
                switch location.tlsMode {
                case .disable:
                    tls = .disable
                case .allow, .prefer:
                    tlsConfiguration.certificateVerification = .none
                    tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
                case .require:
                    tlsConfiguration.certificateVerification = .none
                    tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
                case .verifyCA:
                    tlsConfiguration.certificateVerification = .noHostnameVerification
                    tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
                case .verifyFull:
                    tlsConfiguration.certificateVerification = .fullVerification
                    tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
                }
            } catch {
                throw StoreError(.cannotOpen, "cannot set up TLS for PostgreSQL at \(location.serverDescription)",
                                 underlying: String(reflecting: error))
            }
            configuration = .init(host: host, port: port, username: location.user, password: location.password,
                                  database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(Int64(location.connectTimeoutSeconds))
        var parameters: [(String, String)] = [("application_name", "clientele"), ("TimeZone", "UTC")]
        if let schema = location.schema {
            // The schema first, so that tables are made and found there; pg_temp stays implicit.
            parameters.append(("search_path", PostgresSQL.identifier(schema)))
        }
        configuration.options.additionalStartupParameters = parameters
        return configuration
    }

    deinit {
        // A store that is let go without `close()` does not leave its connections open. (A connection must be
        // closed before it is freed: the closure keeps it until the close completes.)
        for connection in idle {
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// A connection for the caller's exclusive use until `release`.
    func lease() async throws -> PostgresConnection {
        while true {
            if closed { throw StoreError(.storageFailure, "the connection to PostgreSQL at \(location.serverDescription) was closed") }
            while let connection = idle.popLast() {
                if !connection.isClosed { return connection }
                open -= 1
            }
            if open < maximum {
                open += 1
                nextId += 1
                do {
                    return try await PostgresConnection.connect(configuration: configuration, id: nextId, logger: logger)
                } catch {
                    open -= 1
                    wakeOne()
                    throw PostgresErrors.connectError(error, location: location)
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// Returns a connection: kept for the next caller when `reusable` and still open, else closed.
    func release(_ connection: PostgresConnection, reusable: Bool) async {
        if reusable && !closed && !connection.isClosed {
            idle.append(connection)
        } else {
            open -= 1
            try? await connection.close()
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Closes every idle connection; connections in use are closed when they come back.
    func close() async {
        closed = true
        let connections = idle
        idle = []
        open -= connections.count
        for connection in connections { try? await connection.close() }
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    /// Runs `body` with a leased connection; the connection goes back to the pool when `body` succeeds and is
    /// closed when it throws.
    nonisolated func withConnection<T>(_ body: (PostgresConnection) async throws -> sending T) async throws -> sending T {
        let connection = try await lease()
        let result: T
        do {
            result = try await body(connection)
        } catch {
            await release(connection, reusable: false)
            throw error
        }
        await release(connection, reusable: true)
        return result
    }
}
