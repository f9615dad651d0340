/// Products bought together (METRICS.md, "Behaviour", "Bought together"): for each unordered pair of
/// distinct products in the same order, the orders with both (support count), support, confidence both ways
/// and lift, over the lines of the non-cancelled orders in a period, anonymous orders included.
///
/// Counting never materialises the cross product of all orders: each order's distinct products are
/// collected once; products in fewer than `minSupportCount` orders are dropped first (a pair can never be
/// more frequent than either of its products: the apriori rule), each order's remaining products are
/// sorted, and pairs are counted product by product in a dense accumulator over an inverted index
/// (product → orders). An order with `k` frequent distinct products costs `k(k − 1)/2` increments (an
/// order with 200 distinct frequent products: 19 900); no order is skipped or truncated.
public struct BoughtTogether: Sendable, Equatable {
    /// The as-of date the period was derived from.
    public var asOf: ShopDate
    /// The period `P`.
    public var period: Period
    /// The shop's IANA time zone.
    public var timeZone: String
    /// Orders in `P` (non-cancelled, anonymous included): the denominator of support.
    public var orders: Int
    /// Distinct products on those orders.
    public var products: Int
    /// Pairs (and products) in fewer orders than this are not counted.
    public var minSupportCount: Int
    /// Products in at least `minSupportCount` orders (the only ones that can be in a listed pair).
    public var frequentProducts: Int
    /// Distinct pairs with a support count ≥ `minSupportCount` (before `top` shortens the list).
    public var pairCount: Int
    /// The product whose companions are listed, when the report is for one product.
    public var focus: Focus?
    /// The pairs: support count desc, then product ids ascending; for one product, `productA` is it and
    /// the list is by support count desc, then the other product's id ascending.
    public var pairs: [Pair]

    /// The product a one-product report is about.
    public struct Focus: Sendable, Equatable {
        /// The shop's product id.
        public var productId: String
        /// The product's name.
        public var name: String
        /// Orders in `P` with it.
        public var orders: Int
    }

    /// One pair of products.
    public struct Pair: Sendable, Equatable {
        /// 1-based position in the list.
        public var rank: Int
        /// The first product's id (the smaller id, or the focus product).
        public var productA: String
        /// The first product's name.
        public var nameA: String
        /// The second product's id.
        public var productB: String
        /// The second product's name.
        public var nameB: String
        /// Orders with both (a product on two lines of one order counts once).
        public var supportCount: Int
        /// Support count ÷ orders.
        public var support: Double
        /// Orders with A.
        public var ordersWithA: Int
        /// Orders with B.
        public var ordersWithB: Int
        /// Confidence A → B: support count ÷ orders with A.
        public var confidenceAB: Double
        /// Confidence B → A: support count ÷ orders with B.
        public var confidenceBA: Double
        /// Lift: confidence A → B ÷ (orders with B ÷ orders).
        public var lift: Double
    }

    /// The dense index of the product with shop id `id`, `nil` when no line has it.
    public static func productIndex(snapshot s: ShopSnapshot, id: String) -> Int? {
        let target = Array(id.utf8)
        let o = s.productIds.offsets
        return s.productIds.bytes.withUnsafeBufferPointer { b -> Int? in
            for p in 0..<s.productIds.count {
                let lo = Int(o[p]), hi = Int(o[p + 1])
                if hi - lo != target.count { continue }
                var k = 0
                while k < target.count && b[lo + k] == target[k] { k += 1 }
                if k == target.count { return p }
            }
            return nil
        }
    }

    /// Computes the pairs bought together over `period` (METRICS.md, "Bought together"); a pure function of
    /// its arguments. `minSupportCount` (≥ 1) drops rarer pairs; `top` shortens the list (0: every pair);
    /// `product` (a shop product id) lists what is bought with that one product instead of every pair.
    public static func compute(snapshot s: ShopSnapshot, period: Period, asOf: ShopDate, timeZone: String,
                               minSupportCount: Int = 2, top: Int = 20, product: String? = nil) -> BoughtTogether {
        let minCount = Int32(clamping: max(1, minSupportCount))
        let counts = Counter(snapshot: s, period: period)
        let productCount = s.productIds.count
        let ranks = BestSellers.productRanks(s)

        // Apriori: only products in ≥ minCount orders can be in a pair with support ≥ minCount.
        var frequentByRank: [Int32] = []   // product ids of frequent products, in id order
        do {
            var byRank = [Int32](repeating: -1, count: productCount)
            for p in 0..<productCount where counts.productOrders[p] >= minCount { byRank[Int(ranks[p])] = Int32(p) }
            frequentByRank = byRank.filter { $0 >= 0 }
        }
        var frequentRank = [Int32](repeating: -1, count: productCount)
        for (r, p) in frequentByRank.enumerated() { frequentRank[Int(p)] = Int32(r) }

        var focusRank: Int32?
        var focus: Focus?
        if let product {
            if let p = productIndex(snapshot: s, id: product) {
                focus = Focus(productId: product, name: s.productNames[p], orders: Int(counts.productOrders[p]))
                focusRank = frequentRank[p] >= 0 ? frequentRank[p] : nil
            } else {
                focus = Focus(productId: product, name: "", orders: 0)
            }
            if focusRank == nil {
                return BoughtTogether(asOf: asOf, period: period, timeZone: timeZone, orders: counts.orders,
                                      products: counts.distinctProducts, minSupportCount: Int(minCount),
                                      frequentProducts: frequentByRank.count, pairCount: 0, focus: focus, pairs: [])
            }
        }

        let found = PairCounter.count(baskets: counts, frequentRank: frequentRank, frequentCount: frequentByRank.count,
                                      minCount: minCount, focus: focusRank, keep: max(0, top))

        // Order: support count desc, then (a, b) ascending by id (ranks follow id order); a kept top list
        // comes sorted already.
        var selected = Array(0..<found.count.count)
        if top <= 0 {
            selected.sort { x, y in
                if found.count[x] != found.count[y] { return found.count[x] > found.count[y] }
                if found.a[x] != found.a[y] { return found.a[x] < found.a[y] }
                return found.b[x] < found.b[y]
            }
        }

        let n = Double(counts.orders)
        let pairs: [Pair] = selected.enumerated().map { r, k in
            let pa = Int(frequentByRank[Int(found.a[k])]), pb = Int(frequentByRank[Int(found.b[k])])
            let c = Double(found.count[k])
            let na = Double(counts.productOrders[pa]), nb = Double(counts.productOrders[pb])
            return Pair(rank: r + 1, productA: s.productIds[pa], nameA: s.productNames[pa],
                        productB: s.productIds[pb], nameB: s.productNames[pb],
                        supportCount: Int(found.count[k]), support: c / n,
                        ordersWithA: Int(na), ordersWithB: Int(nb),
                        confidenceAB: c / na, confidenceBA: c / nb, lift: c * n / (na * nb))
        }
        return BoughtTogether(asOf: asOf, period: period, timeZone: timeZone, orders: counts.orders,
                              products: counts.distinctProducts, minSupportCount: Int(minCount),
                              frequentProducts: frequentByRank.count, pairCount: found.total,
                              focus: focus, pairs: pairs)
    }

    /// The orders in a period as baskets of distinct products, and each product's order count.
    struct Counter {
        /// Orders in the period.
        var orders = 0
        /// Products in at least one of them.
        var distinctProducts = 0
        /// Orders with each product.
        var productOrders: [Int32]
        /// `items[basketStart[k] ..< basketStart[k + 1]]` are basket `k`'s distinct products.
        var items: [Int32] = []
        /// Basket boundaries (one more than baskets).
        var basketStart: [Int32] = [0]

        init(snapshot s: ShopSnapshot, period: Period) {
            let productCount = s.productIds.count
            productOrders = [Int32](repeating: 0, count: productCount)
            guard !period.isEmpty else { return }
            let ps = Int32(clamping: period.start.dayNumber), pe = Int32(clamping: period.end.dayNumber)
            var seen = [Int32](repeating: -1, count: productCount)
            var items: [Int32] = []
            items.reserveCapacity(s.lineCount)
            var starts: [Int32] = [0]
            var n = 0
            s.orderDay.withUnsafeBufferPointer { day in
            s.orderLineStart.withUnsafeBufferPointer { ls in
            s.lineProduct.withUnsafeBufferPointer { lp in
            productOrders.withUnsafeMutableBufferPointer { po in
            seen.withUnsafeMutableBufferPointer { seen in
                for i in 0..<(ls.count - 1) {
                    let d = day[i]
                    if d < ps || d >= pe { continue }
                    n += 1
                    let stamp = Int32(truncatingIfNeeded: i)
                    for l in Int(ls[i])..<Int(ls[i + 1]) {
                        let p = Int(lp[l])
                        if seen[p] == stamp { continue }   // a product on two lines of one order counts once
                        seen[p] = stamp
                        po[p] += 1
                        items.append(Int32(p))
                    }
                    starts.append(Int32(truncatingIfNeeded: items.count))
                }
            }}}}}
            orders = n
            distinctProducts = productOrders.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
            self.items = items
            basketStart = starts
        }
    }

    /// Pair counting over the frequent products of each basket.
    enum PairCounter {
        /// Pairs `(a, b)` of frequent ranks with `a < b` (or `a` = the focus) and their support counts ≥ `minCount`.
        /// With `keep` > 0 only the best `keep` pairs (support count desc, then a, then b) are returned, the
        /// others are only counted in `total`; with `keep` = 0 every pair is returned.
        static func count(baskets: Counter, frequentRank: [Int32], frequentCount f: Int, minCount: Int32,
                          focus: Int32?, keep: Int) -> (a: [Int32], b: [Int32], count: [Int32], total: Int) {
            // Each basket reduced to its frequent products' ranks, sorted; baskets with < 2 of them dropped.
            var reduced: [Int32] = []
            reduced.reserveCapacity(baskets.items.count)
            var starts: [Int32] = [0]
            var buffer: [Int32] = []
            baskets.items.withUnsafeBufferPointer { items in
            frequentRank.withUnsafeBufferPointer { fr in
                let bs = baskets.basketStart
                for k in 0..<(bs.count - 1) {
                    buffer.removeAll(keepingCapacity: true)
                    for j in Int(bs[k])..<Int(bs[k + 1]) {
                        let r = fr[Int(items[j])]
                        if r >= 0 { buffer.append(r) }
                    }
                    if buffer.count < 2 { continue }
                    if buffer.count <= 16 {
                        // Insertion sort: most baskets hold a handful of products.
                        for x in 1..<buffer.count {
                            let v = buffer[x]
                            var y = x
                            while y > 0 && buffer[y - 1] > v { buffer[y] = buffer[y - 1]; y -= 1 }
                            buffer[y] = v
                        }
                    } else {
                        buffer.sort()
                    }
                    reduced.append(contentsOf: buffer)
                    starts.append(Int32(truncatingIfNeeded: reduced.count))
                }
            }}

            // Inverted index: for each rank a, the positions in `reduced` where it occurs (with its basket's
            // end), so a's pairs with later products are reduced[pos + 1 ..< end].
            var occurrences = [Int32](repeating: 0, count: f + 1)
            for k in 0..<(starts.count - 1) {
                let lo = Int(starts[k]), hi = Int(starts[k + 1])
                if let focus {
                    for j in lo..<hi where reduced[j] == focus { occurrences[Int(focus) + 1] += 1 }
                } else {
                    for j in lo..<(hi - 1) { occurrences[Int(reduced[j]) + 1] += 1 }
                }
            }
            for a in 0..<f { occurrences[a + 1] += occurrences[a] }
            var fill = occurrences
            var posList = [Int32](repeating: 0, count: Int(occurrences[f]))
            var basketOf = [Int32](repeating: 0, count: Int(occurrences[f]))
            for k in 0..<(starts.count - 1) {
                let lo = Int(starts[k]), hi = Int(starts[k + 1])
                let last = focus == nil ? hi - 1 : hi
                for j in lo..<last {
                    let a = Int(reduced[j])
                    if let focus, Int32(a) != focus { continue }
                    let slot = Int(fill[a])
                    posList[slot] = Int32(truncatingIfNeeded: j)
                    basketOf[slot] = Int32(truncatingIfNeeded: k)
                    fill[a] += 1
                }
            }

            var outA: [Int32] = [], outB: [Int32] = [], outC: [Int32] = []
            var selection = TopPairs(capacity: keep)
            var total = 0
            var acc = [Int32](repeating: 0, count: f)
            var touched = [Int32](repeating: 0, count: f)
            reduced.withUnsafeBufferPointer { rb in
            starts.withUnsafeBufferPointer { st in
            posList.withUnsafeBufferPointer { pos in
            basketOf.withUnsafeBufferPointer { bof in
            acc.withUnsafeMutableBufferPointer { acc in
            touched.withUnsafeMutableBufferPointer { touched in
                let range: Range<Int> = focus.map { Int($0)..<Int($0) + 1 } ?? 0..<f
                for a in range {
                    let lo = Int(occurrences[a]), hi = Int(occurrences[a + 1])
                    if hi - lo < Int(minCount) { continue }
                    var nTouched = 0
                    for o in lo..<hi {
                        let k = Int(bof[o])
                        let end = Int(st[k + 1])
                        if focus == nil {
                            // Sorted basket: the products after a are exactly the b > a.
                            // Branch-free: always write the candidate, advance only when b is new.
                            var j = Int(pos[o]) + 1
                            while j < end {
                                let b = Int(rb[j])
                                let c = acc[b]
                                touched[nTouched] = Int32(truncatingIfNeeded: b)
                                nTouched &+= c == 0 ? 1 : 0
                                acc[b] = c &+ 1
                                j &+= 1
                            }
                        } else {
                            for j in Int(st[k])..<end {
                                let b = Int(rb[j])
                                if b == a { continue }
                                let c = acc[b]
                                if c == 0 { touched[nTouched] = Int32(truncatingIfNeeded: b); nTouched += 1 }
                                acc[b] = c &+ 1
                            }
                        }
                    }
                    for t in 0..<nTouched {
                        let b = touched[t]
                        let c = acc[Int(b)]
                        acc[Int(b)] = 0
                        if c < minCount { continue }
                        total += 1
                        if keep > 0 {
                            selection.offer(a: Int32(a), b: b, count: c)
                        } else {
                            outA.append(Int32(a)); outB.append(b); outC.append(c)
                        }
                    }
                }
            }}}}}}
            if keep > 0 {
                let kept = selection.items
                outA = kept.map(\.a); outB = kept.map(\.b); outC = kept.map(\.count)
            }
            return (outA, outB, outC, total)
        }

        /// The best `capacity` pairs seen so far, in a binary heap whose root is the worst of them.
        struct TopPairs {
            struct Item { var a: Int32; var b: Int32; var count: Int32 }
            let capacity: Int
            var heap: [Item] = []

            init(capacity: Int) { self.capacity = capacity; heap.reserveCapacity(max(0, capacity)) }

            /// Whether `x` ranks before `y`: support count desc, then a asc, then b asc.
            @inline(__always)
            static func before(_ x: Item, _ y: Item) -> Bool {
                if x.count != y.count { return x.count > y.count }
                if x.a != y.a { return x.a < y.a }
                return x.b < y.b
            }

            mutating func offer(a: Int32, b: Int32, count: Int32) {
                let item = Item(a: a, b: b, count: count)
                if heap.count < capacity {
                    heap.append(item)
                    var i = heap.count - 1
                    while i > 0 {
                        let parent = (i - 1) / 2
                        // The root is the worst: a parent ranks after its children.
                        if Self.before(heap[parent], heap[i]) { heap.swapAt(parent, i); i = parent } else { break }
                    }
                } else if capacity > 0 && Self.before(item, heap[0]) {
                    heap[0] = item
                    var i = 0
                    while true {
                        let l = 2 * i + 1, r = l + 1
                        var worst = i
                        if l < heap.count && Self.before(heap[worst], heap[l]) { worst = l }
                        if r < heap.count && Self.before(heap[worst], heap[r]) { worst = r }
                        if worst == i { break }
                        heap.swapAt(i, worst)
                        i = worst
                    }
                }
            }

            /// The kept pairs, best first.
            var items: [Item] { heap.sorted(by: Self.before) }
        }
    }
}
