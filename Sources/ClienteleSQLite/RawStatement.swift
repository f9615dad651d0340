internal import GRDBSQLite
import Foundation

/// Thin helpers over a prepared SQLite statement for the hot paths (bulk insert, full scan), where GRDB's
/// `StatementArguments` and `Row` would allocate per value. The statements themselves are prepared and
/// cached by GRDB; these only bind, step and read columns.
struct RawStatement {
    let handle: OpaquePointer

    /// SQLite copies the bound bytes before the bind call returns (its buffers are reused across rows).
    @inline(__always)
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    @inline(__always)
    func reset() {
        // The result repeats the previous step's error, which was already handled.
        _ = sqlite3_reset(handle)
    }

    @inline(__always)
    func bind(_ index: Int32, _ value: Int64) {
        _ = sqlite3_bind_int64(handle, index, value)
    }

    @inline(__always)
    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                _ = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(buffer.count), Self.transient)
                }
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    @inline(__always)
    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { _ = sqlite3_bind_null(handle, index) }
    }

    /// Steps once: `true` for a row, `false` when done; throws the SQLite error otherwise.
    @inline(__always)
    func step() throws(SQLiteFailure) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw SQLiteFailure(handle: handle, code: code)
    }

    @inline(__always)
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    @inline(__always)
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    @inline(__always)
    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    @inline(__always)
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// Whether the column holds exactly the UTF-8 bytes of `value`.
    @inline(__always)
    func textEquals(_ column: Int32, _ value: String) -> Bool {
        let pointer = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        var value = value
        return value.withUTF8 { buffer in
            guard buffer.count == count else { return false }
            guard count > 0, let pointer, let base = buffer.baseAddress else { return true }
            return memcmp(pointer, base, count) == 0
        }
    }
}

/// A failed SQLite step: the extended result code and SQLite's message (which may quote SQL; logs only).
struct SQLiteFailure: Error {
    let code: Int32
    let message: String

    init(handle: OpaquePointer, code: Int32) {
        let db = sqlite3_db_handle(handle)
        self.code = db.map { sqlite3_extended_errcode($0) } ?? code
        self.message = db.flatMap { sqlite3_errmsg($0).map { String(cString: $0) } } ?? "SQLite error \(code)"
    }

    var primaryCode: Int32 { code & 0xFF }
    var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }
    /// SQLITE_CONSTRAINT_PRIMARYKEY (a macro Swift does not import).
    var isPrimaryKeyViolation: Bool { code == SQLITE_CONSTRAINT | (6 << 8) }
}
