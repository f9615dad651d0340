import ArgumentParser
import ClienteleCore
import ClienteleDemo
import Foundation

/// Report speed: the customer statistics over generated shops, the snapshot already in memory.
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time the customer statistics report (snapshot in memory) and the snapshot's size on generated shops."
    )

    @Option(help: "Comma-separated shop sizes in orders.") var sizes: String = "100000,1000000"
    @Option(help: "Timed runs per size (the median is reported).") var runs: Int = 5
    @Option(help: "The random seed of the generated shops.") var seed: UInt64 = 1

    func run() async throws {
        let list = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        print("Machine: \(machineLine())")
        print("orders      lines       build s  load s   report median s  report min s  bytes/line  peak RSS")
        for n in list {
            let end = ShopDate(iso: "2025-11-20")!
            let shop = DemoShop(endDate: end, orderCount: n, seed: seed)
            let t0 = now()
            let snapshot = shop.snapshot()
            let buildSeconds = now() - t0

            // The persisted form: serialise, then time loading it back (what a report process does).
            let bytes = snapshot.serialized()
            let t1 = now()
            let loaded = try ShopSnapshot(serialized: bytes)
            let loadSeconds = now() - t1
            precondition(loaded.orderCount == snapshot.orderCount)

            let period = Period.preset(.last12Months, asOf: end)
            var times: [Double] = []
            var customers = 0
            for _ in 0..<max(1, runs) {
                let t = now()
                let stats = CustomerStatistics.compute(snapshot: loaded, period: period, asOf: end, top: 20,
                                                       comparison: nil, thresholds: .init(), currency: shop.currency,
                                                       timeZone: shop.timeZone)
                times.append(now() - t)
                customers = stats.uniqueCustomers
            }
            times.sort()
            let perLine = Double(snapshot.byteCount) / Double(max(1, snapshot.lineCount))
            print(String(format: "%-11d %-11d %-8.2f %-8.3f %-16.4f %-13.4f %-11.0f %@  (%d customers in period)",
                         n, snapshot.lineCount, buildSeconds, loadSeconds, times[times.count / 2], times[0], perLine,
                         mb(peakRSS()), customers))
        }
        print("Targets: 10^6 orders < 0.1 s, 10^7 < 1 s, < 150 bytes of engine data per order line.")
    }
}
