import ClienteleStore
import Foundation
import PostgresNIO

/// Turns postgres-nio's errors into `StoreError`s whose sentence says what happened and what to check, naming
/// the server (never the password, never SQL or customer data; those go to `underlying`, for logs).
enum PostgresErrors {
    /// The server's SQLSTATE of `error`, when the server sent one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// The server's message of `error`, when the server sent one.
    static func serverMessage(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.message]
    }

    /// The error for a connection that could not be made.
    static func connectError(_ error: any Error, location: PostgresLocation) -> any Error {
        if error is CancellationError { return error }
        let server = location.serverDescription
        let underlying = String(reflecting: error)
        let target = "PostgreSQL at \(server) (database \"\(location.database)\", user \"\(location.user)\")"
        if let state = sqlState(error) {
            switch state {
            case "28P01", "28000":
                return StoreError(.cannotOpen, """
                    cannot sign in to \(target): the server refused the user or password; check the user and password \
                    in the URL and the server's pg_hba.conf
                    """, underlying: underlying)
            case "3D000":
                return StoreError(.cannotOpen, """
                    cannot connect to \(target): the database does not exist; create it first \
                    (createdb \(location.database), or CREATE DATABASE in psql)
                    """, underlying: underlying)
            case "53300":
                return StoreError(.cannotOpen, "cannot connect to \(target): the server has too many connections",
                                  underlying: underlying)
            case "57P03":
                return StoreError(.cannotOpen, "cannot connect to \(target): the server is starting up or shutting down",
                                  underlying: underlying)
            default:
                return StoreError(.cannotOpen, "cannot connect to \(target): \(serverMessage(error) ?? "the server refused")",
                                  underlying: underlying)
            }
        }
        if let psql = error as? PSQLError {
            if psql.code == .sslUnsupported {
                return StoreError(.cannotOpen, """
                    cannot connect to \(target): the server does not offer TLS, and the URL requires it; \
                    add ?sslmode=disable to the URL for a server on a trusted network
                    """, underlying: underlying)
            }
            if psql.code == .authMechanismRequiresPassword {
                return StoreError(.cannotOpen, "cannot sign in to \(target): the server asks for a password; put it in the URL (postgres://user:password@host/db)",
                                  underlying: underlying)
            }
            if psql.code == .unsupportedAuthMechanism {
                return StoreError(.cannotOpen, "cannot sign in to \(target): the server asks for a sign-in method Clientele does not support (use scram-sha-256, md5, password or trust)",
                                  underlying: underlying)
            }
        }
        let text = underlying.lowercased()
        let check: String
        switch location.endpoint {
        case .tcp(let host, let port):
            if text.contains("refused") {
                check = "nothing accepts connections there; check that the server is running and listens on \(host) port \(port) (listen_addresses, port in postgresql.conf)"
            } else if text.contains("timeout") || text.contains("timed out") {
                check = "no answer within \(location.connectTimeoutSeconds) s; check the host, the port and any firewall between"
            } else if text.contains("resolve") || text.contains("host") && text.contains("not") {
                check = "the host name \(host) cannot be resolved; check its spelling"
            } else if text.contains("ssl") || text.contains("tls") || text.contains("certificate") {
                check = "the TLS connection failed; check sslmode in the URL and the server's certificate"
            } else {
                check = "check that the server is running and reachable on \(host) port \(port)"
            }
        case .socket(let path):
            check = "check that the server is running and that its Unix socket \(path) exists and may be opened by this user"
        }
        return StoreError(.cannotOpen, "cannot connect to \(target): \(check)", underlying: underlying)
    }

    /// The error for a failed statement: a store error for rule violations, a named storage failure otherwise.
    static func storeError(_ error: any Error, location: PostgresLocation) -> any Error {
        switch error {
        case let error as StoreError: return error
        case is CancellationError: return error
        case is OrderBatchSource.ProducerFailed: return error
        default: break
        }
        let underlying = String(reflecting: error)
        let server = "PostgreSQL at \(location.serverDescription)"
        if let state = sqlState(error) {
            switch state {
            case "23505":
                return StoreError(.duplicateOrderId, "an order id appears more than once in the same import", underlying: underlying)
            case let s where s.hasPrefix("23"):
                return StoreError(.invalidOrder, "an order breaks a rule of the database schema", underlying: underlying)
            case "22021", "22P05":
                return StoreError(.invalidOrder, "a text field holds a character PostgreSQL cannot store (a NUL byte)",
                                  underlying: underlying)
            case "53100":
                return StoreError(.storageFailure, "the disk of \(server) is full", underlying: underlying)
            case "40001", "40P01":
                return StoreError(.storageFailure, "\(server) stopped the write because another process changed the shop at the same time; try again",
                                  underlying: underlying)
            case "42501":
                return StoreError(.storageFailure, "\(server) refused: the user \"\(location.user)\" lacks a privilege on Clientele's tables",
                                  underlying: underlying)
            case "57014":
                return StoreError(.storageFailure, "\(server) cancelled the statement (statement_timeout?)", underlying: underlying)
            case let s where s.hasPrefix("08") || s.hasPrefix("57P"):
                return StoreError(.storageFailure, "the connection to \(server) was lost", underlying: underlying)
            default:
                return StoreError(.storageFailure, "\(server) could not be written or read", underlying: underlying)
            }
        }
        if let psql = error as? PSQLError,
           [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(psql.code) {
            return StoreError(.storageFailure, "the connection to \(server) was lost; check that the server is running",
                              underlying: underlying)
        }
        return StoreError(.storageFailure, "\(server) could not be written or read", underlying: underlying)
    }
}
