import ClienteleCore
#if canImport(Glibc)
import Glibc
#endif

/// The engine's snapshot of a store, persisted beside it (STYLE.md, "The engine"): built from the store
/// on first use after a change, written as a versioned, checksummed file, and read back by later processes
/// instead of re-reading every row. The store stays the source of truth: a missing, stale or corrupt file
/// is rebuilt from the store, never trusted.
public enum SnapshotCache {
    /// What a cached snapshot must match to be used: the store's revision and the settings the calendar
    /// columns and amounts depend on.
    public static func sourceVersion(revision: String, calendar: ShopCalendar, currency: Currency) -> String {
        "\(revision)|\(calendar.identifier)|\(currency.code)"
    }

    /// The shop's snapshot: from the file at `cachePath` when it is current, else built from `store` (and
    /// written to `cachePath`, when given, for the next process; a file that cannot be written is skipped).
    public static func snapshot(of store: any OrderStore, calendar: ShopCalendar, currency: Currency,
                                cachePath: String?) async throws -> ShopSnapshot {
        let version = sourceVersion(revision: try await store.revision(), calendar: calendar, currency: currency)
        if let cachePath, let cached = read(cachePath, expecting: version) {
            return cached
        }
        var builder = ShopSnapshot.Builder(calendar: calendar, currency: currency)
        let counts = try await store.counts()
        builder.reserveCapacity(orders: counts.orders, lines: counts.lines)
        try await store.scanOrders { builder.add($0) }
        let snapshot = builder.build(sourceVersion: version)
        if let cachePath { write(snapshot, to: cachePath) }
        return snapshot
    }

    /// The snapshot in the file at `path` if it exists, is intact and was built from `version`. The file is read
    /// column by column straight into the snapshot's arrays, so loading needs no more memory than the
    /// snapshot itself (mapping or reading the whole file first would double the peak).
    static func read(_ path: String, expecting version: String) -> ShopSnapshot? {
        guard var file = SnapshotFile(path: path) else { return nil }
        defer { file.close() }
        return (try? ShopSnapshot(reading: &file, expecting: version)) ?? nil
    }

    /// Writes the snapshot atomically (a temporary file renamed over the old one), readable by its owner only
    /// (it holds customer keys and e-mails: `PrivateFile`), column by column without a copy of it in memory;
    /// failures are ignored, since the cache is only an optimisation.
    static func write(_ snapshot: ShopSnapshot, to path: String) {
        try? PrivateFile.write(to: path) { emit in try snapshot.write(to: emit) }
    }
}

/// A snapshot file opened for reading, as the core's `SnapshotByteSource`.
struct SnapshotFile: SnapshotByteSource {
    private var fd: Int32
    private(set) var remaining: Int

    /// The file at `path`, or `nil` when it cannot be opened.
    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            Glibc.close(fd)
            return nil
        }
        remaining = Int(info.st_size)
    }

    mutating func readUpTo(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            // At most 1 GiB per call: Linux reads at most about 2 GiB at once.
            let n = Glibc.read(fd, buffer.baseAddress! + done, min(buffer.count - done, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw SnapshotFileError(errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        remaining -= done
        return done
    }

    func close() {
        Glibc.close(fd)
    }
}

/// A snapshot file that could not be read (the snapshot is then rebuilt from the store).
struct SnapshotFileError: Error {
    var errno: Int32
}
