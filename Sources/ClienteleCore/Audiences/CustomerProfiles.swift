/// Every customer's figures as of a date `D` over their orders up to `D` (METRICS.md, "Lifecycle and
/// groups"), in columns over the snapshot's dense customer ids: orders, revenue, items, first and last
/// order, usual interval, lifecycle stage and group. The lifecycle, groups and audience reports read it.
///
/// A customer whose first order is after `D` is not a customer yet: `orders[c] == 0`, and every other
/// column holds a placeholder for them.
public struct CustomerProfiles: Sendable {
    /// The as-of date `D`.
    public let asOf: ShopDate
    /// The thresholds the stages and groups were judged with.
    public let thresholds: ShopSettings.Thresholds
    /// Orders up to `D` (0: not a customer yet).
    public internal(set) var orders: ContiguousArray<Int32>
    /// Revenue (gross order totals) up to `D`, minor units.
    public internal(set) var revenue: ContiguousArray<Int64>
    /// Units bought (sum of line quantities) up to `D`.
    public internal(set) var items: ContiguousArray<Int64>
    /// Index into the snapshot's order columns of the last order up to `D`; `-1` when there is none.
    public internal(set) var lastOrder: ContiguousArray<Int32>
    /// The usual interval `u(c)` in days (METRICS.md, "Usual interval").
    public internal(set) var intervalDays: ContiguousArray<Double>
    /// The lifecycle stage as of `D`.
    public internal(set) var stage: ContiguousArray<LifecycleStage>
    /// The group as of `D` (METRICS.md, "Groups").
    public internal(set) var group: ContiguousArray<CustomerGroup>
    /// The shop's median first-to-second-order gap in days over the customers with ≥ 2 orders up to `D`;
    /// `nil` when there are none (one-order customers then use `defaultIntervalDays`).
    public let shopMedianIntervalDays: Double?
    /// Customers with ≥ 1 order up to `D`.
    public let customerCount: Int
    /// The least lifetime revenue that puts a customer in the top `vipTopShare` of all customers
    /// (ties at the cut included); `nil` when the share leaves no room (fewer than 1 ÷ share customers).
    public let vipRevenueCutoff: Int64?

    /// The index of customer `c`'s first order (valid when `orders[c] > 0`).
    @inline(__always)
    public func firstOrder(_ c: Int, in snapshot: ShopSnapshot) -> Int { Int(snapshot.customerOrderStart[c]) }

    /// Where customer `c`'s usual interval comes from.
    public func intervalSource(_ c: Int) -> IntervalSource {
        if orders[c] >= 2 { return .own }
        return shopMedianIntervalDays == nil ? .default : .shopMedian
    }

    /// Tenure in days for annual figures: `D` − the first order's shop day, at least `minimumTenureDays`.
    @inline(__always)
    public func tenureDays(_ c: Int, in snapshot: ShopSnapshot) -> Int {
        let first = Int(snapshot.orderDay[Int(snapshot.customerOrderStart[c])])
        return max(asOf.dayNumber - first, thresholds.minimumTenureDays, 1)
    }

    /// The days in a year for annual figures (per customer per year of tenure): 365.25.
    public static let daysPerYear = 365.25

    /// Computes every customer's profile as of `asOf` (METRICS.md, "Lifecycle and groups"): one pass over
    /// the snapshot for the counts, sums and own usual intervals, a selection for the shop's median
    /// first-to-second-order gap, a sort of the revenues for the VIP cut, then the stages and groups.
    public static func compute(snapshot s: ShopSnapshot, asOf: ShopDate,
                               thresholds: ShopSettings.Thresholds) -> CustomerProfiles {
        let n = s.customerCount
        let d = Int32(clamping: asOf.dayNumber)
        var orders = ContiguousArray<Int32>(repeating: 0, count: n)
        var revenue = ContiguousArray<Int64>(repeating: 0, count: n)
        var items = ContiguousArray<Int64>(repeating: 0, count: n)
        var lastOrder = ContiguousArray<Int32>(repeating: -1, count: n)
        var interval = ContiguousArray<Double>(repeating: 0, count: n)
        var firstToSecond: [Int64] = []
        var gaps: [Int64] = []
        var customers = 0

        s.orderDay.withUnsafeBufferPointer { day in
        s.orderInstant.withUnsafeBufferPointer { instant in
        s.orderTotal.withUnsafeBufferPointer { total in
        s.orderLineStart.withUnsafeBufferPointer { lineStart in
        s.lineQuantity.withUnsafeBufferPointer { quantity in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<n {
                let lo = Int(start[c]), hi = Int(start[c + 1])
                var end = lo
                var rev: Int64 = 0
                while end < hi && day[end] <= d {
                    rev += total[end]
                    end += 1
                }
                let k = end - lo
                if k == 0 { continue }
                customers += 1
                orders[c] = Int32(k)
                revenue[c] = rev
                lastOrder[c] = Int32(end - 1)
                var units: Int64 = 0
                for l in Int(lineStart[lo])..<Int(lineStart[end]) { units += Int64(quantity[l]) }
                items[c] = units
                if k >= 2 {
                    firstToSecond.append(instant[lo + 1] - instant[lo])
                    gaps.removeAll(keepingCapacity: true)
                    for i in (lo + 1)..<end { gaps.append(instant[i] - instant[i - 1]) }
                    interval[c] = Self.median(&gaps)! / 86_400
                }
            }
        }}}}}}

        let shopMedian = Self.median(&firstToSecond).map { $0 / 86_400 }
        let fallback = shopMedian ?? thresholds.defaultIntervalDays

        // The VIP cut: the K-th largest lifetime revenue, K = ⌊share × customers⌋.
        let slots = Int((thresholds.vipTopShare * Double(customers) + 1e-9).rounded(.down))
        var cutoff: Int64? = nil
        if slots >= 1 {
            var revenues: [Int64] = []
            revenues.reserveCapacity(customers)
            for c in 0..<n where orders[c] > 0 { revenues.append(revenue[c]) }
            cutoff = Self.kthLargest(&revenues, min(slots, revenues.count))
        }

        var stage = ContiguousArray<LifecycleStage>(repeating: .new, count: n)
        var group = ContiguousArray<CustomerGroup>(repeating: .oneTime, count: n)
        let asOfDay = asOf.dayNumber
        let frequent = thresholds.frequentOrdersPerYear
        let minTenure = max(thresholds.minimumTenureDays, 1)
        s.orderDay.withUnsafeBufferPointer { day in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<n {
                let k = Int(orders[c])
                if k == 0 { continue }
                if k < 2 { interval[c] = fallback }
                let first = Int(day[Int(start[c])])
                stage[c] = LifecycleStage.classify(firstDay: first, lastDay: Int(day[Int(lastOrder[c])]), asOf: asOfDay,
                                                   intervalDays: interval[c], thresholds: thresholds)
                if k == 1 {
                    group[c] = .oneTime
                } else if let cutoff, revenue[c] >= cutoff {
                    group[c] = .vip
                } else {
                    // orders ÷ (tenure ÷ 365.25) ≥ frequent  ⇔  orders × 365.25 ≥ frequent × tenure.
                    let tenure = max(asOfDay - first, minTenure)
                    group[c] = Double(k) * daysPerYear >= frequent * Double(tenure) ? .frequent : .loyal
                }
            }
        }}
        return CustomerProfiles(asOf: asOf, thresholds: thresholds, orders: orders, revenue: revenue, items: items,
                                lastOrder: lastOrder, intervalDays: interval, stage: stage, group: group,
                                shopMedianIntervalDays: shopMedian, customerCount: customers, vipRevenueCutoff: cutoff)
    }

    /// The median of `values` (the mean of the middle two for an even count), reordering them; `nil` when empty.
    static func median(_ values: inout [Int64]) -> Double? {
        OrderStatistics.median(&values)
    }

    /// The `k`-th largest of `values` (1-based), reordering them.
    static func kthLargest(_ values: inout [Int64], _ k: Int) -> Int64 {
        OrderStatistics.kthLargest(&values, k)
    }
}
