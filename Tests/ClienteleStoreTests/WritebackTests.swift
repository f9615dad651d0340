import ClienteleCore
import ClienteleStore
@testable import ClienteleSQLite
import Foundation
import GRDB
import Testing

/// `Writeback` asks the kernel to write a bulk write's files to disk while the transaction runs.
@Suite("SQLite store: write-back during a bulk write")
struct WritebackTests {
    private func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("writeback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    #if os(Linux)
    @Test("every period it asks for each file that exists, a file made meanwhile included, and stops when the body returns")
    func asksWhileTheBodyRuns() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let existing = dir.appendingPathComponent("db").path
        let later = dir.appendingPathComponent("db-wal").path
        #expect(FileManager.default.createFile(atPath: existing, contents: Data(repeating: 7, count: 1 << 20)))
        let writeback = Writeback(paths: [later, existing], period: .milliseconds(5))
        let value = writeback.during { () -> Int in
            usleep(100_000)
            _ = FileManager.default.createFile(atPath: later, contents: Data(repeating: 1, count: 4096))
            usleep(100_000)
            return 42
        }
        #expect(value == 42)
        // 200 ms at one request per 5 ms: the existing file is asked for all along (≥ 10 allows for a slow
        // machine), the log only after it was made, so fewer times.
        let counts = writeback.requests
        #expect(counts.count == 2)
        #expect(counts[1] >= 10)
        #expect(counts[0] >= 1 && counts[0] < counts[1])
    }

    @Test("a file database is asked for with its log, an in-memory one not at all")
    func pathsOfADatabase() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("shop.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.inDatabase { db in
            #expect(Writeback(db).paths == [path + "-wal", path])
        }
        try DatabaseQueue().inDatabase { db in
            #expect(Writeback(db).paths.isEmpty)
        }
    }
    #endif

    @Test("the body's error is thrown and the thread is stopped")
    func bodyErrorIsThrown() throws {
        struct Failure: Error {}
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("f").path
        _ = FileManager.default.createFile(atPath: file, contents: Data([1]))
        let writeback = Writeback(paths: [file], period: .milliseconds(1))
        #expect(throws: Failure.self) {
            try writeback.during { () throws -> Void in
                usleep(20_000)
                throw Failure()
            }
        }
        let after = writeback.requests
        usleep(20_000)
        // Set once, when the thread ended: nothing is asked for after `during` returns.
        #expect(writeback.requests == after)
        #if os(Linux)
        #expect(after.count == 1 && after[0] >= 1)
        #endif
    }
}
