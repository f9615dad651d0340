import Testing
@testable import ClienteleCore

/// Selection, medians and quintile scores against naive re-implementations that sort.
@Suite struct OrderStatisticsTests {
    /// Deterministic pseudo-random values in 0..<spread (small spreads give many ties).
    static func values(count: Int, spread: UInt64, seed: UInt64) -> ContiguousArray<Int64> {
        var state = seed
        return ContiguousArray((0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int64((state >> 33) % spread) - Int64(spread / 2)
        })
    }

    static let cases: [(Int, UInt64)] = [(0, 5), (1, 5), (2, 5), (3, 1), (17, 3), (100, 1000), (1000, 7), (5000, 1 << 40)]

    @Test(arguments: 0..<cases.count)
    func selectPutsEveryPositionsValueInPlace(_ index: Int) {
        let (count, spread) = Self.cases[index]
        let original = Self.values(count: count, spread: spread, seed: UInt64(index + 1))
        let sorted = original.sorted()
        for k in stride(from: 0, to: count, by: max(1, count / 13)) {
            var work = original
            OrderStatistics.select(&work, k)
            #expect(work[k] == sorted[k])
            #expect(work[..<k].allSatisfy { $0 <= work[k] })
            #expect(work[(k + 1)...].allSatisfy { $0 >= work[k] })
            #expect(work.sorted() == sorted)   // a permutation
        }
    }

    @Test(arguments: 0..<cases.count)
    func medianAndKthLargestMatchASort(_ index: Int) {
        let (count, spread) = Self.cases[index]
        let original = Self.values(count: count, spread: spread, seed: UInt64(index + 11))
        let sorted = original.sorted()
        var work = original
        let median = OrderStatistics.median(&work)
        if count == 0 {
            #expect(median == nil)
        } else {
            // Naive: middle value, or the mean of the middle two.
            let expected = count % 2 == 1 ? Double(sorted[count / 2]) : (Double(sorted[count / 2 - 1]) + Double(sorted[count / 2])) / 2
            #expect(median == expected)
            for k in [1, (count + 1) / 2, count] {
                var w = original
                #expect(OrderStatistics.kthLargest(&w, k) == sorted[count - k])
            }
        }
    }

    @Test(arguments: 0..<cases.count)
    func quintileScoresAreOnePlusFiveTimesTheShareStrictlyBelow(_ index: Int) {
        let (count, spread) = Self.cases[index]
        let original = Self.values(count: count, spread: spread, seed: UInt64(index + 21))
        let scores = OrderStatistics.quintileScores(original)
        // Naive: count the values strictly below each value.
        for (i, v) in original.enumerated() {
            let below = original.reduce(0) { $0 + ($1 < v ? 1 : 0) }
            #expect(Int(scores[i]) == 1 + 5 * below / count)
        }
        #expect(scores.count == count)
    }

    @Test func quintilesOfTenDistinctValuesAreTwoPerScore() {
        // 10 values: a = 0…9 strictly below, 1 + ⌊5a ÷ 10⌋ = 1,1,2,2,3,3,4,4,5,5.
        let scores = OrderStatistics.quintileScores([50, 10, 90, 30, 70, 20, 100, 40, 60, 80])
        #expect(Array(scores) == [3, 1, 5, 2, 4, 1, 5, 2, 3, 4])
    }

    @Test func aTiedBlockStaysInTheScoreWhereItStarts() {
        // Six 1s (a = 0 → 1), then 2 (a = 6 → 1 + 30/8 = 4), then 3 (a = 7 → 1 + 35/8 = 5).
        let scores = OrderStatistics.quintileScores([1, 1, 1, 1, 1, 1, 2, 3])
        #expect(Array(scores) == [1, 1, 1, 1, 1, 1, 4, 5])
    }
}
