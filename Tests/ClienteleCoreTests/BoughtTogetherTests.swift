import Testing
@testable import ClienteleCore

/// METRICS.md, "Bought together" and "Details that are easy to get wrong": support count, support,
/// confidence both ways and lift on a small basket set counted by hand, and a naive re-implementation on
/// random shops.
@Suite struct BoughtTogetherTests {
    typealias F = Fixture

    static func lines(_ products: String...) -> [OrderLine] {
        products.map { OrderLine(productId: $0, productName: "Name " + $0, quantity: 1, unitPrice: 1_000) }
    }

    /// Six orders in January 2025 (UTC), products first seen in the order C, B, A, D so that the dense ids
    /// do not follow the id order:
    /// O1 {A, B, C}, O2 {A, B}, O3 {A, C}, O4 {B, C, D}, O5 {A, B} with A on two lines, O6 {D} anonymous;
    /// plus a cancelled order and an order in February, which count nowhere.
    static let baskets: [Order] = [
        F.order("O1", "2025-01-02T10:00:00Z", customer: "X", lines: lines("C", "B", "A")),
        F.order("O2", "2025-01-03T10:00:00Z", customer: "Y", lines: lines("A", "B")),
        F.order("O3", "2025-01-04T10:00:00Z", customer: "X", lines: lines("A", "C")),
        F.order("O4", "2025-01-05T10:00:00Z", email: "z@shop.dk", lines: lines("B", "C", "D")),
        F.order("O5", "2025-01-06T10:00:00Z", customer: "Y", lines: lines("A", "B", "A")),
        F.order("O6", "2025-01-07T10:00:00Z", lines: lines("D")),
        F.order("O7", "2025-01-08T10:00:00Z", customer: "X", cancelled: true, lines: lines("A", "D")),
        F.order("O8", "2025-02-01T10:00:00Z", customer: "X", lines: lines("A", "D")),
    ]
    static let january = Period(from: F.date("2025-01-01"), through: F.date("2025-01-31"))

    static func compute(minSupportCount: Int = 1, top: Int = 0, product: String? = nil) -> BoughtTogether {
        let snapshot = ShopSnapshot(orders: baskets, calendar: .utc, currency: F.dkk)
        return BoughtTogether.compute(snapshot: snapshot, period: january, asOf: F.date("2025-01-31"), timeZone: "UTC",
                                      minSupportCount: minSupportCount, top: top, product: product)
    }

    @Test func supportConfidenceAndLiftOnAWrittenOutBasketSet() {
        let r = Self.compute()
        // N = 6 orders; orders with A: O1 O2 O3 O5 = 4 (O5 once), B: O1 O2 O4 O5 = 4, C: O1 O3 O4 = 3, D: O4 O6 = 2.
        #expect(r.orders == 6)
        #expect(r.products == 4)
        // Pairs: AB in O1 O2 O5 = 3; AC in O1 O3 = 2; BC in O1 O4 = 2; BD in O4 = 1; CD in O4 = 1; AD never.
        // Listed by support count desc, then ids ascending.
        #expect(r.pairs.map { $0.productA + $0.productB } == ["AB", "AC", "BC", "BD", "CD"])
        #expect(r.pairs.map(\.supportCount) == [3, 2, 2, 1, 1])
        #expect(r.pairCount == 5)
        let ab = r.pairs[0]
        #expect(ab.support == 3.0 / 6)                      // 0.5
        #expect(ab.ordersWithA == 4 && ab.ordersWithB == 4)
        #expect(ab.confidenceAB == 0.75 && ab.confidenceBA == 0.75)
        #expect(ab.lift == 1.125)                           // 0.75 ÷ (4/6) = 3·6 / (4·4)
        #expect(ab.nameA == "Name A" && ab.nameB == "Name B")
        let ac = r.pairs[1]
        #expect(ac.confidenceAB == 0.5)                     // 2/4
        #expect(abs(ac.confidenceBA - 2.0 / 3) < 1e-15)     // 2/3
        #expect(abs(ac.lift - 1.0) < 1e-15)                 // 2·6 / (4·3)
        let bd = r.pairs[3]
        #expect(bd.confidenceAB == 0.25 && bd.confidenceBA == 0.5)   // 1/4 and 1/2
        #expect(bd.lift == 0.75)                                      // 1·6 / (4·2)
    }

    @Test func aProductOnTwoLinesOfOneOrderCountsOnce() {
        let orders = [F.order("1", "2025-01-02T10:00:00Z", customer: "X", lines: Self.lines("A", "A", "B", "A"))]
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let r = BoughtTogether.compute(snapshot: snapshot, period: Self.january, asOf: F.date("2025-01-31"),
                                       timeZone: "UTC", minSupportCount: 1, top: 0)
        // One order with A and B: one pair AB with support count 1, no pair of A with itself.
        #expect(r.pairs.count == 1)
        #expect(r.pairs[0].productA == "A" && r.pairs[0].productB == "B")
        #expect(r.pairs[0].supportCount == 1 && r.pairs[0].ordersWithA == 1 && r.pairs[0].lift == 1)
    }

    @Test func minimumSupportAndTopShortenTheListWithTiesByIds() {
        // Min support 2: AB (3), AC (2), BC (2); top 2 keeps AB and AC (AC before BC by product A's id).
        let r = Self.compute(minSupportCount: 2, top: 2)
        #expect(r.pairs.map { $0.productA + $0.productB } == ["AB", "AC"])
        #expect(r.pairs.map(\.rank) == [1, 2])
        #expect(r.pairCount == 3)
        #expect(r.frequentProducts == 4)   // A 4, B 4, C 3, D 2 orders: all ≥ 2
        // Min support 3: only AB; D (2 orders) is dropped before pairing.
        let r3 = Self.compute(minSupportCount: 3)
        #expect(r3.pairs.map { $0.productA + $0.productB } == ["AB"])
        #expect(r3.frequentProducts == 3)
    }

    @Test func oneProductListsWhatIsBoughtWithIt() {
        // With A: B in 3 orders, C in 2; A is always productA.
        let a = Self.compute(product: "A")
        #expect(a.focus == .init(productId: "A", name: "Name A", orders: 4))
        #expect(a.pairs.map { $0.productA + $0.productB } == ["AB", "AC"])
        #expect(a.pairs[1].confidenceAB == 0.5)   // 2 of A's 4 orders have C
        // With D (2 orders): B and C once each (O4), B before C; confidence D → B = 1/2, B → D = 1/4.
        let d = Self.compute(product: "D")
        #expect(d.pairs.map { $0.productA + $0.productB } == ["DB", "DC"])
        #expect(d.pairs[0].confidenceAB == 0.5 && d.pairs[0].confidenceBA == 0.25)
        // Min support 2: nothing is bought with D twice.
        #expect(Self.compute(minSupportCount: 2, product: "D").pairs.isEmpty)
        // An unknown product: no pairs, and the focus says so.
        let x = Self.compute(product: "nope")
        #expect(x.pairs.isEmpty && x.focus?.orders == 0)
    }

    @Test func renderingsCarryEveryFigure() {
        let r = Self.compute(top: 1)
        #expect(r.csv() == "rank,product_a,name_a,product_b,name_b,support_count,support,orders_with_a,orders_with_b,confidence_a_b,confidence_b_a,lift\r\n"
            + "1,A,Name A,B,Name B,3,0.5,4,4,0.75,0.75,1.125\r\n")
        let json = r.json()
        #expect(json.contains("\"supportCount\": 3"))
        #expect(json.contains("\"lift\": 1.125"))
        let table = r.table(shopName: "Shop", locale: "en_US")
        #expect(table.contains("A Name A"))
        #expect(table.contains("1.13"))   // lift with two decimals
    }

    // MARK: Against a naive re-implementation

    /// Pairs counted the obvious way: a set of products per order, every pair of the set into a dictionary.
    static func naive(_ orders: [Order], period: Period, minSupport: Int, product: String?)
        -> [(a: String, b: String, count: Int, na: Int, nb: Int, n: Int)] {
        var productOrders: [String: Int] = [:]
        var pairCounts: [String: [String: Int]] = [:]
        var n = 0
        for o in orders where !o.isCancelled {
            let day = Int(o.placedAt.seconds / 86_400)   // UTC shop, instants after 1970
            guard day >= period.start.dayNumber && day < period.end.dayNumber else { continue }
            n += 1
            let set = Set(o.lines.map(\.productId))
            for p in set { productOrders[p, default: 0] += 1 }
            let sorted = set.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            for i in sorted.indices { for j in sorted.indices where j > i { pairCounts[sorted[i], default: [:]][sorted[j], default: 0] += 1 } }
        }
        var out: [(a: String, b: String, count: Int, na: Int, nb: Int, n: Int)] = []
        for (a, row) in pairCounts {
            for (b, c) in row where c >= minSupport {
                if let product {
                    if a == product { out.append((a, b, c, productOrders[a]!, productOrders[b]!, n)) }
                    if b == product { out.append((b, a, c, productOrders[b]!, productOrders[a]!, n)) }
                } else {
                    out.append((a, b, c, productOrders[a]!, productOrders[b]!, n))
                }
            }
        }
        out.sort { x, y in
            if x.count != y.count { return x.count > y.count }
            if x.a != y.a { return x.a < y.a }
            return x.b < y.b
        }
        return out
    }

    @Test(arguments: 0..<40)
    func matchesANaiveCountOnRandomShops(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &+ 7_001)
        let productCount = rng.int(2..<40)
        let products = (0..<productCount).map { "P" + String(rng.int(0..<60)) + "-" + String($0) }
        var orders: [Order] = []
        for i in 0..<rng.int(0..<120) {
            // Mostly small baskets with repeats; now and then a 200-line order.
            let size = rng.chance(0.03) ? 200 : rng.int(1..<9)
            let lines = (0..<size).map { _ in
                OrderLine(productId: rng.pick(Array(products.prefix(max(2, productCount / (rng.chance(0.5) ? 3 : 1))))),
                          quantity: 1, unitPrice: 100)
            }
            let t = Int64(ShopDate(iso: "2025-01-01")!.dayNumber + rng.int(0..<60)) * 86_400 + Int64(rng.int(0..<86_400))
            orders.append(Order(id: "o\(i)", placedAt: Instant(seconds: t), customerId: rng.chance(0.7) ? "c\(rng.int(0..<20))" : nil,
                                email: nil, status: rng.chance(0.1) ? .cancelled : .placed, currency: F.dkk,
                                total: 100, refunded: 0, lines: lines))
        }
        let period = Period(from: F.date("2025-01-10"), through: F.date("2025-02-20"))
        let snapshot = ShopSnapshot(orders: orders, calendar: .utc, currency: F.dkk)
        let minSupport = rng.int(1..<4)
        let product: String? = rng.chance(0.3) ? rng.pick(products) : nil
        let r = BoughtTogether.compute(snapshot: snapshot, period: period, asOf: period.lastDay, timeZone: "UTC",
                                       minSupportCount: minSupport, top: 0, product: product)
        let expected = Self.naive(orders, period: period, minSupport: minSupport, product: product)
        #expect(r.pairs.count == expected.count)
        for (got, want) in zip(r.pairs, expected) {
            #expect(got.productA == want.a && got.productB == want.b && got.supportCount == want.count)
            #expect(got.ordersWithA == want.na && got.ordersWithB == want.nb)
            #expect(abs(got.support - Double(want.count) / Double(want.n)) < 1e-12)
            #expect(abs(got.confidenceAB - Double(want.count) / Double(want.na)) < 1e-12)
            #expect(abs(got.confidenceBA - Double(want.count) / Double(want.nb)) < 1e-12)
            #expect(abs(got.lift - Double(want.count) * Double(want.n) / Double(want.na * want.nb)) < 1e-9)
        }
        // A shortened list is the head of the full one.
        let top = rng.int(1..<6)
        let short = BoughtTogether.compute(snapshot: snapshot, period: period, asOf: period.lastDay, timeZone: "UTC",
                                           minSupportCount: minSupport, top: top, product: product)
        #expect(short.pairs.map { $0.productA + "|" + $0.productB } == Array(r.pairs.prefix(top)).map { $0.productA + "|" + $0.productB })
    }
}
