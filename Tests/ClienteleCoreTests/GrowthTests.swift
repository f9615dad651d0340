import Testing
@testable import ClienteleCore

@Suite("Customer base growth")
struct GrowthTests {
    typealias F = LifecycleFixture

    /// A random shop from a seed: `customers` customers, each with 1–12 orders at random gaps (0–200 days,
    /// random seconds within the day), some on the same day.
    static func randomShop(seed: UInt64, customers: Int) -> [Order] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var orders: [Order] = []
        for c in 0..<customers {
            var t = Int64(F.base.dayNumber) * 86_400 + Int64(next() % (700 * 86_400))
            let n = 1 + Int(next() % 12)
            for i in 0..<n {
                orders.append(Order(id: "c\(c)-\(i)", placedAt: Instant(seconds: t), customerId: "c\(c)", currency: F.dkk,
                                    total: Int64(1 + next() % 100_000)))
                t += next() % 5 == 0 ? Int64(next() % 86_400) : Int64(next() % (200 * 86_400))
            }
        }
        return orders
    }

    /// The stage of every customer as of `asOf`, computed directly from the orders (an independent naive
    /// implementation of METRICS.md "Lifecycle and groups").
    static func naiveCounts(_ orders: [Order], asOf: ShopDate) -> GrowthReport.StageCounts {
        let d = asOf.dayNumber
        func day(_ o: Order) -> Int { Int((o.placedAt.seconds - (((o.placedAt.seconds % 86_400) + 86_400) % 86_400)) / 86_400) }
        var byCustomer: [String: [Order]] = [:]
        for o in orders where day(o) <= d { byCustomer[o.customerId!, default: []].append(o) }
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let firstToSecond: [Double] = byCustomer.values.compactMap { list in
            let s = list.sorted { $0.placedAt < $1.placedAt }
            return s.count >= 2 ? Double(s[1].placedAt.seconds - s[0].placedAt.seconds) / 86_400 : nil
        }
        let fallback = firstToSecond.isEmpty ? 90 : median(firstToSecond)
        var counts = GrowthReport.StageCounts()
        for list in byCustomer.values {
            let s = list.sorted { $0.placedAt < $1.placedAt }
            let u = s.count >= 2
                ? median((1..<s.count).map { Double(s[$0].placedAt.seconds - s[$0 - 1].placedAt.seconds) / 86_400 })
                : fallback
            let since = Double(d - day(s.last!))
            if d - day(s[0]) < 30 { counts.new += 1 }
            else if since <= 1.5 * u { counts.active += 1 }
            else if since <= 2 * u { counts.slippingAway += 1 }
            else { counts.lost += 1 }
        }
        return counts
    }

    @Test("lifecycle counts equal a naive re-implementation", arguments: [UInt64(1), 2, 3])
    func lifecycleMatchesNaive(seed: UInt64) {
        let orders = Self.randomShop(seed: seed, customers: 300)
        let s = F.snapshot(orders)
        for offset in stride(from: -10, through: 1_200, by: 37) {
            let date = F.day(offset)
            let r = LifecycleReport.compute(snapshot: s, asOf: date, thresholds: .init(), timeZone: "UTC")
            #expect(r.counts == Self.naiveCounts(orders, asOf: date), "as of \(date)")
        }
    }

    @Test("growth equals the lifecycle report run at each date", arguments: [UInt64(4), 5])
    func growthMatchesLifecycle(seed: UInt64) {
        let orders = Self.randomShop(seed: seed, customers: 400)
        let s = F.snapshot(orders)
        for step in GrowthReport.Step.allCases {
            let g = GrowthReport.compute(snapshot: s, from: F.day(-40), to: F.day(1_000), step: step, thresholds: .init(), timeZone: "UTC")
            // 2023-11-22 … 2026-09-27: 35 months; Sundays 2023-11-26 … 2026-09-27: 149 weeks.
            #expect(g.points.count == (step == .month ? 35 : 149))
            for p in g.points {
                let r = LifecycleReport.compute(snapshot: s, asOf: p.date, thresholds: .init(), timeZone: "UTC")
                #expect(p.counts == r.counts, "\(p.label) \(p.date)")
            }
        }
    }

    // 2024-01-01 is a Monday. Months from 2023-11-22 to 2024-02-10: Nov (30th), Dec (31st), Jan (31st), Feb
    // (clamped to the 10th). Weeks from Wednesday 2024-01-03 to Tuesday 2024-01-16: Sundays 7th and 14th,
    // then the 16th.
    @Test("evaluation dates: each month's or ISO week's last day, the last one clamped to the range's end")
    func dates() {
        let months = GrowthReport.dates(from: ShopDate(iso: "2023-11-22")!, to: ShopDate(iso: "2024-02-10")!, step: .month)
        #expect(months.map(\.label) == ["2023-11", "2023-12", "2024-01", "2024-02"])
        #expect(months.map(\.date.description) == ["2023-11-30", "2023-12-31", "2024-01-31", "2024-02-10"])
        let weeks = GrowthReport.dates(from: ShopDate(iso: "2024-01-03")!, to: ShopDate(iso: "2024-01-16")!, step: .week)
        #expect(weeks.map(\.date.description) == ["2024-01-07", "2024-01-14", "2024-01-16"])
        #expect(weeks.map(\.label) == ["2024-W01", "2024-W02", "2024-W03"])
        // ISO week 1 of 2021 starts on Monday 2021-01-04; Sunday 2021-01-03 ends week 53 of 2020.
        #expect(GrowthReport.isoWeekLabel(ShopDate(iso: "2021-01-03")!) == "2020-W53")
        #expect(GrowthReport.dates(from: ShopDate(iso: "2024-02-10")!, to: ShopDate(iso: "2024-02-01")!, step: .month).isEmpty)
    }

    // A: days 0, 20, 40 (u 20). End of Jan (day 30): A New? first order day 0, 30 days → not new; 10 since → active.
    // End of Feb (day 59): 19 since → active. End of Mar (day 90): 50 since > 40 → lost.
    @Test("the chart: counts per month, stacked bars, CSV")
    func rendering() {
        let s = F.snapshot(F.orders("A", [0, 20, 40]) + F.orders("B", [75]))
        let g = GrowthReport.compute(snapshot: s, from: F.day(0), to: F.day(90), step: .month, thresholds: .init(), timeZone: "UTC")
        #expect(g.points.map(\.counts) == [GrowthReport.StageCounts(active: 1), GrowthReport.StageCounts(active: 1),
                                           GrowthReport.StageCounts(new: 1, lost: 1)])
        #expect(g.csv() == "month,date,new,active,slipping_away,lost,customers\r\n2024-01,2024-01-31,0,1,0,0,1\r\n"
                + "2024-02,2024-02-29,0,1,0,0,1\r\n2024-03,2024-03-31,1,0,0,1,2\r\n")
        #expect(GrowthReport.bar(GrowthReport.StageCounts(new: 1, active: 2, slippingAway: 0, lost: 1), scale: 4, width: 8) == "██▓▓▓▓░░")
        #expect(g.table(shopName: "Shop", locale: "en_US").contains("2024-03  ████████████████████░░░░░░░░░░░░░░░░░░░░"))
    }
}
