internal import GRDB
internal import GRDBSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Has the kernel write a database's files to disk while a long write transaction goes on, so that the
/// commit finds little left to flush.
///
/// A bulk write is one transaction: every page it changes goes into the `-wal` file, and the commit makes that
/// file durable (`fdatasync`), copies it into the database file (the checkpoint) and makes that durable too.
/// The kernel would otherwise keep the dirty pages in memory until each `fdatasync` (gigabytes stay under its
/// write-back threshold on a machine with plenty of memory): at 10⁷ orders the commit waited about a second
/// for two gigabytes to reach the disk, after the last row, with nothing left to overlap it. While the
/// transaction runs, a thread of this type asks every `period` for write-back of both files'
/// dirty pages (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`, which starts it and does not wait), so the
/// log goes to disk during the import and the database file during the checkpoint's copy. Durability is
/// unchanged: SQLite's own `fdatasync`s still come where they did. Linux only (elsewhere this does nothing);
/// a failing call only leaves the work to those `fdatasync`s, as before.
final class Writeback: @unchecked Sendable {
    /// Time between two requests.
    static let period: DispatchTimeInterval = .milliseconds(50)

    /// The files asked for (the database file and its log); empty when there is nothing to do.
    let paths: [String]
    private let interval: DispatchTimeInterval
    /// Signalled to stop the thread; the thread signals `stopped` when it ends.
    private let stop = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private var running = false
    /// Requests that succeeded, per path (set when `during` returns).
    private(set) var requests: [Int] = []

    /// For the files of `db`'s main database: none when it is in memory or temporary, or not on Linux.
    convenience init(_ db: Database) {
        var paths: [String] = []
        #if os(Linux)
        if let name = sqlite3_db_filename(db.sqliteConnection, "main"), name.pointee != 0 {
            let path = String(cString: name)
            paths = [path + "-wal", path]
        }
        #endif
        self.init(paths: paths)
    }

    /// For the files at `paths` (a missing file is asked for once it exists), every `period`.
    init(paths: [String], period: DispatchTimeInterval = Writeback.period) {
        self.paths = Writeback.syncFileRange == nil ? [] : paths
        self.interval = period
    }

    /// Runs `body` with write-back requested every `period` until it returns.
    static func during<T>(_ db: Database, _ body: () throws -> T) rethrows -> T {
        try Writeback(db).during(body)
    }

    /// Runs `body` with write-back of `paths` requested every `period` until it returns.
    func during<T>(_ body: () throws -> T) rethrows -> T {
        start()
        defer { finish() }
        return try body()
    }

    private func start() {
        guard !paths.isEmpty, !running else { return }
        running = true
        let thread = Thread { [self] in
            var fds = [Int32](repeating: -1, count: paths.count)
            var done = [Int](repeating: 0, count: paths.count)
            while stop.wait(timeout: .now() + interval) == .timedOut {
                for (i, path) in paths.enumerated() {
                    // The log appears with the transaction's first spilled page: opened once it exists.
                    if fds[i] < 0 { fds[i] = open(path, O_RDONLY | O_CLOEXEC) }
                    if fds[i] >= 0 && Self.syncFileRange!(fds[i], 0, 0, Self.writeFlag) == 0 { done[i] += 1 }
                }
            }
            for fd in fds where fd >= 0 { close(fd) }
            requests = done
            stopped.signal()
        }
        thread.name = "clientele-writeback"
        thread.start()
    }

    private func finish() {
        guard running else { return }
        stop.signal()
        stopped.wait()
        running = false
    }

    /// `SYNC_FILE_RANGE_WRITE` (linux/fs.h).
    private static let writeFlag: UInt32 = 2

    /// glibc's `sync_file_range`, which the Swift Glibc module does not export.
    private static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
