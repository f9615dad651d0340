/// Purchase cycles (METRICS.md, "Behaviour", "Purchase cycles"): per product, the gaps between a customer's
/// consecutive orders that contain it, over identified non-cancelled orders up to the end of the as-of day;
/// the median gap is the product's cycle and a reminder falls at max(median − 7 days, median ÷ 2).
public struct PurchaseCycles: Sendable, Equatable {
    /// The as-of date: orders up to and including this shop day count.
    public var asOf: ShopDate
    /// The shop's IANA time zone.
    public var timeZone: String
    /// Products need at least this many gaps to get a cycle.
    public var minGaps: Int
    /// Products with at least one gap (before `minGaps` is applied).
    public var productsWithGaps: Int
    /// The products with a cycle: gaps desc, then product id ascending.
    public var products: [Product]

    /// One product's cycle.
    public struct Product: Sendable, Equatable {
        /// 1-based position.
        public var rank: Int
        /// The shop's product id.
        public var productId: String
        /// The product's name.
        public var name: String
        /// Dense product index in the snapshot.
        public var productIndex: Int
        /// Gaps measured (pairs of consecutive orders of one customer both containing the product).
        public var gaps: Int
        /// Distinct customers contributing a gap.
        public var customers: Int
        /// The median gap in days (elapsed seconds ÷ 86 400; even count: mean of the middle two).
        public var medianDays: Double
        /// Days after a purchase the reminder falls: max(median − 7, median ÷ 2).
        public var reminderAfterDays: Double
    }

    /// The reminder offset in days for a cycle of `medianDays`: max(median − 7, median ÷ 2).
    public static func reminderAfterDays(medianDays: Double) -> Double { max(medianDays - 7, medianDays / 2) }

    /// The median of `values`, sorting them in place (even count: mean of the middle two); `nil` when empty.
    static func median(_ values: inout ArraySlice<Int64>) -> Double? {
        guard !values.isEmpty else { return nil }
        values.sort()
        let lo = values.startIndex, n = values.count
        if n % 2 == 1 { return Double(values[lo + n / 2]) }
        return (Double(values[lo + n / 2 - 1]) + Double(values[lo + n / 2])) / 2
    }

    /// Computes the purchase cycles as of `asOf` (METRICS.md, "Purchase cycles"); a pure function of its
    /// arguments. Only products with at least `minGaps` (≥ 1) gaps are listed.
    public static func compute(snapshot s: ShopSnapshot, asOf: ShopDate, timeZone: String, minGaps: Int = 4) -> PurchaseCycles {
        let end = Int32(clamping: asOf.dayNumber + 1)
        let productCount = s.productIds.count
        var lastCustomer = [Int32](repeating: -1, count: productCount)
        var lastOrder = [Int32](repeating: -1, count: productCount)
        var lastInstant = [Int64](repeating: 0, count: productCount)
        var gapCount = [Int32](repeating: 0, count: productCount + 1)
        var customerCount = [Int32](repeating: 0, count: productCount)
        var lastGapCustomer = [Int32](repeating: -1, count: productCount)
        var gapProduct: [Int32] = []
        var gapSeconds: [Int64] = []

        s.orderDay.withUnsafeBufferPointer { day in
        s.orderInstant.withUnsafeBufferPointer { instant in
        s.orderCustomer.withUnsafeBufferPointer { cust in
        s.orderLineStart.withUnsafeBufferPointer { ls in
        s.lineProduct.withUnsafeBufferPointer { lp in
        lastCustomer.withUnsafeMutableBufferPointer { lc in
        lastOrder.withUnsafeMutableBufferPointer { lo in
        lastInstant.withUnsafeMutableBufferPointer { li in
        gapCount.withUnsafeMutableBufferPointer { gc in
        customerCount.withUnsafeMutableBufferPointer { cc in
        lastGapCustomer.withUnsafeMutableBufferPointer { lg in
            for i in 0..<s.identifiedOrderCount {
                if day[i] >= end { continue }
                let c = cust[i], t = instant[i]
                let stamp = Int32(truncatingIfNeeded: i)
                for l in Int(ls[i])..<Int(ls[i + 1]) {
                    let p = Int(lp[l])
                    if lo[p] == stamp { continue }   // a product on two lines of one order counts once
                    if lc[p] == c {
                        gapProduct.append(Int32(p))
                        gapSeconds.append(t - li[p])
                        gc[p + 1] += 1
                        if lg[p] != c { lg[p] = c; cc[p] += 1 }
                    }
                    lc[p] = c
                    lo[p] = stamp
                    li[p] = t
                }
            }
        }}}}}}}}}}}

        // Group the gaps by product (counting sort), then take each product's median.
        for p in 0..<productCount { gapCount[p + 1] += gapCount[p] }
        var fill = gapCount
        var grouped = [Int64](repeating: 0, count: gapSeconds.count)
        for k in 0..<gapSeconds.count {
            let p = Int(gapProduct[k])
            grouped[Int(fill[p])] = gapSeconds[k]
            fill[p] += 1
        }
        let minimum = max(1, minGaps)
        var found: [Product] = []
        var withGaps = 0
        for p in 0..<productCount {
            let lo = Int(gapCount[p]), hi = Int(gapCount[p + 1])
            if hi > lo { withGaps += 1 }
            if hi - lo < minimum { continue }
            let medianDays = grouped.withUnsafeMutableBufferPointer {
                OrderStatistics.median(UnsafeMutableBufferPointer(rebasing: $0[lo..<hi]))!
            } / 86_400
            found.append(Product(rank: 0, productId: s.productIds[p], name: s.productNames[p], productIndex: p,
                                 gaps: hi - lo, customers: Int(customerCount[p]), medianDays: medianDays,
                                 reminderAfterDays: reminderAfterDays(medianDays: medianDays)))
        }
        let ranks = BestSellers.productRanks(s)
        found.sort { a, b in
            if a.gaps != b.gaps { return a.gaps > b.gaps }
            return ranks[a.productIndex] < ranks[b.productIndex]
        }
        for k in found.indices { found[k].rank = k + 1 }
        return PurchaseCycles(asOf: asOf, timeZone: timeZone, minGaps: minimum, productsWithGaps: withGaps, products: found)
    }
}
