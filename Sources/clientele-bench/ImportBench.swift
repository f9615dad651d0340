import ArgumentParser
import ClienteleCore
import ClienteleDemo
import Foundation

/// Import throughput: a generated canonical CSV imported by the real `clientele import`, end to end.
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Generate a canonical CSV of N orders, then time `clientele import` on it (lines per second, peak memory)."
    )

    @Option(help: "Orders in the generated file.") var orders: Int = 1_000_000
    @Option(help: "The random seed of the generated shop.") var seed: UInt64 = 1
    @Option(help: "Work directory (default: a new temporary one, removed afterwards).") var dir: String?
    @Option(help: "The clientele binary to time (default: the one built beside this benchmark).") var bin: String?

    func run() async throws {
        let work = dir.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("clientele-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(at: work) } }
        let csv = work.appendingPathComponent("orders-\(orders).csv").path
        let rates = work.appendingPathComponent("orders-\(orders).rates.csv").path
        let db = work.appendingPathComponent("bench.sqlite").path
        for suffix in ["", "-wal", "-shm", ".snapshot"] { try? FileManager.default.removeItem(atPath: db + suffix) }

        // The generated file is kept when --dir is given and reused by later runs with the same size and seed
        // (its order and line counts are kept beside it).
        let counts = work.appendingPathComponent("orders-\(orders)-seed\(seed).counts").path
        var generated: (orders: Int, lines: Int)? = nil
        if dir != nil, FileManager.default.fileExists(atPath: csv), FileManager.default.fileExists(atPath: rates),
           let text = try? String(contentsOfFile: counts, encoding: .utf8) {
            let parts = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if parts.count == 2 { generated = (parts[0], parts[1]) }
        }
        print("Machine: \(machineLine())")
        if generated == nil {
            try? FileManager.default.removeItem(atPath: counts)
            let shop = DemoShop(endDate: ShopDate(iso: "2025-11-20")!, orderCount: orders, seed: seed)
            let t0 = now()
            let summary = try CanonicalCSVWriter(calendar: shop.calendar).write(toPath: csv) { emit in
                try shop.generate(emit)
            }
            try CanonicalCSVWriter.writeRateTable(shop.exchangeRates, toPath: rates)
            try "\(summary.orders) \(summary.lines)\n".write(toFile: counts, atomically: true, encoding: .utf8)
            generated = (summary.orders, summary.lines)
            print("Generated \(summary.orders) orders, \(summary.lines) lines in \(String(format: "%.1f", now() - t0)) s")
        }
        let summary = generated!
        let size = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
        print("File: \(csv): \(summary.orders) orders, \(summary.lines) lines (\(mb(size)))")

        let binary = bin ?? buildDirectory().appendingPathComponent("clientele").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["import", csv, "--db", db, "--rates", rates]
        process.standardOutput = FileHandle.nullDevice
        let t1 = now()
        try process.run()
        process.waitUntilExit()
        let seconds = now() - t1
        guard process.terminationStatus == 0 else {
            throw ValidationError("clientele import failed with status \(process.terminationStatus)")
        }
        let peak = peakRSS(children: true)
        let linesPerSecond = Double(summary.lines) / seconds
        let cpu = childCPUSeconds()
        print("Import: \(summary.lines) lines (\(summary.orders) orders) in \(String(format: "%.2f", seconds)) s = \(Int(linesPerSecond)) lines/s, peak memory \(mb(peak)); CPU \(String(format: "%.2f", cpu.user)) s user + \(String(format: "%.2f", cpu.system)) s system")
        print("Targets: ≥ 500000 lines/s, peak < 1024 MB → \(linesPerSecond >= 500_000 ? "met" : "MISSED") / \(peak < 1_073_741_824 ? "met" : "MISSED")")
    }
}

/// CPU seconds (user, system) used by the finished child processes.
func childCPUSeconds() -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
}
