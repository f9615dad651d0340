import ArgumentParser
import ClienteleCore
import ClienteleDemo
import Foundation

/// `clientele-bench`: measures Clientele's speed and memory on generated shops and prints the figures.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clientele-bench",
        abstract: "Benchmarks: import throughput and report speed on generated demo shops.",
        discussion: """
        Build in release mode first: swift build -c release
          .build/release/clientele-bench import --orders 1000000
          .build/release/clientele-bench report --sizes 100000,1000000,10000000
        """,
        subcommands: [ImportBench.self, StoreBench.self, ReportBench.self, BehaviourBench.self, PredictionBench.self, RetentionBench.self, LifecycleBench.self, VersusBench.self, PostgresImportBench.self]
    )
}

/// Peak resident memory of this process, in bytes.
func peakRSS(children: Bool = false) -> Int {
    var usage = rusage()
    getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

/// Current resident memory of this process, in bytes (from /proc/self/statm).
func currentRSS() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let parts = text.split(separator: " ")
    guard parts.count > 1, let pages = Int(parts[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// CPU seconds (user + system) this process has used so far: steadier than wall time on a busy machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Monotonic seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func mb(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1_048_576) }

/// The machine the figures were measured on.
func machineLine() -> String {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB"
}

/// The directory of this executable (where `clientele` is built beside it).
func buildDirectory() -> URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
}

extension DemoShop {
    /// The engine's snapshot of this generated shop, built straight from the generator (no database).
    func snapshot() -> ShopSnapshot {
        var builder = ShopSnapshot.Builder(calendar: calendar, currency: currency)
        builder.reserveCapacity(orders: orderCount, lines: orderCount * 2)
        generate { builder.add($0) }
        return builder.build()
    }
}
