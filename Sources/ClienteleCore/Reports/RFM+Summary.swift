extension RFM {
    /// The RFM page: score ranges, the R × FM grid and the named segments.
    public struct Summary: Sendable, Equatable {
        /// Customers scored.
        public var customers: Int
        /// Their revenue up to the as-of date.
        public var revenue: Money
        /// For R, F and M (in that order), each score 1–5: customers and the range of values it covers.
        public var scoreRanges: [[ScoreRange]]
        /// `grid[r − 1][fm − 1]`: customers and revenue with R score `r` and FM score `fm`.
        public var grid: [[GridCell]]
        /// Every named segment, in `Segment.allCases` order (empty ones included).
        public var segments: [SegmentFigures]
    }

    /// The customers with one score and the values they have (recency in days, orders, revenue in minor units).
    public struct ScoreRange: Sendable, Equatable {
        /// The score, 1–5.
        public var score: Int
        /// Customers with that score.
        public var customers: Int
        /// Smallest value among them; `nil` without customers.
        public var minimum: Int64?
        /// Largest value among them; `nil` without customers.
        public var maximum: Int64?
    }

    /// One cell of the R × FM grid.
    public struct GridCell: Sendable, Equatable {
        /// Customers in the cell.
        public var customers: Int
        /// Their revenue up to the as-of date.
        public var revenue: Money
    }

    /// One segment's figures.
    public struct SegmentFigures: Sendable, Equatable {
        /// The segment.
        public var segment: Segment
        /// Customers in it.
        public var customers: Int
        /// Customers ÷ scored customers; `nil` without scored customers.
        public var share: Double?
        /// Their revenue up to the as-of date.
        public var revenue: Money
        /// Revenue ÷ all scored customers' revenue; `nil` when that is 0.
        public var revenueShare: Double?
        /// Mean days since the last order; `nil` for an empty segment.
        public var averageRecencyDays: Double?
        /// Mean orders; `nil` for an empty segment.
        public var averageOrders: Double?
        /// Mean revenue per customer, rounded to minor units halves away from zero; `nil` for an empty segment.
        public var averageRevenue: Money?
    }

    /// The score ranges, the R × FM grid and the segments, in one pass over the customers.
    public func summary() -> Summary {
        // Score ranges of R, F and M, flattened: index k × 5 + score − 1.
        var rangeCount = [Int](repeating: 0, count: 15)
        var rangeMin = [Int64](repeating: .max, count: 15)
        var rangeMax = [Int64](repeating: .min, count: 15)
        func note(_ slot: Int, _ v: Int64) {
            rangeCount[slot] += 1
            if v < rangeMin[slot] { rangeMin[slot] = v }
            if v > rangeMax[slot] { rangeMax[slot] = v }
        }
        var gridCount = [Int](repeating: 0, count: 25)
        var gridRevenue = [Int64](repeating: 0, count: 25)
        let segments = Segment.allCases
        var segIndex: [Segment: Int] = [:]
        for (i, sg) in segments.enumerated() { segIndex[sg] = i }
        // The segment of each (R, FM) pair, looked up instead of recomputed per customer.
        var segmentOf = [Int](repeating: 0, count: 25)
        for r in 1...5 { for fm in 1...5 { segmentOf[(r - 1) * 5 + fm - 1] = segIndex[Self.segment(recency: r, frequencyMonetary: fm)]! } }
        var segCount = [Int](repeating: 0, count: segments.count)
        var segRevenue = [Int64](repeating: 0, count: segments.count)
        var segRecency = [Int64](repeating: 0, count: segments.count)
        var segOrders = [Int64](repeating: 0, count: segments.count)
        var total: Int64 = 0
        for c in 0..<recencyScore.count {
            let r = Int(recencyScore[c])
            if r == 0 { continue }
            let f = Int(frequencyScore[c]), m = Int(monetaryScore[c])
            note(r - 1, Int64(recencyDays[c]))
            note(5 + f - 1, Int64(frequency[c]))
            note(10 + m - 1, monetary[c])
            let fm = (f + m + 1) / 2
            let cell = (r - 1) * 5 + fm - 1
            gridCount[cell] += 1
            gridRevenue[cell] += monetary[c]
            let sg = segmentOf[cell]
            segCount[sg] += 1
            segRevenue[sg] += monetary[c]
            segRecency[sg] += Int64(recencyDays[c])
            segOrders[sg] += Int64(frequency[c])
            total += monetary[c]
        }
        func money(_ m: Int64) -> Money { Money(minorUnits: m, currency: currency) }
        let n = scoredCustomers
        return Summary(
            customers: n, revenue: money(total),
            scoreRanges: (0..<3).map { k in
                (0..<5).map { i in
                    let count = rangeCount[k * 5 + i]
                    return ScoreRange(score: i + 1, customers: count, minimum: count == 0 ? nil : rangeMin[k * 5 + i],
                                      maximum: count == 0 ? nil : rangeMax[k * 5 + i])
                }
            },
            grid: (0..<5).map { r in (0..<5).map { fm in GridCell(customers: gridCount[r * 5 + fm], revenue: money(gridRevenue[r * 5 + fm])) } },
            segments: segments.enumerated().map { i, sg in
                let count = segCount[i]
                return SegmentFigures(segment: sg, customers: count, share: n == 0 ? nil : Double(count) / Double(n),
                                      revenue: money(segRevenue[i]),
                                      revenueShare: total == 0 ? nil : Double(segRevenue[i]) / Double(total),
                                      averageRecencyDays: count == 0 ? nil : Double(segRecency[i]) / Double(count),
                                      averageOrders: count == 0 ? nil : Double(segOrders[i]) / Double(count),
                                      averageRevenue: Money.roundedQuotient(segRevenue[i], Int64(count)).map(money))
            })
    }
}
