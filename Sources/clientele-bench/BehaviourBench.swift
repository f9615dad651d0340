import ArgumentParser
import ClienteleCore
import ClienteleDemo
import Foundation

/// Behaviour report speed: when customers shop, bought together, purchase cycles, reminders due and best
/// sellers over generated shops, the snapshot already in memory.
struct BehaviourBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "behaviour",
        abstract: "Time the behaviour reports (when, together, cycles, due, products) on generated shops, snapshot in memory."
    )

    @Option(help: "Comma-separated shop sizes in orders.") var sizes: String = "1000000"
    @Option(help: "Timed runs per report (the median is reported).") var runs: Int = 5
    @Option(help: "The random seed of the generated shops.") var seed: UInt64 = 1

    func run() async throws {
        let list = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        print("Machine: \(machineLine())")
        for n in list {
            let end = ShopDate(iso: "2025-11-20")!
            let shop = DemoShop(endDate: end, orderCount: n, seed: seed)
            let s = shop.snapshot()
            let period = Period.preset(.last12Months, asOf: end)
            print("\n\(s.orderCount) orders, \(s.lineCount) lines, \(s.productIds.count) products, \(s.customerCount) customers; period \(period)")
            print("report                                   median s  min s    result")

            func time(_ name: String, target: Double, _ body: () -> String) {
                var times: [Double] = []
                var result = ""
                for _ in 0..<max(1, runs) {
                    let t = now()
                    result = body()
                    times.append(now() - t)
                }
                times.sort()
                let median = times[times.count / 2]
                let padded = name + String(repeating: " ", count: max(1, 41 - name.count))
                print(padded + String(format: "%-9.4f %-8.4f ", median, times[0]) + result
                      + (target > 0 ? "  (target < \(target) s: \(median < target ? "met" : "MISSED"))" : ""))
            }

            time("when (every order)", target: 0.3) {
                let r = ShoppingTimes.compute(snapshot: s, period: period, asOf: end, currency: shop.currency, timeZone: shop.timeZone)
                return "\(r.orders) orders"
            }
            time("when --top-customers 1000", target: 0.3) {
                let mask = BestSellers.topCustomerMask(snapshot: s, period: period, count: 1000)
                let r = ShoppingTimes.compute(snapshot: s, period: period, asOf: end, currency: shop.currency,
                                              timeZone: shop.timeZone, customers: mask)
                return "\(r.orders) orders"
            }
            time("together, all pairs (min support 1)", target: 0.5) {
                let r = BoughtTogether.compute(snapshot: s, period: period, asOf: end, timeZone: shop.timeZone,
                                               minSupportCount: 1, top: 20)
                return "\(r.pairCount) pairs over \(r.orders) orders"
            }
            time("together (min support 2, default)", target: 0.5) {
                let r = BoughtTogether.compute(snapshot: s, period: period, asOf: end, timeZone: shop.timeZone,
                                               minSupportCount: 2, top: 20)
                return "\(r.pairCount) pairs"
            }
            let history = Period(start: ShopDate(dayNumber: Int(s.orderDay.min() ?? 0)), end: end.adding(days: 1))
            time("together, all pairs, all history", target: 0.5) {
                let r = BoughtTogether.compute(snapshot: s, period: history, asOf: end, timeZone: shop.timeZone,
                                               minSupportCount: 1, top: 20)
                return "\(r.pairCount) pairs over \(r.orders) orders"
            }
            let firstProduct = s.productIds.count > 0 ? s.productIds[0] : ""
            time("together --product \(firstProduct)", target: 0.3) {
                let r = BoughtTogether.compute(snapshot: s, period: period, asOf: end, timeZone: shop.timeZone,
                                               minSupportCount: 1, top: 20, product: firstProduct)
                return "\(r.pairCount) companions"
            }
            time("cycles", target: 0.3) {
                let r = PurchaseCycles.compute(snapshot: s, asOf: end, timeZone: shop.timeZone)
                return "\(r.products.count) products with a cycle"
            }
            time("due --within 7d", target: 0.3) {
                let r = DueReminders.compute(snapshot: s, asOf: end, withinDays: 7, calendar: shop.calendar)
                return "\(r.reminders.count) reminders"
            }
            time("products --top 20 --top-customers 20", target: 0.3) {
                let r = BestSellers.compute(snapshot: s, period: period, asOf: end, currency: shop.currency,
                                            timeZone: shop.timeZone, top: 20, topCustomers: 20)
                return "\(r.products) products sold"
            }
            print("peak RSS \(mb(peakRSS()))")
        }
        bigBaskets()
    }

    /// Bought together on a synthetic catalogue of 50 000 products with skewed popularity: 200 000 orders of
    /// 1–6 lines and 10 000 orders of 200 lines (no target; shows the cost of big baskets).
    func bigBaskets() {
        let calendar = ShopCalendar.utc
        let currency = Currency(code: "DKK")!
        var builder = ShopSnapshot.Builder(calendar: calendar, currency: currency)
        var state: UInt64 = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // Popularity ~ 1/rank: product = floor(50 000^u) − 1 for a uniform u.
        func product() -> String {
            let u = Double(next() % 1_000_000) / 1_000_000
            return "P" + String(Int(pow(50_000.0, u)) - 1)
        }
        let start = ShopDate(iso: "2025-01-01")!.dayNumber
        for i in 0..<210_000 {
            let size = i < 10_000 ? 200 : 1 + Int(next() % 6)
            let lines = (0..<size).map { _ in OrderLine(productId: product(), quantity: 1, unitPrice: 100) }
            builder.add(Order(id: String(i), placedAt: Instant(seconds: Int64(start + Int(next() % 300)) * 86_400),
                              customerId: "c" + String(next() % 50_000), email: nil, status: .placed,
                              currency: currency, total: Int64(size) * 100, refunded: 0, lines: lines))
        }
        let s = builder.build()
        let period = Period(start: ShopDate(dayNumber: start), end: ShopDate(dayNumber: start + 300))
        print("\nSynthetic big baskets: \(s.orderCount) orders (10 000 of 200 lines), \(s.lineCount) lines, \(s.productIds.count) products")
        for minSupport in [1, 2, 10] {
            var times: [Double] = []
            var pairs = 0
            for _ in 0..<max(1, min(runs, 3)) {
                let t = now()
                pairs = BoughtTogether.compute(snapshot: s, period: period, asOf: period.lastDay, timeZone: "UTC",
                                               minSupportCount: minSupport, top: 20).pairCount
                times.append(now() - t)
            }
            times.sort()
            print(String(format: "together --min-support-count %-3d  median %.3f s  (%d pairs)", minSupport, times[times.count / 2], pairs))
        }
    }
}
