/// Best sellers and best customers (METRICS.md, "Behaviour", "Best sellers and best customers"): the top
/// products by quantity and by revenue over a period, the top customers by revenue and what they buy.
public struct BestSellers: Sendable, Equatable {
    /// The as-of date the period was derived from.
    public var asOf: ShopDate
    /// The period `P`.
    public var period: Period
    /// The shop's reporting currency.
    public var currency: Currency
    /// The shop's IANA time zone.
    public var timeZone: String
    /// Non-cancelled orders in `P`, anonymous ones included.
    public var orders: Int
    /// Distinct products on those orders' lines.
    public var products: Int
    /// Units sold on those lines (returns not deducted).
    public var quantity: Int64
    /// Line revenue: Σ quantity × unit price in the reporting currency.
    public var lineRevenue: Money
    /// The top products by quantity: quantity desc, revenue desc, product id asc.
    public var byQuantity: [Product]
    /// The top products by line revenue: revenue desc, quantity desc, product id asc.
    public var byRevenue: [Product]
    /// A description of the group of customers in `groupCustomers` (e.g. "top 20 customers by revenue").
    public var group: String
    /// The customers of the group: the top customers by revenue in `P` (or the audience), in rank order.
    public var groupCustomers: [Customer]
    /// Line revenue of the group's orders in `P`.
    public var groupLineRevenue: Money
    /// What the group buys: products by line revenue on the group's orders in `P`.
    public var groupProducts: [Product]

    /// One product's sales in `P`.
    public struct Product: Sendable, Equatable {
        /// 1-based position in its list.
        public var rank: Int
        /// The shop's product id.
        public var productId: String
        /// The product's name (the first one seen).
        public var name: String
        /// Units sold (returns not deducted).
        public var quantity: Int64
        /// Units returned on those lines.
        public var returnedQuantity: Int64
        /// Line revenue: Σ quantity × unit price.
        public var revenue: Money
        /// Orders with the product (a product on two lines of one order counts once).
        public var orders: Int
        /// Distinct identified customers who bought it.
        public var customers: Int
        /// Revenue ÷ the list's total line revenue; `nil` when that is 0.
        public var revenueShare: Double?
    }

    /// One customer of the group.
    public struct Customer: Sendable, Equatable {
        /// 1-based position (revenue desc, orders desc, key asc).
        public var rank: Int
        /// The customer key.
        public var customer: String
        /// Normalised e-mail of the customer's latest order in `P`; `nil` when it has none.
        public var email: String?
        /// Orders in `P`.
        public var orders: Int
        /// Gross revenue of those orders.
        public var revenue: Money
    }

    /// The dense ids of the top `count` customers by revenue in `period` (METRICS.md, "Top customers":
    /// revenue desc, orders desc, key asc), best first.
    public static func topCustomers(snapshot s: ShopSnapshot, period: Period, count: Int) -> [Int32] {
        guard count > 0, !period.isEmpty else { return [] }
        let ps = Int32(clamping: period.start.dayNumber), pe = Int32(clamping: period.end.dayNumber)
        var list: [(c: Int32, revenue: Int64, orders: Int)] = []
        s.orderDay.withUnsafeBufferPointer { day in
        s.orderTotal.withUnsafeBufferPointer { total in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<(start.count - 1) {
                var n = 0
                var r: Int64 = 0
                for i in Int(start[c])..<Int(start[c + 1]) where day[i] >= ps && day[i] < pe {
                    n += 1
                    r += total[i]
                }
                if n > 0 { list.append((Int32(c), r, n)) }
            }
        }}}
        func before(_ a: (c: Int32, revenue: Int64, orders: Int), _ b: (c: Int32, revenue: Int64, orders: Int)) -> Bool {
            if a.revenue != b.revenue { return a.revenue > b.revenue }
            if a.orders != b.orders { return a.orders > b.orders }
            return a.c < b.c
        }
        list.sort(by: before)
        return list.prefix(count).map(\.c)
    }

    /// A customer mask (indexed by dense customer id) holding the top `count` customers by revenue in
    /// `period`: the built-in audience "top customers" for `ShoppingTimes` and `BestSellers`.
    public static func topCustomerMask(snapshot s: ShopSnapshot, period: Period, count: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: s.customerCount)
        for c in topCustomers(snapshot: s, period: period, count: count) { mask[Int(c)] = true }
        return mask
    }

    /// Computes the best sellers over `period` (METRICS.md, "Best sellers and best customers"); a pure
    /// function of its arguments. The lines of every non-cancelled order in `P` count, anonymous ones
    /// included; line revenue is quantity × unit price in the reporting currency. `top` is the length of each
    /// product list (0: all). The group is the top `topCustomers` customers by revenue in `P`, or, when
    /// `customers` is given, the customers it marks (described by `audience`).
    public static func compute(snapshot s: ShopSnapshot, period: Period, asOf: ShopDate, currency: Currency,
                               timeZone: String, top: Int, topCustomers k: Int,
                               customers: [Bool]? = nil, audience: String? = nil) -> BestSellers {
        let productCount = s.productIds.count
        let all = Tally(snapshot: s, period: period, customers: nil)
        let groupIds: [Int32]
        let mask: [Bool]
        if let customers {
            mask = customers
            groupIds = Self.rankCustomers(snapshot: s, period: period, mask: customers)
        } else {
            groupIds = topCustomers(snapshot: s, period: period, count: k)
            var m = [Bool](repeating: false, count: s.customerCount)
            for c in groupIds { m[Int(c)] = true }
            mask = m
        }
        let group = Tally(snapshot: s, period: period, customers: mask)
        let ranks = Self.productRanks(s)
        func money(_ m: Int64) -> Money { Money(minorUnits: m, currency: currency) }

        func list(_ t: Tally, byQuantity: Bool) -> [Product] {
            var ids = (0..<productCount).filter { t.orders[$0] > 0 }
            ids.sort { a, b in
                let qa = t.quantity[a], qb = t.quantity[b], ra = t.revenue[a], rb = t.revenue[b]
                if byQuantity {
                    if qa != qb { return qa > qb }
                    if ra != rb { return ra > rb }
                } else {
                    if ra != rb { return ra > rb }
                    if qa != qb { return qa > qb }
                }
                return ranks[a] < ranks[b]
            }
            if top > 0 && ids.count > top { ids.removeSubrange(top...) }
            return ids.enumerated().map { r, p in
                Product(rank: r + 1, productId: s.productIds[p], name: s.productNames[p], quantity: t.quantity[p],
                        returnedQuantity: t.returned[p], revenue: money(t.revenue[p]), orders: Int(t.orders[p]),
                        customers: Int(t.customers[p]),
                        revenueShare: t.totalRevenue == 0 ? nil : Double(t.revenue[p]) / Double(t.totalRevenue))
            }
        }

        let customersList: [Customer] = groupIds.enumerated().map { r, c in
            let (n, rev, last) = Self.customerTotals(snapshot: s, period: period, customer: Int(c))
            return Customer(rank: r + 1, customer: s.customerKey(Int(c)), email: last.flatMap { s.email(ofOrder: $0) },
                            orders: n, revenue: money(rev))
        }
        return BestSellers(
            asOf: asOf, period: period, currency: currency, timeZone: timeZone, orders: all.orderCount,
            products: all.orders.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }, quantity: all.quantity.reduce(0, +),
            lineRevenue: money(all.totalRevenue),
            byQuantity: list(all, byQuantity: true), byRevenue: list(all, byQuantity: false),
            group: audience ?? (customers == nil ? "top \(k) customers by revenue" : "audience"),
            groupCustomers: customersList, groupLineRevenue: money(group.totalRevenue),
            groupProducts: list(group, byQuantity: false))
    }

    /// Rank of each product id in Unicode code-point order (the tie-break "product id ascending").
    static func productRanks(_ s: ShopSnapshot) -> [Int32] {
        let n = s.productIds.count
        var order = (0..<n).map { Int32($0) }
        s.productIds.bytes.withUnsafeBufferPointer { b in
            let o = s.productIds.offsets
            order.sort { StringTable.less(b, o, Int($0), b, o, Int($1)) }
        }
        var rank = [Int32](repeating: 0, count: n)
        for (r, p) in order.enumerated() { rank[Int(p)] = Int32(r) }
        return rank
    }

    /// The customers marked by `mask` with an order in `period`, ranked like the top customers.
    static func rankCustomers(snapshot s: ShopSnapshot, period: Period, mask: [Bool]) -> [Int32] {
        let all = topCustomers(snapshot: s, period: period, count: s.customerCount)
        return all.filter { Int($0) < mask.count && mask[Int($0)] }
    }

    /// Orders, revenue and the latest order of customer `c` in `period`.
    static func customerTotals(snapshot s: ShopSnapshot, period: Period, customer c: Int) -> (Int, Int64, Int?) {
        let ps = Int32(clamping: period.start.dayNumber), pe = Int32(clamping: period.end.dayNumber)
        var n = 0
        var r: Int64 = 0
        var last: Int?
        for i in s.orders(ofCustomer: c) where s.orderDay[i] >= ps && s.orderDay[i] < pe {
            n += 1
            r += s.orderTotal[i]
            last = i
        }
        return (n, r, last)
    }

    /// Per-product sums over the lines of the orders in a period (optionally only customers in a mask).
    struct Tally {
        var quantity: [Int64]
        var returned: [Int64]
        var revenue: [Int64]
        var orders: [Int32]
        var customers: [Int32]
        var orderCount = 0
        var totalRevenue: Int64 = 0

        init(snapshot s: ShopSnapshot, period: Period, customers mask: [Bool]?) {
            let n = s.productIds.count
            quantity = [Int64](repeating: 0, count: n)
            returned = [Int64](repeating: 0, count: n)
            revenue = [Int64](repeating: 0, count: n)
            orders = [Int32](repeating: 0, count: n)
            customers = [Int32](repeating: 0, count: n)
            guard !period.isEmpty else { return }
            let ps = Int32(clamping: period.start.dayNumber), pe = Int32(clamping: period.end.dayNumber)
            var lastOrder = [Int32](repeating: -1, count: n)
            var lastCustomer = [Int32](repeating: -1, count: n)
            let orderEnd = mask == nil ? s.orderCount : s.identifiedOrderCount
            var count = 0
            var total: Int64 = 0
            s.orderDay.withUnsafeBufferPointer { day in
            s.orderCustomer.withUnsafeBufferPointer { cust in
            s.orderLineStart.withUnsafeBufferPointer { ls in
            s.lineProduct.withUnsafeBufferPointer { lp in
            s.lineQuantity.withUnsafeBufferPointer { lq in
            s.lineReturnedQuantity.withUnsafeBufferPointer { lr in
            s.lineUnitPrice.withUnsafeBufferPointer { lu in
            quantity.withUnsafeMutableBufferPointer { q in
            returned.withUnsafeMutableBufferPointer { rq in
            revenue.withUnsafeMutableBufferPointer { rv in
            orders.withUnsafeMutableBufferPointer { ord in
            customers.withUnsafeMutableBufferPointer { cs in
            lastOrder.withUnsafeMutableBufferPointer { lo in
            lastCustomer.withUnsafeMutableBufferPointer { lc in
                for i in 0..<orderEnd {
                    let d = day[i]
                    if d < ps || d >= pe { continue }
                    let c = cust[i]
                    if let mask {
                        let ci = Int(c)
                        if ci >= mask.count || !mask[ci] { continue }
                    }
                    count += 1
                    for l in Int(ls[i])..<Int(ls[i + 1]) {
                        let p = Int(lp[l])
                        let amount = Int64(lq[l]) &* lu[l]
                        q[p] += Int64(lq[l])
                        rq[p] += Int64(lr[l])
                        rv[p] += amount
                        total += amount
                        if lo[p] != Int32(truncatingIfNeeded: i) {
                            lo[p] = Int32(truncatingIfNeeded: i)
                            ord[p] += 1
                            if c >= 0 && lc[p] != c {
                                lc[p] = c
                                cs[p] += 1
                            }
                        }
                    }
                }
            }}}}}}}}}}}}}}
            orderCount = count
            totalRevenue = total
        }
    }
}
