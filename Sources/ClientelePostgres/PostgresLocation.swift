import ClienteleStore
import Foundation

/// Where a PostgreSQL shop lives, parsed from a connection URL in libpq's form:
/// `postgres://user:password@host:port/database?sslmode=require&host=/run/postgresql&schema=clientele`.
///
/// Understood query parameters: `sslmode` (disable, allow, prefer — the default —, require, verify-ca,
/// verify-full), `host` (a directory holding the server's Unix socket, as libpq takes it, or a host name), `port`,
/// `user`, `password`, `dbname`, `connect_timeout` (seconds) and `schema` (Clientele's tables live in that schema
/// instead of the connection's default, `public`; created when missing). Others (`application_name`, …) are ignored.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is made.
    public enum Endpoint: Sendable, Hashable {
        /// A TCP connection to a host name or IP address.
        case tcp(host: String, port: Int)
        /// A Unix domain socket: the socket file's full path.
        case socket(path: String)
    }

    /// What TLS the connection uses (libpq's `sslmode`).
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it (certificates are not checked, as in libpq).
        case allow, prefer
        /// TLS always; the certificate is not checked (as in libpq).
        case require
        /// TLS always; the certificate chain is checked, not the host name.
        case verifyCA = "verify-ca"
        /// TLS always; the certificate chain and the host name are checked.
        case verifyFull = "verify-full"
    }

    /// The server.
    public var endpoint: Endpoint
    /// The role to connect as.
    public var user: String
    /// The role's password, when one is given.
    public var password: String?
    /// The database.
    public var database: String
    /// The schema the tables live in; nil for the connection's default search path.
    public var schema: String?
    /// TLS.
    public var tlsMode: TLSMode
    /// How long connecting may take, in seconds.
    public var connectTimeoutSeconds: Int

    /// Whether `text` is a PostgreSQL URL (`postgres://…` or `postgresql://…`), as opposed to a file path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses a URL; throws a `StoreError` (`cannotOpen`) that says what is wrong with it (never the password).
    public init(url text: String) throws(StoreError) {
        func fail(_ what: String) -> StoreError {
            StoreError(.cannotOpen, "the PostgreSQL URL \(Self.redact(text)) \(what)")
        }
        guard Self.isURL(text), let schemeEnd = text.range(of: "://") else {
            throw fail("does not start with postgres:// or postgresql://")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var authority = rest
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }
        var userInfo: Substring? = nil
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        var user: String? = nil
        var password: String? = nil
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], fail)
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], fail)
            } else {
                user = try Self.decode(userInfo, fail)
            }
        }
        var host: String? = nil
        var port: Int? = nil
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw fail("has an unclosed [ in its host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(after.dropFirst(), fail) } else if !after.isEmpty {
                throw fail("has something after the ] of its host")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = try Self.decode(hostPort[..<colon], fail)
            port = try Self.port(hostPort[hostPort.index(after: colon)...], fail)
        } else if !hostPort.isEmpty {
            host = try Self.decode(hostPort, fail)
        }
        var database: String? = path.isEmpty ? nil : try Self.decode(path, fail)
        var sslmode: String? = nil
        var schema: String? = nil
        var timeout = 10
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], fail)
            let value = parts.count > 1 ? try Self.decode(parts[1], fail) : ""
            switch key {
            case "sslmode": sslmode = value
            case "host": host = value
            case "port": port = try Self.port(Substring(value), fail)
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "schema", "currentSchema": schema = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 0 else { throw fail("has a connect_timeout that is not a whole number of seconds") }
                timeout = seconds == 0 ? 10 : seconds
            default: break
            }
        }
        let mode: TLSMode
        if let sslmode {
            guard let parsed = TLSMode(rawValue: sslmode) else {
                throw fail("has an unknown sslmode \"\(sslmode)\" (use disable, prefer, require, verify-ca or verify-full)")
            }
            mode = parsed
        } else {
            mode = .prefer
        }
        if let schema, schema.isEmpty || schema.utf8.count > 63 {
            throw fail("names an empty or over-long schema")
        }
        let resolvedUser = user.flatMap { $0.isEmpty ? nil : $0 } ?? Self.systemUser()
        let resolvedPort = port ?? 5432
        let endpoint: Endpoint
        if let host, !host.isEmpty, !host.hasPrefix("/") {
            endpoint = .tcp(host: host, port: resolvedPort)
        } else {
            // No host or a directory: the server's Unix socket, as libpq finds it (Debian's default directory).
            let directory = host.flatMap { $0.isEmpty ? nil : $0 } ?? "/var/run/postgresql"
            endpoint = .socket(path: directory + "/.s.PGSQL.\(resolvedPort)")
        }
        self.endpoint = endpoint
        self.user = resolvedUser
        self.password = password
        self.database = database.flatMap { $0.isEmpty ? nil : $0 } ?? resolvedUser
        self.schema = schema
        self.tlsMode = endpoint.isSocket ? .disable : mode
        self.connectTimeoutSeconds = timeout
    }

    /// The URL without its password, for messages and cache keys: `postgres://user@host:port/database?schema=…`.
    public var description: String {
        var text = "postgres://" + Self.encode(user) + "@"
        switch endpoint {
        case let .tcp(host, port): text += (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        case .socket: break
        }
        text += "/" + Self.encode(database)
        var query: [String] = []
        if case let .socket(path) = endpoint { query.append("host=" + Self.encode(path)) }
        if let schema { query.append("schema=" + Self.encode(schema)) }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// Where the server is, for messages: `127.0.0.1:5432` or the socket's path.
    public var serverDescription: String {
        switch endpoint {
        case let .tcp(host, port): return (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        case let .socket(path): return "the Unix socket \(path)"
        }
    }

    /// `text` with the password of a URL (`scheme://user:password@…`, `?password=…`) replaced by `***`; other
    /// text unchanged.
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        var rest = text[schemeEnd.upperBound...]
        var tail: Substring = ""
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
            tail = rest[end...]
            rest = rest[..<end]
        }
        var redacted = String(text[..<schemeEnd.upperBound])
        if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            redacted += rest[..<colon] + ":***" + rest[at...]
        } else {
            redacted += rest
        }
        // A password given as a query parameter.
        var parts: [String] = []
        if let q = tail.firstIndex(of: "?") {
            redacted += tail[..<q]
            for pair in tail[tail.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false) {
                parts.append(pair.hasPrefix("password=") ? "password=***" : String(pair))
            }
            redacted += "?" + parts.joined(separator: "&")
        } else {
            redacted += tail
        }
        return redacted
    }

    private static func decode(_ text: Substring, _ fail: (String) -> StoreError) throws(StoreError) -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw fail("has a bad %-escape") }
        return decoded
    }

    private static func port(_ text: Substring, _ fail: (String) -> StoreError) throws(StoreError) -> Int? {
        if text.isEmpty { return nil }
        guard let port = Int(text), (1...65535).contains(port) else { throw fail("has a port that is not a number from 1 to 65535") }
        return port
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// The operating-system user name, libpq's default role.
    private static func systemUser() -> String {
        if let name = getpwuid(geteuid())?.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
    }
}

extension PostgresLocation.Endpoint {
    var isSocket: Bool {
        if case .socket = self { return true }
        return false
    }
}
