internal import GRDBSQLite
import Foundation
import ClienteleCore

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

extension RawStatement {
    /// Binds `value`'s bytes copied into `arena` without SQLite copying them again: valid until the arena is
    /// reset, so every row of a statement is bound and stepped before the next reset.
    @inline(__always)
    func bind(_ index: Int32, _ value: String, arena: TextArena) {
        var value = value
        value.withUTF8 { buffer in
            let p = arena.copy(buffer)
            _ = p.withMemoryRebound(to: CChar.self, capacity: max(1, buffer.count)) {
                sqlite3_bind_text(handle, index, $0, Int32(buffer.count), nil)
            }
        }
    }

    /// Binds an optional text from `arena` (see above), or NULL.
    @inline(__always)
    func bind(_ index: Int32, _ value: String?, arena: TextArena) {
        if let value { bind(index, value, arena: arena) } else { _ = sqlite3_bind_null(handle, index) }
    }

    /// Binds the status's stored text from static storage.
    @inline(__always)
    func bind(_ index: Int32, _ status: OrderStatus) {
        let text: StaticString = status == .cancelled ? "cancelled" : "placed"
        _ = text.utf8Start.withMemoryRebound(to: CChar.self, capacity: text.utf8CodeUnitCount) {
            sqlite3_bind_text(handle, index, $0, Int32(text.utf8CodeUnitCount), nil)
        }
    }

    /// Unbinds every parameter (to NULL).
    func clearBindings() {
        _ = sqlite3_clear_bindings(handle)
    }

    /// The bytes of a text column of the current row (valid until the next step or reset).
    @inline(__always)
    func textBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let pointer = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count)
    }
}

/// Scratch memory for the text bound to one statement execution: blocks that are never moved while in use,
/// reused after `reset()`. Lives on the writing thread only.
final class TextArena {
    private static let blockSize = 1 << 16
    private var blocks: [UnsafeMutablePointer<UInt8>] = []
    private var sizes: [Int] = []
    private var block = 0
    private var used = 0

    init() {}

    deinit {
        for b in blocks { b.deallocate() }
    }

    /// Forgets every copy (the memory is reused).
    @inline(__always)
    func reset() {
        block = 0
        used = 0
    }

    /// A copy of `bytes` (at least one byte of storage, so the pointer is never null).
    @inline(__always)
    func copy(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let n = bytes.count
        if block >= blocks.count || used + max(n, 1) > sizes[block] { advance(n) }
        let p = blocks[block] + used
        if n > 0 { p.update(from: bytes.baseAddress!, count: n) }
        used += max(n, 1)
        return p
    }

    private func advance(_ n: Int) {
        if block < blocks.count && used > 0 { block += 1 }
        while block < blocks.count && sizes[block] < max(n, 1) { block += 1 }
        if block >= blocks.count {
            let size = max(Self.blockSize, n)
            blocks.append(.allocate(capacity: size))
            sizes.append(size)
            block = blocks.count - 1
        }
        used = 0
    }
}

extension RawStatement {
    /// Binds NULL.
    @inline(__always)
    func bindNull(_ index: Int32) {
        _ = sqlite3_bind_null(handle, index)
    }

    /// Binds `bytes` as text without SQLite copying them: they must stay valid and unchanged until the
    /// statement has run (and is rebound or cleared).
    @inline(__always)
    func bindStatic(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        if let base = bytes.baseAddress {
            _ = base.withMemoryRebound(to: CChar.self, capacity: max(1, bytes.count)) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), nil)
            }
        } else {
            _ = sqlite3_bind_text(handle, index, "", 0, Self.transientDestructor)
        }
    }

    /// SQLITE_TRANSIENT.
    static var transientDestructor: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}

extension RawStatement {
    /// Binds `bytes` as a blob without SQLite copying them: they must stay valid and unchanged until the
    /// statement has run (and is rebound or cleared).
    @inline(__always)
    func bindBlobStatic(_ index: Int32, _ bytes: UnsafeRawPointer, count: Int) {
        _ = sqlite3_bind_blob(handle, index, bytes, Int32(count), nil)
    }

    /// The bytes of a blob column of the current row (valid until the next step or reset).
    @inline(__always)
    func blobBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        // The pointer first, then the size (SQLite's documented order).
        guard let pointer = sqlite3_column_blob(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count)
    }
}
