import Testing
@testable import ClienteleCore

/// METRICS.md, "Cohorts and RFM": quintile scores with ties, the segment mapping and a small shop scored by hand.
@Suite struct RFMTests {
    typealias F = Fixture

    /// An independent naive scoring: for each value, count the values strictly below it by a full scan.
    static func naive(_ values: [Int64]) -> [UInt8] {
        values.map { v in UInt8(1 + 5 * values.filter { $0 < v }.count / values.count) }
    }

    @Test func distinctValuesAreCutIntoFiveEqualGroups() {
        // 10 values: two per score.
        #expect(Array(RFM.quintileScores((1...10).map(Int64.init))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        // 7 values: a = 0…6 → 1 + ⌊5a ÷ 7⌋ = 1, 1, 2, 3, 3, 4, 5.
        #expect(Array(RFM.quintileScores([70, 10, 20, 30, 40, 50, 60])) == [5, 1, 1, 2, 3, 3, 4])
    }

    @Test func tiesShareAScore() {
        // Sorted: 1, 2, 3, 3, 5, 5, 5, 5, 9, 10. Values below: 1 → 0, 2 → 1, 3 → 2, 5 → 4, 9 → 8, 10 → 9.
        // Scores 1 + ⌊5a ÷ 10⌋: 1 → 1, 2 → 1, 3 → 2, 5 → 3, 9 → 5, 10 → 5.
        let values: [Int64] = [5, 5, 5, 5, 1, 2, 3, 3, 9, 10]
        #expect(Array(RFM.quintileScores(values)) == [3, 3, 3, 3, 1, 1, 2, 2, 5, 5])
        // A block of 7 equal lowest values out of 10 stays whole in score 1; the next starts at position 7 → 4.
        #expect(Array(RFM.quintileScores([1, 1, 1, 1, 1, 1, 1, 2, 2, 3])) == [1, 1, 1, 1, 1, 1, 1, 4, 4, 5])
        // All equal: everyone scores 1.
        #expect(Array(RFM.quintileScores([7, 7, 7])) == [1, 1, 1])
        #expect(RFM.quintileScores([Int64]()).isEmpty)
    }

    /// Both ways of finding the cuts: counting (every value within 2^16 of the smallest, as recency days and
    /// order counts are; here negative too, as the recency goodness is) and selection (a wider span, as money
    /// is), each against the naive count.
    @Test(arguments: [Int64(50), Int64(1 << 16), Int64(1 << 16) + 1, Int64(1) << 40])
    func countingAndSelectionGiveTheNaiveScores(span: Int64) {
        var generator = SplitMix64(seed: 0x1234_5678)
        for n in [1, 7, 500] {
            var values = (0..<n).map { _ in -Int64(generator.next() % UInt64(span)) }
            if n > 1 { values[0] = 0; values[1] = -(span - 1) }   // the span exactly
            #expect(Array(RFM.quintileScores(values)) == Self.naive(values), "span \(span), n \(n)")
            let counted = OrderStatistics.smallRangeOrderStatistics(ContiguousArray(values), ranks: [1, n])
            // Values run from -(span - 1) to 0: counted while span - 1 < 2^16.
            if n > 1 && span - 1 >= OrderStatistics.countingSpan {
                #expect(counted == nil, "a span of \(span) is selected, not counted")
            } else {
                #expect(counted == [values.min()!, values.max()!])
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 11, 37, 100])
    func scoresMatchANaiveCountWithManyTies(n: Int) {
        // Values with deliberate ties (i² mod 7), checked against the naive re-implementation; ties share
        // scores and every group is no larger than ties force.
        let values = (0..<n).map { Int64($0 * $0 % 7) }
        let scores = Array(RFM.quintileScores(values))
        #expect(scores == Self.naive(values))
        for i in 0..<n { for j in 0..<n where values[i] == values[j] { #expect(scores[i] == scores[j]) } }
        for i in 0..<n { for j in 0..<n where values[i] < values[j] { #expect(scores[i] <= scores[j]) } }
        #expect(scores.min() == 1)
    }

    @Test func segmentMapping() {
        // The documented R × FM table, row by row (R 5 down to R 1, FM 1 to 5).
        let table: [[RFM.Segment]] = [
            [.new, .potentialLoyalists, .potentialLoyalists, .champions, .champions],
            [.promising, .potentialLoyalists, .potentialLoyalists, .loyal, .loyal],
            [.aboutToSleep, .aboutToSleep, .needAttention, .loyal, .loyal],
            [.hibernating, .hibernating, .atRisk, .atRisk, .cantLoseThem],
            [.lost, .lost, .atRisk, .atRisk, .cantLoseThem],
        ]
        for (row, r) in (1...5).reversed().enumerated() {
            for fm in 1...5 { #expect(RFM.segment(recency: r, frequencyMonetary: fm) == table[row][fm - 1], "R \(r) FM \(fm)") }
        }
        // Every named segment is reachable.
        #expect(Set(table.flatMap { $0 }) == Set(RFM.Segment.allCases))
        // FM = ⌈(F + M) ÷ 2⌉.
        #expect(RFM.Score(recency: 1, frequency: 1, monetary: 2).frequencyMonetary == 2)
        #expect(RFM.Score(recency: 1, frequency: 4, monetary: 5).frequencyMonetary == 5)
        #expect(RFM.Score(recency: 1, frequency: 3, monetary: 3).frequencyMonetary == 3)
    }

    /// As of 2025-03-31 (UTC), five customers:
    /// - A: 3 orders, last 31 Mar (0 days), 300.00.  - B: 1 order 30 Mar (1 day), 50.00.
    /// - C: 2 orders, last 1 Mar (30 days), 500.00.  - D: 1 order 1 Jan (89 days), 20.00, plus one on 5 Apr (after: ignored).
    /// - E: 1 order 1 Mar (30 days), 10.00.  - G: only after the as-of date: unscored.  - a cancelled order of B: ignored.
    static let shop: [Order] = [
        F.order("a1", "2025-01-10T10:00:00Z", customer: "A", total: "100.00"),
        F.order("a2", "2025-02-10T10:00:00Z", customer: "A", total: "100.00"),
        F.order("a3", "2025-03-31T10:00:00Z", customer: "A", total: "100.00"),
        F.order("b1", "2025-03-30T10:00:00Z", customer: "B", total: "50.00"),
        F.order("b2", "2025-03-31T11:00:00Z", customer: "B", total: "999.00", cancelled: true),
        F.order("c1", "2025-02-01T10:00:00Z", customer: "C", total: "250.00"),
        F.order("c2", "2025-03-01T10:00:00Z", customer: "C", total: "250.00"),
        F.order("d1", "2025-01-01T10:00:00Z", customer: "D", total: "20.00"),
        F.order("d2", "2025-04-05T10:00:00Z", customer: "D", total: "20.00"),
        F.order("e1", "2025-03-01T12:00:00Z", customer: "E", total: "10.00"),
        F.order("g1", "2025-04-02T10:00:00Z", customer: "G", total: "10.00"),
        F.order("x1", "2025-03-15T10:00:00Z", total: "10.00"),
    ]

    @Test func customersScoredByHand() {
        let snapshot = ShopSnapshot(orders: Self.shop, calendar: .utc, currency: F.dkk)
        let rfm = RFM.compute(snapshot: snapshot, asOf: F.date("2025-03-31"), currency: F.dkk)
        let id = { (key: String) in snapshot.customer(withKey: key)! }
        #expect(rfm.scoredCustomers == 5)
        #expect(rfm.score(ofCustomer: id("G")) == nil)
        #expect(rfm.segment(ofCustomer: id("G")) == nil)
        #expect([id("A"), id("B"), id("C"), id("D"), id("E")].map { rfm.recencyDays[$0] } == [0, 1, 30, 89, 30])
        #expect(rfm.frequency[id("D")] == 1)
        #expect(rfm.monetary[id("C")] == 50_000)
        // Recency (higher is better: −days): D −89 (a 0), C and E −30 (a 1, tied), B −1 (a 3), A 0 (a 4).
        // R = 1 + ⌊5a ÷ 5⌋: D 1, C 2, E 2, B 4, A 5.
        // Frequency: B, D, E 1 (a 0 → 1), C 2 (a 3 → 4), A 3 (a 4 → 5).
        // Monetary: E 10 (1), D 20 (2), B 50 (3), A 300 (4), C 500 (5).
        let expected: [String: (Int, Int, Int, RFM.Segment)] = [
            // FM = ⌈(F + M) ÷ 2⌉: A ⌈9/2⌉ = 5 → R 5 FM 5 Champions.
            "A": (5, 5, 4, .champions),
            // B: FM ⌈4/2⌉ = 2, R 4 → Potential loyalists.
            "B": (4, 1, 3, .potentialLoyalists),
            // C: FM ⌈9/2⌉ = 5, R 2 → Can't lose them.
            "C": (2, 4, 5, .cantLoseThem),
            // D: FM ⌈3/2⌉ = 2, R 1 → Lost.
            "D": (1, 1, 2, .lost),
            // E: FM 1, R 2 → Hibernating.
            "E": (2, 1, 1, .hibernating),
        ]
        for (key, e) in expected {
            let s = rfm.score(ofCustomer: id(key))
            #expect(s?.recency == e.0, "\(key)")
            #expect(s?.frequency == e.1, "\(key)")
            #expect(s?.monetary == e.2, "\(key)")
            #expect(s?.segment == e.3, "\(key)")
        }
        let summary = rfm.summary()
        #expect(summary.customers == 5)
        // 300 + 50 + 500 + 20 + 10 = 880.00.
        #expect(summary.revenue == F.money(88_000))
        // Grid: A at R5 FM5, C at R2 FM5.
        #expect(summary.grid[4][4].customers == 1 && summary.grid[4][4].revenue == F.money(30_000))
        #expect(summary.grid[1][4].customers == 1)
        #expect(summary.grid.flatMap { $0 }.map(\.customers).reduce(0, +) == 5)
        let champions = summary.segments.first { $0.segment == .champions }!
        #expect(champions.customers == 1 && champions.share == 0.2 && champions.averageOrders == 3)
        // Recency score 2 holds C and E, both 30 days; frequency score 1 holds B, D, E with 1 order.
        #expect(summary.scoreRanges[0][1] == RFM.ScoreRange(score: 2, customers: 2, minimum: 30, maximum: 30))
        #expect(summary.scoreRanges[1][0] == RFM.ScoreRange(score: 1, customers: 3, minimum: 1, maximum: 1))
        #expect(summary.scoreRanges[1][1].customers == 0 && summary.scoreRanges[1][1].minimum == nil)
        let csv = rfm.csv(snapshot: snapshot).split(separator: "\r\n").map(String.init)
        #expect(csv[0] == "customer,email,recency_days,frequency,monetary,r,f,m,fm,segment,last_order")
        #expect(csv[1] == "A,,0,3,300.00,5,5,4,5,Champions,2025-03-31T10:00:00+00:00")
        #expect(csv.count == 6)
        #expect(rfm.json(timeZone: "UTC").contains("\"segment\": \"Can't lose them\""))
        #expect(rfm.table(shopName: "S", locale: "en_US").contains("Champions"))
    }
}
