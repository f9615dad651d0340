/// Customer base growth (METRICS.md, "Lifecycle and groups", "Customer base growth"): the lifecycle stage
/// counts at the end of each month or week of a range, computed for all dates in one pass per customer.
public struct GrowthReport: Sendable, Equatable {
    /// The first day of the range.
    public var from: ShopDate
    /// The last day of the range (inclusive).
    public var to: ShopDate
    /// Months or weeks.
    public var step: Step
    /// The shop's IANA time zone.
    public var timeZone: String
    /// The thresholds the stages were judged with.
    public var thresholds: ShopSettings.Thresholds
    /// One point per month or week, oldest first.
    public var points: [Point]

    /// How the range is cut.
    public enum Step: String, Sendable, Hashable, CaseIterable {
        /// Calendar months; each evaluated on its last day (or the range's last day).
        case month
        /// ISO weeks (Monday–Sunday); each evaluated on its Sunday (or the range's last day).
        case week
    }

    /// The stage counts at one date.
    public struct Point: Sendable, Equatable {
        /// `YYYY-MM` for a month, `YYYY-Www` (ISO week) for a week.
        public var label: String
        /// The date the stages were judged at: the period's last day, or the range's last day.
        public var date: ShopDate
        /// Counts per stage.
        public var counts: StageCounts
    }

    /// Customers per lifecycle stage at one date (customers with ≥ 1 order up to it).
    public struct StageCounts: Sendable, Equatable {
        /// Customers in stage New.
        public var new = 0
        /// Customers in stage Active.
        public var active = 0
        /// Customers in stage Slipping away.
        public var slippingAway = 0
        /// Customers in stage Lost.
        public var lost = 0

        /// All four counts.
        public init(new: Int = 0, active: Int = 0, slippingAway: Int = 0, lost: Int = 0) {
            self.new = new
            self.active = active
            self.slippingAway = slippingAway
            self.lost = lost
        }

        /// Customers with ≥ 1 order up to the date.
        public var customers: Int { new + active + slippingAway + lost }

        /// The count of `stage`.
        public subscript(stage: LifecycleStage) -> Int {
            get {
                switch stage {
                case .new: return new
                case .active: return active
                case .slippingAway: return slippingAway
                case .lost: return lost
                }
            }
            set {
                switch stage {
                case .new: new = newValue
                case .active: active = newValue
                case .slippingAway: slippingAway = newValue
                case .lost: lost = newValue
                }
            }
        }
    }

    /// The evaluation dates of `[from, to]` cut by `step`: each month's (or ISO week's) last day, the last
    /// one clamped to `to`; empty when `to < from`.
    public static func dates(from: ShopDate, to: ShopDate, step: Step) -> [(label: String, date: ShopDate)] {
        guard from <= to else { return [] }
        var out: [(String, ShopDate)] = []
        switch step {
        case .month:
            var m = from.firstOfMonth
            while m <= to {
                let next = m.adding(months: 1)
                let c = m.components
                out.append((ShopDate.pad(c.year, 4) + "-" + ShopDate.pad(c.month, 2), min(next.adding(days: -1), to)))
                m = next
            }
        case .week:
            // The Sunday ending the ISO week of `from`.
            var sunday = from.adding(days: 7 - from.isoWeekday)
            while true {
                let end = min(sunday, to)
                out.append((Self.isoWeekLabel(sunday), end))
                if sunday >= to { break }
                sunday = sunday.adding(days: 7)
            }
        }
        return out
    }

    /// `YYYY-Www` of the ISO week ending on `sunday` (the ISO year is the year of that week's Thursday).
    static func isoWeekLabel(_ sunday: ShopDate) -> String {
        let thursday = sunday.adding(days: -3)
        let y = thursday.year
        let jan1 = ShopDate(year: y, month: 1, day: 1)!
        let week = (thursday.dayNumber - jan1.dayNumber) / 7 + 1
        return ShopDate.pad(y, 4) + "-W" + ShopDate.pad(week, 2)
    }

    /// Computes the growth chart over `[from, to]` (METRICS.md, "Customer base growth"); a pure function.
    public static func compute(snapshot: ShopSnapshot, from: ShopDate, to: ShopDate, step: Step,
                               thresholds: ShopSettings.Thresholds, timeZone: String) -> GrowthReport {
        let cuts = dates(from: from, to: to, step: step)
        let counts = stageCounts(snapshot: snapshot, at: cuts.map(\.date), thresholds: thresholds)
        let points = zip(cuts, counts).map { Point(label: $0.label, date: $0.date, counts: $1) }
        return GrowthReport(from: from, to: to, step: step, timeZone: timeZone, thresholds: thresholds, points: points)
    }

    /// The stage counts at each of `dates` (ascending), in one pass per customer: each customer's orders are
    /// walked together with the dates, the usual interval at a date using only the orders up to it (a sorted
    /// list of the gaps so far); the shop's median first-to-second gap per date comes from one sweep over the
    /// dates that adds each repeat customer's gap at the first date on or after their second order.
    public static func stageCounts(snapshot s: ShopSnapshot, at dates: [ShopDate],
                                   thresholds: ShopSettings.Thresholds) -> [StageCounts] {
        let k = dates.count
        guard k > 0 else { return [] }
        precondition(zip(dates, dates.dropFirst()).allSatisfy { $0 < $1 }, "dates must be ascending and distinct")
        let t = dates.map(\.dayNumber)
        let n = s.customerCount

        @inline(__always)
        func firstDateIndex(onOrAfter day: Int) -> Int {
            var lo = 0, hi = k
            while lo < hi {
                let mid = (lo + hi) >> 1
                if t[mid] < day { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        // The shop's median first-to-second gap (days) at each date.
        var arrivals = [[Int64]](repeating: [], count: k)
        s.orderDay.withUnsafeBufferPointer { day in
        s.orderInstant.withUnsafeBufferPointer { instant in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<n {
                let lo = Int(start[c]), hi = Int(start[c + 1])
                if hi - lo < 2 { continue }
                let at = firstDateIndex(onOrAfter: Int(day[lo + 1]))
                if at < k { arrivals[at].append(instant[lo + 1] - instant[lo]) }
            }
        }}}
        var running = RunningMedian()
        var fallback = [Double](repeating: thresholds.defaultIntervalDays, count: k)
        for i in 0..<k {
            for g in arrivals[i] { running.insert(g) }
            if let m = running.median { fallback[i] = m / 86_400 }
        }
        arrivals = []

        var counts = [Int](repeating: 0, count: k * 4)
        var gaps: [Int64] = []
        gaps.reserveCapacity(64)
        s.orderDay.withUnsafeBufferPointer { day in
        s.orderInstant.withUnsafeBufferPointer { instant in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<n {
                let lo = Int(start[c]), hi = Int(start[c + 1])
                if lo >= hi { continue }
                let firstDay = Int(day[lo])
                var i = firstDateIndex(onOrAfter: firstDay)
                if i == k { continue }
                gaps.removeAll(keepingCapacity: true)
                var j = lo + 1
                while i < k {
                    let ti = t[i]
                    while j < hi && Int(day[j]) <= ti {
                        Self.insertSorted(&gaps, instant[j] - instant[j - 1])
                        j += 1
                    }
                    let u: Double
                    let m = gaps.count
                    if m == 0 {
                        u = fallback[i]
                    } else if m % 2 == 1 {
                        u = Double(gaps[m / 2]) / 86_400
                    } else {
                        u = (Double(gaps[m / 2 - 1]) + Double(gaps[m / 2])) / 2 / 86_400
                    }
                    let stage = LifecycleStage.classify(firstDay: firstDay, lastDay: Int(day[j - 1]), asOf: ti,
                                                        intervalDays: u, thresholds: thresholds)
                    counts[i &* 4 &+ stage.index] &+= 1
                    i += 1
                }
            }
        }}}
        return (0..<k).map { i in
            StageCounts(new: counts[i * 4], active: counts[i * 4 + 1], slippingAway: counts[i * 4 + 2], lost: counts[i * 4 + 3])
        }
    }

    /// Inserts `x` into the ascending `values`.
    @inline(__always)
    static func insertSorted(_ values: inout [Int64], _ x: Int64) {
        var lo = 0, hi = values.count
        if hi == 0 || values[hi - 1] <= x { values.append(x); return }
        while lo < hi {
            let mid = (lo + hi) >> 1
            if values[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        values.insert(x, at: lo)
    }
}

/// A running median of whole numbers: a max-heap of the lower half and a min-heap of the upper half.
struct RunningMedian {
    private var lower: [Int64] = []   // max-heap
    private var upper: [Int64] = []   // min-heap

    /// Values inserted so far.
    var count: Int { lower.count + upper.count }

    /// Adds `x`.
    mutating func insert(_ x: Int64) {
        if let top = lower.first, x > top {
            Self.push(&upper, x, <)
        } else {
            Self.push(&lower, x, >)
        }
        if lower.count > upper.count + 1 {
            Self.push(&upper, Self.pop(&lower, >), <)
        } else if upper.count > lower.count {
            Self.push(&lower, Self.pop(&upper, <), >)
        }
    }

    /// The median (the mean of the middle two for an even count); `nil` when empty.
    var median: Double? {
        guard let a = lower.first else { return nil }
        if lower.count > upper.count { return Double(a) }
        return (Double(a) + Double(upper[0])) / 2
    }

    /// Pushes onto a heap ordered so that `above(parent, child)` holds.
    private static func push(_ heap: inout [Int64], _ x: Int64, _ above: (Int64, Int64) -> Bool) {
        heap.append(x)
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if above(heap[i], heap[p]) { heap.swapAt(i, p); i = p } else { break }
        }
    }

    /// Pops the top of a heap ordered by `above`.
    private static func pop(_ heap: inout [Int64], _ above: (Int64, Int64) -> Bool) -> Int64 {
        let top = heap[0]
        let last = heap.removeLast()
        if heap.isEmpty { return top }
        heap[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < heap.count && above(heap[l], heap[best]) { best = l }
            if r < heap.count && above(heap[r], heap[best]) { best = r }
            if best == i { break }
            heap.swapAt(i, best)
            i = best
        }
        return top
    }
}
