#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives the parser a file's bytes.
///
/// A regular file is memory-mapped (private: nothing is ever written back to the file). The file's pages are
/// file-backed, not anonymous memory: the kernel reads them in as the scanner reaches them and may drop clean
/// ones again under memory pressure, so a file of gigabytes does not need gigabytes of the process's own memory.
/// Right after the mapping comes a spare region of the same size, anonymous and untouched until used: the
/// scanner writes un-doubled quoted fields there, one after the other (`CSVScanner.spare`), instead of into the
/// file's pages, each of which would otherwise become a private copy, with a page fault and a TLB flush on both
/// cores (about one page in nine of a typical export has a `""` in a product name: 0.5–1 s at 10⁷ orders). Anything that cannot be
/// mapped (a pipe, a character device, an empty file) is read into one array instead, which the scanner rewrites
/// in place.
///
/// The file must not be truncated by another process while it is read (a mapped page past the new end would
/// stop the process with SIGBUS before anything is written).
enum FileReader {
    /// Calls `body` with the bytes of the file at `path` and the spare region for the scanner (nil: rewrite the
    /// bytes in place); an `ImportError` naming the file when it cannot be read. Both are valid only inside `body`.
    static func withContents<R>(_ path: String,
                                _ body: (UnsafeMutableBufferPointer<UInt8>, UnsafeMutablePointer<UInt8>?) -> R) throws(ImportError) -> R {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw failure(path) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure(path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImportError(.unreadableFile, file: path, message: "cannot read the file: it is a directory")
        }
        let size = Int(info.st_size)
        if (info.st_mode & S_IFMT) == S_IFREG && size > 0 {
            let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
            let rounded = (size + page - 1) / page * page
            // One reservation for both: the spare region sits at a fixed distance after the file's bytes.
            if let region = mmap(nil, rounded + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
               region != MAP_FAILED {
                defer { munmap(region, rounded + size) }
                if let mapped = mmap(region, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0),
                   mapped == region {
                    // The scanner reads front to back: ask the kernel to read ahead.
                    _ = madvise(mapped, size, MADV_SEQUENTIAL)
                    let bytes = mapped.bindMemory(to: UInt8.self, capacity: size)
                    let spare = (region + rounded).bindMemory(to: UInt8.self, capacity: size)
                    return body(UnsafeMutableBufferPointer(start: bytes, count: size), spare)
                }
            }
        }
        var bytes = try readAll(fd, path: path, sizeHint: size)
        return bytes.withUnsafeMutableBufferPointer { body($0, nil) }
    }

    /// The bytes of the file at `path` in one array; an `ImportError` naming the file when it cannot be read.
    static func read(_ path: String) throws(ImportError) -> [UInt8] {
        try withContents(path) { bytes, _ in Array(bytes) }
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
