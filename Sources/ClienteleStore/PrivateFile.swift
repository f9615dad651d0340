#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that hold customer data, readable and writable by their owner only (mode 0600; docs/privacy.md,
/// "Files"): the SQLite database and the files derived from a shop (snapshot, saved fit).
public enum PrivateFile {
    /// The mode of every file Clientele creates that holds shop data: read and write for the owner only.
    public static let mode: mode_t = 0o600

    /// Creates an empty file at `path` with mode 0600 when nothing exists there (an existing file is left as it
    /// is). Returns whether it created the file; failures are left to whoever opens the file next.
    @discardableResult
    public static func create(_ path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Writes `bytes` to `path` atomically (a 0600 temporary file beside it, renamed over the old file), so that
    /// the file is never readable by others, not even while it is written.
    public static func write(_ bytes: [UInt8], to path: String) throws(PrivateFileError) {
        do {
            try write(to: path) { emit in try bytes.withUnsafeBytes { try emit($0) } }
        } catch let error as PrivateFileError {
            throw error
        } catch {
            throw PrivateFileError(path: path, errno: EIO)  // not reached: only the file's writes throw here
        }
    }

    /// Writes what `produce` hands to its sink, piece by piece, to `path` atomically like `write(_:to:)`: for a
    /// large file built from several buffers without joining them in memory first.
    /// A failed write throws `PrivateFileError`; whatever `produce` throws is passed on. Either way no file is
    /// left behind.
    public static func write(to path: String,
                             producing produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let temporary = path + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw PrivateFileError(path: path, errno: errno) }
        do {
            try produce { raw in
                var written = 0
                while written < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw PrivateFileError(path: path, errno: errno)
                    }
                    written += n
                }
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw PrivateFileError(path: path, errno: code)
        }
    }

    /// The permission bits of the file at `path` (`nil` when it cannot be read).
    public static func permissions(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }
}

/// A file that could not be written; `description` names it and the system's reason.
public struct PrivateFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The system error number.
    public var errno: Int32

    /// The sentence a user reads.
    public var description: String {
        "cannot write \(path): \(String(cString: strerror(errno)))"
    }
}
