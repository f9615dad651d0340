import ClienteleCore
import Foundation
import Synchronization
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
        if counts.orders < pipelineThreshold {
            try await store.scanOrders { builder.add($0) }
        } else {
            // Handed over, not copied: a copy would make the thread's first append duplicate the reserved columns.
            builder = try await buildOnAnotherThread(consume builder) { try await store.scanOrders($0) }
        }
        let snapshot = builder.build(sourceVersion: version)
        builder = ShopSnapshot.Builder(calendar: calendar, currency: currency)
        if let cachePath { write(snapshot, to: cachePath) }
        // The builder's columns and interning tables (twice the snapshot at 10⁷ orders) are freed by now.
        ProcessMemory.returnFreed()
        return snapshot
    }

    /// From this many orders on, the store's scan and the builder run on two threads.
    static let pipelineThreshold = 50_000
    /// Orders per chunk handed from the scan to the builder.
    static let chunkSize = 2_048

    /// Feeds every order `scan` hands over to `builder` on a thread of its own while this task scans the store, so the
    /// scan (reading rows, making strings) and the builder's work (interning, columns) overlap on two cores:
    /// at 10⁷ orders each is about half of building. Returns the builder once every order was added; a
    /// failed scan stops the builder and throws.
    static func buildOnAnotherThread(_ builder: consuming ShopSnapshot.Builder,
                                     scan: (_ body: (Order) throws -> Void) async throws -> Void) async throws -> ShopSnapshot.Builder {
        let queue = HandOff<[Order]>(capacity: 8)
        let consumer = BuilderThread(builder: consume builder, queue: queue)
        consumer.start()
        var chunk: [Order] = []
        chunk.reserveCapacity(chunkSize)
        do {
            try await scan { order in
                chunk.append(order)
                if chunk.count == chunkSize {
                    queue.push(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            queue.close()
            _ = await consumer.result()
            throw error
        }
        if !chunk.isEmpty { queue.push(chunk) }
        queue.finish()
        return await consumer.result()
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

/// The thread that adds the orders of a `HandOff` to a snapshot builder; `result()` waits for it without
/// holding a task's thread.
final class BuilderThread: @unchecked Sendable {
    private struct Handshake {
        var ended = false
        var waiting: CheckedContinuation<ShopSnapshot.Builder, Never>?
    }

    // Written only by the thread until it sets `ended` (under the lock), read by `result()` after that.
    private var builder: ShopSnapshot.Builder
    private let queue: HandOff<[Order]>
    private let handshake = Mutex(Handshake())

    init(builder: consuming ShopSnapshot.Builder, queue: HandOff<[Order]>) {
        self.builder = builder
        self.queue = queue
    }

    func start() {
        let thread = Thread { [self] in
            while let chunk = queue.next() {
                for order in chunk { builder.add(order) }
            }
            let waiting = handshake.withLock { h in
                h.ended = true
                defer { h.waiting = nil }
                return h.waiting
            }
            waiting?.resume(returning: builder)
        }
        thread.start()
    }

    /// The builder once the thread has added every order (or stopped because the queue was closed).
    func result() async -> ShopSnapshot.Builder {
        await withCheckedContinuation { (continuation: CheckedContinuation<ShopSnapshot.Builder, Never>) in
            let ended = handshake.withLock { h in
                if h.ended { return true }
                h.waiting = continuation
                return false
            }
            if ended { continuation.resume(returning: builder) }
        }
    }
}
