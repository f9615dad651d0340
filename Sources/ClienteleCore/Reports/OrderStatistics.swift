/// Order statistics in linear time (quickselect), for medians, cut points and quintiles over whole-shop
/// columns without sorting them.
public enum OrderStatistics {
    /// Reorders `values` so that `values[k]` is the value a full ascending sort would put there, everything
    /// before it is ≤ it and everything after it ≥ it; only `range` (which must contain `k`) is touched.
    /// Expected O(range.count): median-of-three pivots with a three-way partition (fast on many ties).
    public static func select(_ values: inout ContiguousArray<Int64>, _ k: Int, in range: Range<Int>? = nil) {
        let whole = range ?? 0..<values.count
        values.withUnsafeMutableBufferPointer { select($0, k, in: whole) }
    }

    /// `select` over an `Array`.
    public static func select(_ values: inout [Int64], _ k: Int, in range: Range<Int>? = nil) {
        let whole = range ?? 0..<values.count
        values.withUnsafeMutableBufferPointer { select($0, k, in: whole) }
    }

    /// `select` over a buffer.
    public static func select(_ b: UnsafeMutableBufferPointer<Int64>, _ k: Int, in range: Range<Int>) {
        precondition(range.contains(k), "k must be inside the range")
        var lo = range.lowerBound, hi = range.upperBound - 1
        while hi - lo > 16 {
            let mid = lo + (hi - lo) >> 1
            // Median of three as the pivot.
            let x = b[lo], y = b[mid], z = b[hi]
            let pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y))
            // Dutch national flag: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                let v = b[i]
                if v < pivot {
                    b.swapAt(lt, i); lt += 1; i += 1
                } else if v > pivot {
                    b.swapAt(i, gt); gt -= 1
                } else {
                    i += 1
                }
            }
            if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return }
        }
        // Insertion sort of the small remainder.
        if hi > lo {
            for i in (lo + 1)...hi {
                let v = b[i]
                var j = i - 1
                while j >= lo && b[j] > v { b[j + 1] = b[j]; j -= 1 }
                b[j + 1] = v
            }
        }
    }

    /// The median of `values` (the mean of the middle two for an even count), reordering them; `nil` when empty.
    public static func median(_ values: inout ContiguousArray<Int64>) -> Double? {
        values.withUnsafeMutableBufferPointer { median($0) }
    }

    /// `median` over an `Array`.
    public static func median(_ values: inout [Int64]) -> Double? {
        values.withUnsafeMutableBufferPointer { median($0) }
    }

    /// `median` over a buffer (reordered).
    public static func median(_ b: UnsafeMutableBufferPointer<Int64>) -> Double? {
        let n = b.count
        if n == 0 { return nil }
        if n == 1 { return Double(b[0]) }
        if n == 2 { return (Double(b[0]) + Double(b[1])) / 2 }
        select(b, n / 2, in: 0..<n)
        if n % 2 == 1 { return Double(b[n / 2]) }
        // The largest of the lower half is the other middle value.
        var lower = b[0]
        for i in 1..<(n / 2) where b[i] > lower { lower = b[i] }
        return (Double(lower) + Double(b[n / 2])) / 2
    }

    /// The `k`-th largest of `values` (1-based), reordering them.
    public static func kthLargest(_ values: inout ContiguousArray<Int64>, _ k: Int) -> Int64 {
        values.withUnsafeMutableBufferPointer { kthLargest($0, k) }
    }

    /// `kthLargest` over an `Array`.
    public static func kthLargest(_ values: inout [Int64], _ k: Int) -> Int64 {
        values.withUnsafeMutableBufferPointer { kthLargest($0, k) }
    }

    /// `kthLargest` over a buffer (reordered).
    public static func kthLargest(_ b: UnsafeMutableBufferPointer<Int64>, _ k: Int) -> Int64 {
        precondition(k >= 1 && k <= b.count)
        let position = b.count - k
        select(b, position, in: 0..<b.count)
        return b[position]
    }

    /// The widest span of values counted in a table by `smallRangeOrderStatistics`.
    static let countingSpan: Int64 = 1 << 16

    /// The `ranks`-th smallest values (1-based, ascending ranks) by counting, when every value lies within
    /// `countingSpan` of the smallest (recency in days and order counts do): two passes and no copy of the
    /// values, against a copy and several partition passes for selection. `nil` for a wider span.
    static func smallRangeOrderStatistics(_ values: ContiguousArray<Int64>, ranks: [Int]) -> [Int64]? {
        guard let lo = values.min(), let hi = values.max() else { return nil }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, span < countingSpan else { return nil }
        var counts = [Int](repeating: 0, count: Int(span) + 1)
        values.withUnsafeBufferPointer { v in
            counts.withUnsafeMutableBufferPointer { c in
                for x in v { c[Int(x &- lo)] += 1 }
            }
        }
        var result: [Int64] = []
        var seen = 0
        var bucket = 0
        for rank in ranks {
            while seen + counts[bucket] < rank {
                seen += counts[bucket]
                bucket += 1
            }
            result.append(lo + Int64(bucket))
        }
        return result
    }

    /// Quintile scores 1–5 (METRICS.md, "RFM"): with `n` values and `a` of them strictly below `v`, the score of
    /// `v` is 1 + ⌊5a ÷ n⌋. Score ≥ s + 1 exactly when at least ⌈s·n ÷ 5⌉ values are below `v`, that is when
    /// `v` exceeds the ⌈s·n ÷ 5⌉-th smallest value; so four order statistics (found by selection, no sort)
    /// decide every score.
    public static func quintileScores(_ values: ContiguousArray<Int64>) -> ContiguousArray<UInt8> {
        let n = values.count
        var scores = ContiguousArray<UInt8>(repeating: 1, count: n)
        guard n > 0 else { return scores }
        let ranks = (1...4).map { ($0 * n + 4) / 5 }   // ⌈s·n ÷ 5⌉ ≥ 1
        let cuts = smallRangeOrderStatistics(values, ranks: ranks) ?? {
            var work = values
            var cuts: [Int64] = []
            var from = 0
            for m in ranks {
                select(&work, m - 1, in: from..<n)
                cuts.append(work[m - 1])
                from = m - 1
            }
            return cuts
        }()
        let c1 = cuts[0], c2 = cuts[1], c3 = cuts[2], c4 = cuts[3]
        values.withUnsafeBufferPointer { v in
            scores.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let x = v[i]
                    var score: UInt8 = 1
                    if x > c1 { score += 1 }
                    if x > c2 { score += 1 }
                    if x > c3 { score += 1 }
                    if x > c4 { score += 1 }
                    out[i] = score
                }
            }
        }
        return scores
    }
}
