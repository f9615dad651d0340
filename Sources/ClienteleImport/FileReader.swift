#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files into byte arrays with one allocation (no `Data` copy).
enum FileReader {
    /// The bytes of the file at `path`; an `ImportError` naming the file when it cannot be read.
    static func read(_ path: String) throws(ImportError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw failure(path) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure(path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImportError(.unreadableFile, file: path, message: "cannot read the file: it is a directory")
        }
        var capacity = max(Int(info.st_size), 0) + 1
        var bytes = [UInt8]()
        var count = 0
        while true {
            if count == capacity { capacity *= 2 }
            var readError: Int32 = 0
            var got = 0
            let previous = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buf, initialized in
                if count > 0 {
                    previous.withUnsafeBufferPointer { old in
                        buf.baseAddress!.initialize(from: old.baseAddress!, count: count)
                    }
                }
                var n = count
                while n < capacity {
                    let r = posixRead(fd, buf.baseAddress! + n, capacity - n)
                    if r < 0 {
                        if errno == EINTR { continue }
                        readError = errno
                        break
                    }
                    if r == 0 { break }
                    n += r
                }
                got = n - count
                initialized = n
            }
            if readError != 0 { throw failure(path, code: readError) }
            count += got
            if count < capacity { break }
        }
        return bytes
    }

    /// The size of the file at `path` in bytes, -1 when it cannot be found.
    static func size(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int(info.st_size)
    }

    private static func failure(_ path: String, code: Int32? = nil) -> ImportError {
        let e = code ?? errno
        let reason = String(cString: strerror(e))
        return ImportError(.unreadableFile, file: path, message: "cannot read the file: \(reason)")
    }
}

@inline(__always)
private func posixRead(_ fd: Int32, _ buf: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buf, count)
}
