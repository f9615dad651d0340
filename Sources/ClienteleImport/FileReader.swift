#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives the parser a file's bytes.
///
/// A regular file is memory-mapped (private and writable: the scanner un-doubles quotes in place, and those
/// few written pages become the process's own copies, never the file's). The file's pages are file-backed, not
/// anonymous memory: the kernel reads them in as the scanner reaches them and may drop clean ones again under
/// memory pressure, so a file of gigabytes does not need gigabytes of the process's own memory. Anything
/// that cannot be mapped (a pipe, a character device, an empty file) is read into one array instead.
///
/// The file must not be truncated by another process while it is read (a mapped page past the new end would
/// stop the process with SIGBUS before anything is written).
enum FileReader {
    /// Calls `body` with the bytes of the file at `path` (mutable: the scanner rewrites quoted fields in place);
    /// an `ImportError` naming the file when it cannot be read. The bytes are valid only inside `body`.
    static func withContents<R>(_ path: String, _ body: (UnsafeMutableBufferPointer<UInt8>) -> R) throws(ImportError) -> R {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw failure(path) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure(path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImportError(.unreadableFile, file: path, message: "cannot read the file: it is a directory")
        }
        let size = Int(info.st_size)
        if (info.st_mode & S_IFMT) == S_IFREG && size > 0,
           let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED {
            defer { munmap(mapped, size) }
            // The scanner reads front to back: ask the kernel to read ahead.
            _ = madvise(mapped, size, MADV_SEQUENTIAL)
            let bytes = mapped.bindMemory(to: UInt8.self, capacity: size)
            return body(UnsafeMutableBufferPointer(start: bytes, count: size))
        }
        var bytes = try readAll(fd, path: path, sizeHint: size)
        return bytes.withUnsafeMutableBufferPointer { body($0) }
    }

    /// The bytes of the file at `path` in one array; an `ImportError` naming the file when it cannot be read.
    static func read(_ path: String) throws(ImportError) -> [UInt8] {
        try withContents(path) { Array($0) }
    }

    /// Everything left to read from `fd`, in one growing allocation (no `Data` copy).
    private static func readAll(_ fd: Int32, path: String, sizeHint: Int) throws(ImportError) -> [UInt8] {
        var capacity = max(sizeHint, 0) + 1
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
