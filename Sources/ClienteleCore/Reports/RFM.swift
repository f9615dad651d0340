/// RFM scores (METRICS.md, "Cohorts and RFM"): as of `D`, over the identified customers with an order up
/// to and including `D`, recency (whole shop days from the last order's date to `D`), frequency (orders)
/// and monetary value (gross revenue) are each scored 1–5 by quintile with ties sharing a score
/// (`quintileScores`); recency is scored so that the most recent get 5. Segments come from
/// `segment(recency:frequencyMonetary:)` on R and FM = ⌈(F + M) ÷ 2⌉.
///
/// The per-customer columns are indexed by the snapshot's dense customer id; a customer without an order
/// up to `D` has score 0 and no segment.
public struct RFM: Sendable, Equatable {
    /// The as-of date `D`.
    public var asOf: ShopDate
    /// The shop's reporting currency.
    public var currency: Currency
    /// Customers scored (with an order up to `D`).
    public var scoredCustomers: Int
    /// Days from each customer's last order (shop date) to `D`; -1 when unscored.
    public var recencyDays: ContiguousArray<Int32>
    /// Orders of each customer up to `D`.
    public var frequency: ContiguousArray<Int32>
    /// Gross revenue of each customer up to `D`, in minor units.
    public var monetary: ContiguousArray<Int64>
    /// Each customer's last order up to `D` (snapshot order index); -1 when unscored.
    public var lastOrder: ContiguousArray<Int32>
    /// R score 1–5 (5 = most recent); 0 when unscored.
    public var recencyScore: ContiguousArray<UInt8>
    /// F score 1–5 (5 = most orders); 0 when unscored.
    public var frequencyScore: ContiguousArray<UInt8>
    /// M score 1–5 (5 = most revenue); 0 when unscored.
    public var monetaryScore: ContiguousArray<UInt8>

    /// The named segments: a mapping of R × FM (see `segment(recency:frequencyMonetary:)`).
    public enum Segment: String, Sendable, Hashable, CaseIterable {
        /// R 5, FM 4–5.
        case champions = "Champions"
        /// R 3–4, FM 4–5.
        case loyal = "Loyal"
        /// R 4–5, FM 2–3.
        case potentialLoyalists = "Potential loyalists"
        /// R 5, FM 1.
        case new = "New"
        /// R 4, FM 1.
        case promising = "Promising"
        /// R 3, FM 3.
        case needAttention = "Need attention"
        /// R 3, FM 1–2.
        case aboutToSleep = "About to sleep"
        /// R 1–2, FM 3–4.
        case atRisk = "At risk"
        /// R 1–2, FM 5.
        case cantLoseThem = "Can't lose them"
        /// R 2, FM 1–2.
        case hibernating = "Hibernating"
        /// R 1, FM 1–2.
        case lost = "Lost"
    }

    /// One customer's scores.
    public struct Score: Sendable, Hashable {
        /// R, 1–5.
        public var recency: Int
        /// F, 1–5.
        public var frequency: Int
        /// M, 1–5.
        public var monetary: Int
        /// FM = ⌈(F + M) ÷ 2⌉.
        public var frequencyMonetary: Int { (frequency + monetary + 1) / 2 }
        /// The named segment of R × FM.
        public var segment: Segment { RFM.segment(recency: recency, frequencyMonetary: frequencyMonetary) }
    }

    /// The scores of customer `c` (dense id); `nil` when the customer has no order up to the as-of date.
    public func score(ofCustomer c: Int) -> Score? {
        let r = recencyScore[c]
        guard r > 0 else { return nil }
        return Score(recency: Int(r), frequency: Int(frequencyScore[c]), monetary: Int(monetaryScore[c]))
    }

    /// The segment of customer `c` (dense id); `nil` when the customer has no order up to the as-of date.
    public func segment(ofCustomer c: Int) -> Segment? { score(ofCustomer: c)?.segment }

    /// The segment of an R score and an FM score, both 1–5 (a common RFM mapping):
    ///
    ///     FM →   1               2                3                4          5
    ///     R 5    New             Potential loyal. Potential loyal. Champions  Champions
    ///     R 4    Promising       Potential loyal. Potential loyal. Loyal      Loyal
    ///     R 3    About to sleep  About to sleep   Need attention   Loyal      Loyal
    ///     R 2    Hibernating     Hibernating      At risk          At risk    Can't lose them
    ///     R 1    Lost            Lost             At risk          At risk    Can't lose them
    public static func segment(recency r: Int, frequencyMonetary fm: Int) -> Segment {
        switch r {
        case 5...:
            return fm >= 4 ? .champions : fm >= 2 ? .potentialLoyalists : .new
        case 4:
            return fm >= 4 ? .loyal : fm >= 2 ? .potentialLoyalists : .promising
        case 3:
            return fm >= 4 ? .loyal : fm == 3 ? .needAttention : .aboutToSleep
        default:
            if fm >= 5 { return .cantLoseThem }
            if fm >= 3 { return .atRisk }
            return r == 2 ? .hibernating : .lost
        }
    }

    /// Quintile scores 1–5 of `values` (higher value, higher score), ties sharing a score: with `n` values and
    /// `a` of them strictly lower than `v`, the score of `v` is 1 + ⌊5a ÷ n⌋. Without ties this cuts the
    /// ranking into five groups whose sizes differ by at most one; a tied block stays whole, in the group
    /// where it starts. The lowest value always scores 1.
    public static func quintileScores(_ values: some Collection<Int64>) -> ContiguousArray<UInt8> {
        // Four order statistics found by selection decide every score (no sort): see OrderStatistics.
        OrderStatistics.quintileScores(ContiguousArray(values))
    }

    /// Computes every customer's RFM scores as of `asOf`; a pure function of its arguments.
    public static func compute(snapshot s: ShopSnapshot, asOf: ShopDate, currency: Currency) -> RFM {
        let customers = s.customerCount
        let asOfDay = Int32(clamping: asOf.dayNumber)
        var recency = ContiguousArray<Int32>(repeating: -1, count: customers)
        var frequency = ContiguousArray<Int32>(repeating: 0, count: customers)
        var monetary = ContiguousArray<Int64>(repeating: 0, count: customers)
        var lastOrder = ContiguousArray<Int32>(repeating: -1, count: customers)
        // Goodness per scored customer, compacted: -recency, frequency, monetary.
        var rValues = ContiguousArray<Int64>(), fValues = ContiguousArray<Int64>(), mValues = ContiguousArray<Int64>()
        var scoredIds = ContiguousArray<Int32>()
        rValues.reserveCapacity(customers); fValues.reserveCapacity(customers)
        mValues.reserveCapacity(customers); scoredIds.reserveCapacity(customers)
        s.orderDay.withUnsafeBufferPointer { day in
        s.orderTotal.withUnsafeBufferPointer { total in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<customers {
                let lo = Int(start[c]), hi = Int(start[c + 1])
                var n: Int32 = 0
                var sum: Int64 = 0
                var last = -1
                for i in lo..<hi {
                    if day[i] > asOfDay { break }
                    n += 1
                    sum += total[i]
                    last = i
                }
                if n == 0 { continue }
                let r = asOfDay - day[last]
                recency[c] = r
                frequency[c] = n
                monetary[c] = sum
                lastOrder[c] = Int32(last)
                rValues.append(-Int64(r))
                fValues.append(Int64(n))
                mValues.append(sum)
                scoredIds.append(Int32(c))
            }
        }}}
        let rq = quintileScores(rValues), fq = quintileScores(fValues), mq = quintileScores(mValues)
        var rScore = ContiguousArray<UInt8>(repeating: 0, count: customers)
        var fScore = rScore, mScore = rScore
        for (j, c) in scoredIds.enumerated() {
            rScore[Int(c)] = rq[j]
            fScore[Int(c)] = fq[j]
            mScore[Int(c)] = mq[j]
        }
        return RFM(asOf: asOf, currency: currency, scoredCustomers: scoredIds.count, recencyDays: recency,
                   frequency: frequency, monetary: monetary, lastOrder: lastOrder,
                   recencyScore: rScore, frequencyScore: fScore, monetaryScore: mScore)
    }
}
