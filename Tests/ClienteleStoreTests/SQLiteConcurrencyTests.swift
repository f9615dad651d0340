import ClienteleCore
import ClienteleSQLite
import ClienteleStore
import Foundation
import Testing

/// Many concurrent reads of every kind on one SQLite store (as a server under load after an import: full scans
/// to rebuild the snapshot, revision checks, settings, audiences, credentials) all finish. GRDB's async read
/// keeps its reader connection while it waits to be resumed; mixed with blocking reads that hold the few
/// cooperative threads, it deadlocked the server. The store now reads with blocking reads only. With the
/// async reads this test hung in 3 runs out of 3 (killed after 120 s; a deadlock also stops the polling below,
/// which needs a cooperative thread too, so a regression shows as a hung run); now it finishes in 0.3 s.
@Suite("SQLite store: concurrent reads")
struct SQLiteConcurrencyTests {
    /// Half of them blocking scans, half small reads.
    static let tasks = 2_000

    @Test func manyConcurrentScansAndSmallReadsAllFinish() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        let dkk = Currency(code: "DKK")!
        let orders = (0..<200).map { i in
            Order(id: "o\(i)", placedAt: Instant(seconds: 1_700_000_000 + Int64(i) * 3_600), customerId: "c\(i % 300)",
                  email: "c\(i % 300)@example.dk", currency: dkk, total: 10_000,
                  lines: [OrderLine(productId: "P\(i % 7)", productName: "Product", quantity: 1, unitPrice: 10_000)])
        }
        _ = try await store.replaceOrders(orders)
        // Unstructured tasks and a deadline, so that tasks that never finish fail the test.
        let counter = Counter()
        for i in 0..<Self.tasks {
            Task {
                let ok: Bool
                switch i % 2 == 0 ? 0 : i % 3 + 1 {
                case 0:
                    var n = 0
                    try await store.scanOrders { _ in n += 1 }
                    ok = n == 200
                case 1: ok = try await !store.revision().isEmpty
                case 2: ok = try await store.listAudiences().isEmpty
                default: ok = try await !store.hasCredentials()
                }
                if ok { await counter.add() }
            }
        }
        var finished = 0
        for _ in 0..<600 {
            finished = await counter.value
            if finished == Self.tasks { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(finished == Self.tasks)
    }
}

/// A count shared by tasks.
actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
}
