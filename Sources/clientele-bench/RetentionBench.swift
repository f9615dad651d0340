import ArgumentParser
import ClienteleCore
import ClienteleDemo
import Foundation

/// Speed of the retention metrics, the cohort triangle over 36 monthly cohorts, RFM and formula CLV on
/// generated shops, the snapshot already in memory.
struct RetentionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Time the retention report, the 36-cohort triangle, RFM and formula CLV (snapshot in memory) on generated shops."
    )

    @Option(help: "Comma-separated shop sizes in orders.") var sizes: String = "1000000"
    @Option(help: "Timed runs per report and size (the median is reported).") var runs: Int = 5
    @Option(help: "The random seed of the generated shops.") var seed: UInt64 = 1

    /// Median and minimum seconds of `runs` calls of `body`.
    func time(_ body: () -> Void) -> (median: Double, min: Double) {
        var times: [Double] = []
        for _ in 0..<max(1, runs) {
            let t = now()
            body()
            times.append(now() - t)
        }
        times.sort()
        return (times[times.count / 2], times[0])
    }

    func run() async throws {
        let list = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        print("Machine: \(machineLine())")
        print("orders      customers  report                          median s  min s")
        for n in list {
            let end = ShopDate(iso: "2025-11-20")!
            let shop = DemoShop(endDate: end, orderCount: n, seed: seed)
            let snapshot = shop.snapshot()
            let period = Period.preset(.last12Months, asOf: end)

            let retention = time {
                let m = RetentionMetrics.compute(snapshot: snapshot, period: period, asOf: end, currency: shop.currency,
                                                 timeZone: shop.timeZone)
                precondition(m.retention.customersCurrent >= m.retention.newCustomers)
            }
            let cohorts = time {
                let c = Cohorts.compute(snapshot: snapshot, asOf: end, granularity: .month, count: 36, currency: shop.currency,
                                        timeZone: shop.timeZone)
                precondition(c.cohorts.count == 36)
            }
            let rfm = time {
                let r = RFM.compute(snapshot: snapshot, asOf: end, currency: shop.currency)
                precondition(r.summary().customers == r.scoredCustomers)
            }
            let clv = time {
                _ = FormulaCLV.compute(snapshot: snapshot, asOf: end, currency: shop.currency)
            }
            for (name, t) in [("retention (last 12 months)", retention), ("cohort triangle, 36 months", cohorts),
                              ("RFM scores + grid + segments", rfm), ("formula CLV", clv)] {
                let label = name.padding(toLength: 31, withPad: " ", startingAt: 0)
                print(String(format: "%-11d %-10d ", n, snapshot.customerCount) + label + String(format: " %-9.4f %.4f", t.median, t.min))
            }
        }
        print("Target: each < 0.3 s at 10^6 orders.")
    }
}
