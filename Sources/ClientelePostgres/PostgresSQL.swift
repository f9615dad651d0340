import ClienteleStore
import Foundation
import PostgresNIO

/// Small helpers over postgres-nio: statements, transactions and reading cells without the generic decoders
/// (rows arrive in binary format: `int8` as 8 big-endian bytes, `text` as its UTF-8 bytes).
enum PostgresSQL {
    /// `name` as a quoted SQL identifier (`"a ""b"""`); only for names the code or the URL gives, never values.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Runs `query` and discards its rows.
    static func execute(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(query, logger: logger)
        for try await _ in rows {}
    }

    /// Runs `query` and returns how many rows it affected (its command tag's count).
    static func affectedRows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let result = try await connection.query(query, logger: logger).get()
        return result.metadata.rows ?? 0
    }

    /// The rows of `query`, all in memory (for short answers).
    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// Runs `body` inside `BEGIN … COMMIT` (`ROLLBACK` when it throws; the error thrown is `body`'s).
    static func transaction<T>(_ connection: PostgresConnection, logger: Logger, isolation level: String = "READ COMMITTED",
                               readOnly: Bool = false,
                               _ body: (PostgresConnection) async throws -> sending T) async throws -> sending T {
        try await execute(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(level)\(readOnly ? " READ ONLY" : "")"),
                          on: connection, logger: logger)
        let value: T
        do {
            value = try await body(connection)
        } catch {
            // The connection is closed by the pool after a failure; a rollback that fails changes nothing.
            try? await execute("ROLLBACK", on: connection, logger: logger)
            throw error
        }
        try await execute("COMMIT", on: connection, logger: logger)
        return value
    }
}

extension PostgresRow {
    /// The cells in column order.
    var cells: [PostgresCell] { Array(self) }
}

extension PostgresCell {
    /// The cell as a string (nil for NULL); `text` columns arrive as their UTF-8 bytes.
    var string: String? {
        guard var bytes else { return nil }
        return bytes.readString(length: bytes.readableBytes)
    }

    /// The cell as an `Int64`: `int8`, `int4` or `int2` in binary, or digits in text format (nil for NULL).
    var int64: Int64? {
        guard var bytes else { return nil }
        if format == .binary {
            switch bytes.readableBytes {
            case 8: return bytes.readInteger(as: Int64.self)
            case 4: return bytes.readInteger(as: Int32.self).map(Int64.init)
            case 2: return bytes.readInteger(as: Int16.self).map(Int64.init)
            default: return nil
            }
        }
        return bytes.readString(length: bytes.readableBytes).flatMap { Int64($0) }
    }

    /// The cell as a `Bool` (binary `bool`).
    var bool: Bool? {
        guard var bytes else { return nil }
        return bytes.readInteger(as: UInt8.self).map { $0 != 0 }
    }

    /// Whether the cell's bytes equal the UTF-8 bytes of `text`.
    func textEquals(_ text: String?) -> Bool {
        guard let bytes else { return text == nil }
        guard var text else { return false }
        return text.withUTF8 { utf8 in
            bytes.withUnsafeReadableBytes { raw in
                raw.count == utf8.count && (raw.count == 0 || memcmp(raw.baseAddress!, utf8.baseAddress!, raw.count) == 0)
            }
        }
    }
}
