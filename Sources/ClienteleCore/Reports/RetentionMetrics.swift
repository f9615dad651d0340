/// The retention metrics of a period (METRICS.md, "CLV (seed 002) and retention metrics (seed 004)"):
/// customer retention rate with S, E and N, churn rate, repeat purchase ratio, time between purchases and
/// the product return rate overall and per product.
public struct RetentionMetrics: Sendable, Equatable {
    /// The as-of date the period was derived from.
    public var asOf: ShopDate
    /// The shop's reporting currency.
    public var currency: Currency
    /// The shop's IANA time zone.
    public var timeZone: String
    /// The period `P`.
    public var period: Period
    /// The previous period `P'`: the window of equal length immediately before `P`.
    public var previousPeriod: Period
    /// S, E, N, the customer retention rate and the churn rate.
    public var retention: CustomerRetention
    /// Customers with ≥ 2 orders ever ÷ customers with ≥ 1, as of the end of `P`.
    public var repeatPurchase: RepeatPurchase
    /// Mean over repeat customers of their mean gap between consecutive orders, as of the end of `P`.
    public var timeBetweenPurchases: TimeBetweenPurchases
    /// Returned ÷ sold quantity over the lines of the orders in `P`, overall and per product.
    public var productReturns: ProductReturns

    /// The customer retention rate and churn rate of seed 004 (METRICS.md, "retention metrics").
    public struct CustomerRetention: Sendable, Equatable {
        /// `S`: customers with an order in `P'`.
        public var customersPrevious: Int
        /// `E`: customers with an order in `P`.
        public var customersCurrent: Int
        /// `N`: customers whose first order ever is in `P`.
        public var newCustomers: Int
        /// Customers in `S` with an order in `P` (`S` − churned).
        public var retained: Int
        /// Customers in `S` with no order in `P`.
        public var churned: Int
        /// CRR = (E − N) ÷ S as a fraction; `nil` when S is 0.
        public var rate: Double?
        /// Churned ÷ S as a fraction; `nil` when S is 0.
        public var churnRate: Double?

        /// The figures from S, E, N and the churned count.
        public init(customersPrevious s: Int, customersCurrent e: Int, newCustomers n: Int, churned: Int) {
            customersPrevious = s
            customersCurrent = e
            newCustomers = n
            self.churned = churned
            retained = s - churned
            rate = RetentionMetrics.customerRetentionRate(s: s, e: e, n: n)
            churnRate = s == 0 ? nil : Double(churned) / Double(s)
        }
    }

    /// The repeat purchase ratio (METRICS.md, "Repeat purchase ratio").
    public struct RepeatPurchase: Sendable, Equatable {
        /// Customers with ≥ 1 order before the end of `P`.
        public var customers: Int
        /// Of those, customers with ≥ 2 orders.
        public var repeatCustomers: Int
        /// `repeatCustomers ÷ customers`; `nil` without customers.
        public var ratio: Double?
    }

    /// Time between purchases (METRICS.md, "Time between purchases" and "Days").
    public struct TimeBetweenPurchases: Sendable, Equatable {
        /// Customers with ≥ 2 orders before the end of `P`.
        public var customers: Int
        /// Mean over them of (last − first) ÷ (orders − 1), in days (elapsed seconds ÷ 86 400); `nil` without them.
        public var meanDays: Double?
    }

    /// Product return rate over the lines of the orders in `P`, anonymous orders included.
    public struct ProductReturns: Sendable, Equatable {
        /// Units sold.
        public var soldQuantity: Int64
        /// Units returned.
        public var returnedQuantity: Int64
        /// Returned ÷ sold; `nil` when nothing was sold.
        public var rate: Double?
        /// Products with fewer units sold than this are left out of `products`.
        public var minimumQuantity: Int64
        /// Products sold in `P` with fewer than `minimumQuantity` units (not listed).
        public var productsBelowMinimum: Int
        /// Products with at least `minimumQuantity` units sold, worst first: rate descending, then returned
        /// quantity descending, then product id ascending by code point.
        public var products: [ProductReturnRate]
    }

    /// One product's return rate in `P`.
    public struct ProductReturnRate: Sendable, Equatable {
        /// The shop's product id.
        public var productId: String
        /// The first name seen for the product.
        public var productName: String
        /// Units sold on the lines of orders in `P`.
        public var soldQuantity: Int64
        /// Units returned on those lines.
        public var returnedQuantity: Int64
        /// Returned ÷ sold; `nil` when nothing was sold.
        public var rate: Double?
    }

    /// The default minimum of units sold for a product to be listed by return rate.
    public static let defaultMinimumQuantity: Int64 = 20

    /// CRR = (E − N) ÷ S as a fraction (seed 004: S 750, E 950, N 625 → 0.4333…); `nil` when S is 0.
    public static func customerRetentionRate(s: Int, e: Int, n: Int) -> Double? {
        s == 0 ? nil : Double(e - n) / Double(s)
    }

    /// Computes the retention metrics over `period` and its previous period from the snapshot; a pure function
    /// of its arguments. Products with fewer than `minimumQuantity` units sold in `P` are not listed.
    public static func compute(snapshot s: ShopSnapshot, period: Period, asOf: ShopDate,
                               minimumQuantity: Int64 = defaultMinimumQuantity,
                               currency: Currency, timeZone: String) -> RetentionMetrics {
        let previous = period.previous
        let ps = Int32(clamping: period.start.dayNumber), pe = Int32(clamping: period.end.dayNumber)
        let qs = Int32(clamping: previous.start.dayNumber)
        let empty = period.isEmpty
        var sCount = 0, eCount = 0, nCount = 0, churned = 0
        var everCustomers = 0, repeatCustomers = 0
        var gapDaysSum = 0.0
        let productCount = s.productIds.count
        var sold = [Int64](repeating: 0, count: productCount)
        var returned = [Int64](repeating: 0, count: productCount)
        var seen = [Bool](repeating: false, count: productCount)

        s.orderDay.withUnsafeBufferPointer { day in
        s.orderInstant.withUnsafeBufferPointer { instant in
        s.orderLineStart.withUnsafeBufferPointer { lineStart in
        s.lineProduct.withUnsafeBufferPointer { lineProduct in
        s.lineQuantity.withUnsafeBufferPointer { lineQuantity in
        s.lineReturnedQuantity.withUnsafeBufferPointer { lineReturned in
        s.customerOrderStart.withUnsafeBufferPointer { start in
        sold.withUnsafeMutableBufferPointer { sold in
        returned.withUnsafeMutableBufferPointer { returned in
        seen.withUnsafeMutableBufferPointer { seen in
            @inline(__always) func addLines(_ i: Int) {
                for l in Int(lineStart[i])..<Int(lineStart[i + 1]) {
                    let p = Int(lineProduct[l])
                    sold[p] += Int64(lineQuantity[l])
                    returned[p] += Int64(lineReturned[l])
                    seen[p] = true
                }
            }
            for c in 0..<(start.count - 1) {
                let lo = Int(start[c]), hi = Int(start[c + 1])
                if lo >= hi { continue }
                // Orders are in time order: the first order ever is `lo`.
                let firstDay = day[lo]
                if firstDay >= pe { continue }
                var inPrevious = false, inPeriod = false
                var n = 0, last = lo
                for i in lo..<hi {
                    let d = day[i]
                    if d >= pe { break }
                    n += 1
                    last = i
                    if d >= ps {
                        inPeriod = true
                        if !empty { addLines(i) }
                    } else if d >= qs {
                        inPrevious = true
                    }
                }
                everCustomers += 1
                if n >= 2 {
                    repeatCustomers += 1
                    gapDaysSum += Double(instant[last] - instant[lo]) / 86_400 / Double(n - 1)
                }
                if empty { continue }
                if inPrevious { sCount += 1; if !inPeriod { churned += 1 } }
                if inPeriod { eCount += 1 }
                if firstDay >= ps { nCount += 1 }
            }
            if !empty {
                for i in s.identifiedOrderCount..<s.orderCount {
                    let d = day[i]
                    if d >= ps && d < pe { addLines(i) }
                }
            }
        }}}}}}}}}}

        var totalSold: Int64 = 0, totalReturned: Int64 = 0, below = 0
        var rows: [ProductReturnRate] = []
        let minimum = max(0, minimumQuantity)
        for p in 0..<productCount where seen[p] {
            totalSold += sold[p]
            totalReturned += returned[p]
            if sold[p] < minimum { below += 1; continue }
            rows.append(ProductReturnRate(productId: s.productIds[p], productName: s.productNames[p],
                                          soldQuantity: sold[p], returnedQuantity: returned[p],
                                          rate: sold[p] == 0 ? nil : Double(returned[p]) / Double(sold[p])))
        }
        rows.sort { a, b in
            let ra = a.rate ?? -1, rb = b.rate ?? -1
            if ra != rb { return ra > rb }
            if a.returnedQuantity != b.returnedQuantity { return a.returnedQuantity > b.returnedQuantity }
            return a.productId.unicodeScalars.lexicographicallyPrecedes(b.productId.unicodeScalars)
        }

        return RetentionMetrics(
            asOf: asOf, currency: currency, timeZone: timeZone, period: period, previousPeriod: previous,
            retention: CustomerRetention(customersPrevious: sCount, customersCurrent: eCount, newCustomers: nCount, churned: churned),
            repeatPurchase: RepeatPurchase(customers: everCustomers, repeatCustomers: repeatCustomers,
                                           ratio: everCustomers == 0 ? nil : Double(repeatCustomers) / Double(everCustomers)),
            timeBetweenPurchases: TimeBetweenPurchases(customers: repeatCustomers,
                                                       meanDays: repeatCustomers == 0 ? nil : gapDaysSum / Double(repeatCustomers)),
            productReturns: ProductReturns(soldQuantity: totalSold, returnedQuantity: totalReturned,
                                           rate: totalSold == 0 ? nil : Double(totalReturned) / Double(totalSold),
                                           minimumQuantity: minimum, productsBelowMinimum: below, products: rows))
    }
}
