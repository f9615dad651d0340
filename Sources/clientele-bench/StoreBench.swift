import ArgumentParser
import ClienteleCore
import ClienteleDemo
import ClienteleSQLite
import ClienteleStore
import Foundation

/// The store's share of an import: `replaceOrders` of generated orders into a fresh SQLite file.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Time SQLite replaceOrders (fresh file, then the same orders again) and scanOrders on N generated orders."
    )

    @Option(help: "Orders to generate.") var orders: Int = 1_000_000
    @Option(help: "The random seed of the generated shop.") var seed: UInt64 = 1
    @Flag(help: "Stream the orders in ascending id by bytes (primary-key order) instead of the file's order.")
    var sortedStream = false

    func run() async throws {
        let shop = DemoShop(endDate: ShopDate(iso: "2025-11-20")!, orderCount: orders, seed: seed)
        var batch: [Order] = []
        batch.reserveCapacity(orders)
        let summary = shop.generate { batch.append($0) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clientele-store-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteOrderStore(path: dir.appendingPathComponent("bench.sqlite").path)
        print("Machine: \(machineLine())")
        let t0 = now(), c0 = cpuSeconds()
        _ = try await store.replaceOrders(batch)
        let fresh = now() - t0
        print(String(format: "replaceOrders, fresh file: %d orders, %d lines in %.2f s (%.2f s CPU) = %.0f lines/s",
                     summary.orders, summary.lines, fresh, cpuSeconds() - c0, Double(summary.lines) / fresh))
        let t1 = now()
        let again = try await store.replaceOrders(batch)
        print(String(format: "replaceOrders, same orders again: %.2f s (%d unchanged)", now() - t1, again.unchanged))
        // The streaming write an import uses, into another fresh file: batches packed beforehand (2048
        // orders, as the importer sends them), so that the time is the store's alone.
        var packed: [OrderBatch] = []
        var start = 0
        if sortedStream { batch.sort { StoreContent.precedes($0.id, $1.id) } }
        while start < batch.count {
            let end = min(batch.count, start + 2048)
            packed.append(try OrderBatch(Array(batch[start..<end])))
            start = end
        }
        let streamed = try SQLiteOrderStore(path: dir.appendingPathComponent("streamed.sqlite").path)
        let source = OrderBatchSource(capacity: packed.count + 1)
        for b in packed { source.push(b) }
        source.finish()
        packed = []
        let t3 = now(), c3 = cpuSeconds()
        let streamedSummary = try await streamed.replaceOrders(streaming: source)
        let streamSeconds = now() - t3
        print(String(format: "replaceOrders(streaming:), fresh file: %d orders, %d lines in %.2f s (%.2f s CPU) = %.0f lines/s",
                     streamedSummary.inserted, summary.lines, streamSeconds, cpuSeconds() - c3,
                     Double(summary.lines) / streamSeconds))
        let t2 = now()
        var scanned = 0
        try await store.scanOrders { _ in scanned += 1 }
        print(String(format: "scanOrders: %d orders in %.2f s; peak memory %@", scanned, now() - t2, mb(peakRSS())))
    }
}
