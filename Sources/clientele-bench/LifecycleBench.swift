import ArgumentParser
import ClienteleCore
import ClienteleDemo
import Foundation

/// Lifecycle, groups, customer base growth and audience speed on generated shops, the snapshot in memory.
struct LifecycleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Time the lifecycle, groups, growth (36 months) and audience reports (snapshot in memory) on generated shops."
    )

    @Option(help: "Comma-separated shop sizes in orders.") var sizes: String = "100000,1000000"
    @Option(help: "Timed runs per report (the median is reported).") var runs: Int = 5
    @Option(help: "The random seed of the generated shops.") var seed: UInt64 = 1
    @Option(help: "Months of growth to compute.") var months: Int = 36

    func run() async throws {
        let list = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        print("Machine: \(machineLine())")
        let end = ShopDate(iso: "2025-11-20")!
        for n in list {
            let shop = DemoShop(endDate: end, orderCount: n, seed: seed)
            let s = shop.snapshot()
            print("\n\(s.orderCount) orders, \(s.lineCount) lines, \(s.customerCount) customers")
            print("report                               median s   min s      result")
            let t = ShopSettings.Thresholds()
            func time(_ name: String, _ body: () -> String) {
                var times: [Double] = []
                var result = ""
                for _ in 0..<max(1, runs) {
                    let t0 = now()
                    result = body()
                    times.append(now() - t0)
                }
                times.sort()
                print(name.padding(toLength: 36, withPad: " ", startingAt: 0)
                      + String(format: " %-10.4f %-10.4f ", times[times.count / 2], times[0]) + result)
            }
            time("lifecycle (as of + 1/3/6/12 months)") {
                let r = LifecycleReport.compute(snapshot: s, asOf: end, thresholds: t, timeZone: shop.timeZone)
                return "active \(r.counts.active), lost \(r.counts.lost)"
            }
            time("groups") {
                let r = GroupsReport.compute(snapshot: s, asOf: end, thresholds: t, currency: shop.currency, timeZone: shop.timeZone)
                return "VIP \(r.figures(.vip).customers), frequent \(r.figures(.frequent).customers)"
            }
            let from = end.adding(months: -(months - 1)).firstOfMonth
            time("growth, \(months) months") {
                let g = GrowthReport.compute(snapshot: s, from: from, to: end, step: .month, thresholds: t, timeZone: shop.timeZone)
                return "\(g.points.count) points, last \(g.points.last?.counts.customers ?? 0) customers"
            }
            time("growth, \(months) months by week") {
                let g = GrowthReport.compute(snapshot: s, from: from, to: end, step: .week, thresholds: t, timeZone: shop.timeZone)
                return "\(g.points.count) points"
            }
            let filter = try AudienceFilter("orders >= 2 and revenue > 1000 and last_order within 90d and country in (DK, SE)")
            time("audience: profiles + filter + show") {
                let ctx = AudienceContext(snapshot: s, asOf: end, thresholds: t, currency: shop.currency)
                let mask = filter.customers(in: ctx)
                let o = AudienceOverview.compute(context: ctx, mask: mask)
                return "\(o.audience.customers) customers"
            }
            print("peak RSS \(mb(peakRSS()))")
        }
        print("Targets at 10^6 orders: lifecycle or groups < 0.2 s, growth over 36 months < 1 s.")
    }
}
