import ArgumentParser
import ClienteleCore
import ClienteleDemo
import ClientelePostgres
import Foundation

/// Import throughput into PostgreSQL: a generated canonical CSV imported by the real `clientele import --db
/// postgres://…` (a schema of its own, dropped afterwards), then the same file again (every order compared and
/// found unchanged), then the first report (every order read back into the snapshot).
struct PostgresImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg-import",
        abstract: "Time `clientele import` of N generated orders into PostgreSQL (lines/s, orders/s), a re-import and the first report.",
        discussion: """
        Needs a PostgreSQL server: --db URL, else $CLIENTELE_DATABASE_URL, else $CLIENTELE_TEST_POSTGRES_URL
        (scripts/postgres start prints one; CLIENTELE_POSTGRES_DURABLE=1 keeps PostgreSQL's default durability).
          .build/release/clientele-bench pg-import --orders 1000000 --db postgres://clientele@127.0.0.1:5432/clientele
        """
    )

    @Option(help: "Orders in the generated file.") var orders: Int = 1_000_000
    @Option(help: "The random seed of the generated shop.") var seed: UInt64 = 1
    @Option(help: "Work directory (default: a new temporary one, removed afterwards); a file generated there is reused.") var dir: String?
    @Option(help: "The clientele binary to time (default: the one built beside this benchmark).") var bin: String?
    @Option(help: ArgumentHelp("The PostgreSQL server (its database); the benchmark works in a schema of its own.", valueName: "URL")) var db: String?
    @Flag(help: "Keep the benchmark's schema (and print its URL) instead of dropping it.") var keep = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let base = [db, environment["CLIENTELE_DATABASE_URL"], environment["CLIENTELE_TEST_POSTGRES_URL"]]
            .compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw ValidationError("Name a PostgreSQL server with --db postgres://… (or set CLIENTELE_DATABASE_URL); scripts/postgres start starts one.")
        }
        let schema = "clientele_bench_\(getpid())"
        let url = base + (base.contains("?") ? "&" : "?") + "schema=" + schema
        let work = dir.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("clientele-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(at: work) } }
        let csv = work.appendingPathComponent("orders-\(orders).csv").path
        let rates = work.appendingPathComponent("orders-\(orders).rates.csv").path
        let counts = work.appendingPathComponent("orders-\(orders)-seed\(seed).counts").path

        print("Machine: \(machineLine())")
        print("Server: \(PostgresLocation.redact(base)) (schema \(schema))")
        var generated: (orders: Int, lines: Int)? = nil
        if dir != nil, FileManager.default.fileExists(atPath: csv), FileManager.default.fileExists(atPath: rates),
           let text = try? String(contentsOfFile: counts, encoding: .utf8) {
            let parts = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if parts.count == 2 { generated = (parts[0], parts[1]) }
        }
        if generated == nil {
            let shop = DemoShop(endDate: ShopDate(iso: "2025-11-20")!, orderCount: orders, seed: seed)
            let t0 = now()
            let summary = try CanonicalCSVWriter(calendar: shop.calendar).write(toPath: csv) { emit in try shop.generate(emit) }
            try CanonicalCSVWriter.writeRateTable(shop.exchangeRates, toPath: rates)
            try "\(summary.orders) \(summary.lines)\n".write(toFile: counts, atomically: true, encoding: .utf8)
            generated = (summary.orders, summary.lines)
            print("Generated \(summary.orders) orders, \(summary.lines) lines in \(String(format: "%.1f", now() - t0)) s")
        }
        let (orderCount, lineCount) = generated!
        let size = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
        print("File: \(csv): \(orderCount) orders, \(lineCount) lines (\(mb(size)))")

        let binary = bin ?? buildDirectory().appendingPathComponent("clientele").path
        let cache = work.appendingPathComponent("cache").path
        func time(_ label: String, _ args: [String]) throws -> Double {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = args
            process.environment = environment.merging(["XDG_CACHE_HOME": cache, "CLIENTELE_DATABASE_URL": url]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            let t = now()
            try process.run()
            process.waitUntilExit()
            let seconds = now() - t
            guard process.terminationStatus == 0 else {
                throw ValidationError("clientele \(args.first ?? "") failed with status \(process.terminationStatus)")
            }
            return seconds
        }
        do {
            let first = try time("import", ["import", csv, "--rates", rates])
            let peak = peakRSS(children: true)
            print("Import into PostgreSQL: \(lineCount) lines (\(orderCount) orders) in \(String(format: "%.2f", first)) s = \(Int(Double(lineCount) / first)) lines/s, \(Int(Double(orderCount) / first)) orders/s; peak memory of clientele \(mb(peak))")
            let again = try time("import", ["import", csv, "--rates", rates])
            print("Same file again (all unchanged): \(String(format: "%.2f", again)) s = \(Int(Double(lineCount) / again)) lines/s")
            let report = try time("report", ["report", "customers", "--format", "json"])
            print("First report (every order read back into the snapshot, then cached): \(String(format: "%.2f", report)) s = \(Int(Double(orderCount) / report)) orders/s")
            let cached = try time("report", ["report", "customers", "--format", "json"])
            print("Second report (snapshot from the cache file): \(String(format: "%.2f", cached)) s")
        } catch {
            if !keep { try? await Self.drop(url) }
            throw error
        }
        if keep {
            print("Kept the shop: \(PostgresLocation.redact(url))")
        } else {
            try await Self.drop(url)
        }
    }

    static func drop(_ url: String) async throws {
        let store = try PostgresOrderStore(url: url)
        try await store.dropSchema()
        await store.close()
    }
}
