/// The customer statistics page (METRICS.md, "Customer statistics page"): totals, the four cards, segments,
/// new vs returning per month and the top customers over a period, optionally beside a comparison period.
public struct CustomerStatistics: Sendable, Equatable {
    /// The as-of date the period was derived from.
    public var asOf: ShopDate
    /// The shop's reporting currency.
    public var currency: Currency
    /// The shop's IANA time zone.
    public var timeZone: String
    /// Totals and cards over the period `P`.
    public var summary: Summary
    /// One-time, returning and loyal customers (METRICS.md, "Segments").
    public var segments: [Segment]
    /// New vs returning customers per calendar month overlapping `P`.
    public var months: [Month]
    /// The top customers by revenue in `P`.
    public var topCustomers: [TopCustomer]
    /// The same totals and cards for the comparison period, with the change; `nil` without comparison.
    public var comparison: Comparison?

    /// The period `P`.
    public var period: Period { summary.period }
    /// Orders, revenue and net revenue in `P` (METRICS.md, "Ground rules").
    public var totals: Totals { summary.totals }
    /// `C(P)`: distinct customers with an order in `P`.
    public var uniqueCustomers: Int { summary.uniqueCustomers }
    /// Customers with ≥ 2 orders in `P` ÷ `C(P)`; `nil` when `C(P)` is 0.
    public var repeatRate: Double? { summary.repeatRate }
    /// The repeat rate's colour.
    public var repeatRateColour: Colour? { summary.repeatRateColour }
    /// Identified customers' revenue in `P` ÷ `C(P)`, rounded to minor units halves away from zero.
    public var averageCLV: Money? { summary.averageCLV }
    /// Mean over customers with ≥ 2 orders in `P` of the days from their first to their second order in `P`.
    public var averageDaysBetweenFirstAndSecondOrder: Double? { summary.averageDaysBetweenFirstAndSecondOrder }

    /// Order counts and money totals over a period (cancelled orders excluded).
    public struct Totals: Sendable, Equatable {
        /// Non-cancelled orders in the period, anonymous ones included.
        public var orders: Int
        /// Anonymous orders in the period (no customer id, no e-mail).
        public var anonymousOrders: Int
        /// Cancelled orders in the period (excluded from every other figure).
        public var cancelledOrders: Int
        /// Sum of gross order totals.
        public var revenue: Money
        /// Revenue minus refunded amounts.
        public var netRevenue: Money
        /// Revenue of identified customers' orders (the base of average CLV and segment revenue shares).
        public var identifiedRevenue: Money
    }

    /// Totals and the four cards of one period.
    public struct Summary: Sendable, Equatable {
        /// The period.
        public var period: Period
        /// Orders and revenue.
        public var totals: Totals
        /// `C(P)`: distinct customers with an order in the period.
        public var uniqueCustomers: Int
        /// Customers with ≥ 2 orders in the period.
        public var repeatCustomers: Int
        /// Repeat customers ÷ `C(P)`; `nil` when there are no customers.
        public var repeatRate: Double?
        /// Green ≥ 30 %, yellow ≥ 15 %, else red (thresholds from the shop's settings).
        public var repeatRateColour: Colour?
        /// Identified revenue ÷ `C(P)`, rounded to minor units halves away from zero; `nil` without customers.
        public var averageCLV: Money?
        /// Mean days (elapsed seconds ÷ 86 400) from first to second order in the period, over repeat customers.
        public var averageDaysBetweenFirstAndSecondOrder: Double?
    }

    /// The segments of METRICS.md by orders in `P`.
    public enum SegmentKind: String, Sendable, Hashable, CaseIterable {
        /// Exactly one order.
        case oneTime = "one-time"
        /// Two up to `returningMaxOrders` (3) orders.
        case returning
        /// More than `returningMaxOrders` orders.
        case loyal
    }

    /// One segment's figures.
    public struct Segment: Sendable, Equatable {
        /// Which segment.
        public var segment: SegmentKind
        /// Fewest orders in `P` of a member.
        public var minOrders: Int
        /// Most orders in `P` of a member; `nil` for no upper bound.
        public var maxOrders: Int?
        /// Customers in the segment.
        public var customers: Int
        /// Customers ÷ `C(P)`; `nil` without customers.
        public var share: Double?
        /// Revenue of the segment's orders in `P`.
        public var revenue: Money
        /// Revenue ÷ identified customers' revenue in `P` (the three add up to 1); `nil` when that is 0.
        public var revenueShare: Double?
        /// Revenue ÷ all revenue in `P`, anonymous orders included; `nil` when that is 0.
        public var revenueShareOfAllOrders: Double?
    }

    /// New vs returning customers in one calendar month (METRICS.md, "New vs returning per month").
    public struct Month: Sendable, Equatable {
        /// The calendar year.
        public var year: Int
        /// The calendar month, 1–12.
        public var month: Int
        /// Customers with an order in `P ∩ m`.
        public var customers: Int
        /// Those whose first order ever (all data, cancelled excluded) is in `m`.
        public var new: Int
        /// `customers − new`.
        public var returning: Int
        /// `returning ÷ customers`; `nil` without customers.
        public var returningShare: Double?
        /// Green ≥ 30 %, red < 15 %, yellow between.
        public var colour: Colour?

        /// `YYYY-MM`.
        public var label: String { ShopDate.pad(year, 4) + "-" + ShopDate.pad(month, 2) }
    }

    /// One row of the top-customers list.
    public struct TopCustomer: Sendable, Equatable {
        /// 1-based position.
        public var rank: Int
        /// The customer key.
        public var customer: String
        /// Normalised e-mail of the customer's latest order in `P`; `nil` when that order has none.
        public var email: String?
        /// Orders in `P`.
        public var orders: Int
        /// Revenue in `P`.
        public var revenue: Money
        /// Revenue ÷ orders, rounded to minor units halves away from zero.
        public var averageOrderValue: Money
        /// First order in `P`.
        public var firstOrder: Instant
        /// The shop's UTC offset at `firstOrder`, in seconds.
        public var firstOrderUTCOffset: Int
        /// Last order in `P`.
        public var lastOrder: Instant
        /// The shop's UTC offset at `lastOrder`, in seconds.
        public var lastOrderUTCOffset: Int

        /// `firstOrder` in ISO 8601 with the shop's offset at that instant.
        public var firstOrderText: String { firstOrder.iso8601(offsetSeconds: firstOrderUTCOffset, zulu: false) }
        /// `lastOrder` in ISO 8601 with the shop's offset at that instant.
        public var lastOrderText: String { lastOrder.iso8601(offsetSeconds: lastOrderUTCOffset, zulu: false) }
    }

    /// A change between the period and its comparison period.
    public struct Change<Value: Sendable & Equatable>: Sendable, Equatable {
        /// Current − comparison; `nil` when either is missing.
        public var absolute: Value?
        /// (current − comparison) ÷ comparison; `nil` when either is missing or the comparison is 0.
        public var relative: Double?
    }

    /// The comparison period's totals and cards, and the change of each.
    public struct Comparison: Sendable, Equatable {
        /// Totals and cards of the comparison period.
        public var summary: Summary
        /// Change in orders.
        public var orders: Change<Int>
        /// Change in anonymous orders.
        public var anonymousOrders: Change<Int>
        /// Change in revenue.
        public var revenue: Change<Money>
        /// Change in net revenue.
        public var netRevenue: Change<Money>
        /// Change in unique customers.
        public var uniqueCustomers: Change<Int>
        /// Change in repeat rate (absolute: fraction points).
        public var repeatRate: Change<Double>
        /// Change in average CLV.
        public var averageCLV: Change<Money>
        /// Change in the average days between first and second order.
        public var averageDaysBetweenFirstAndSecondOrder: Change<Double>

        /// The comparison of `current` against `previous`.
        public init(current: Summary, previous: Summary) {
            summary = previous
            func count(_ a: Int, _ b: Int) -> Change<Int> {
                Change(absolute: a - b, relative: b == 0 ? nil : Double(a - b) / Double(b))
            }
            func money(_ a: Money?, _ b: Money?) -> Change<Money> {
                guard let a, let b else { return Change(absolute: nil, relative: nil) }
                let d = a.minorUnits - b.minorUnits
                return Change(absolute: Money(minorUnits: d, currency: a.currency),
                              relative: b.minorUnits == 0 ? nil : Double(d) / Double(b.minorUnits))
            }
            func real(_ a: Double?, _ b: Double?) -> Change<Double> {
                guard let a, let b else { return Change(absolute: nil, relative: nil) }
                return Change(absolute: a - b, relative: b == 0 ? nil : (a - b) / b)
            }
            orders = count(current.totals.orders, previous.totals.orders)
            anonymousOrders = count(current.totals.anonymousOrders, previous.totals.anonymousOrders)
            revenue = money(current.totals.revenue, previous.totals.revenue)
            netRevenue = money(current.totals.netRevenue, previous.totals.netRevenue)
            uniqueCustomers = count(current.uniqueCustomers, previous.uniqueCustomers)
            repeatRate = real(current.repeatRate, previous.repeatRate)
            averageCLV = money(current.averageCLV, previous.averageCLV)
            averageDaysBetweenFirstAndSecondOrder = real(current.averageDaysBetweenFirstAndSecondOrder,
                                                         previous.averageDaysBetweenFirstAndSecondOrder)
        }
    }

    /// Computes the customer statistics page over `period` from the snapshot (METRICS.md, "Customer
    /// statistics page"); a pure function of its arguments. `top` is the length of the top-customers list;
    /// `comparison` (from `Period.comparison(_:)`) adds the same totals and cards for that period.
    public static func compute(snapshot: ShopSnapshot, period: Period, asOf: ShopDate, top: Int,
                               comparison: Period? = nil, thresholds: ShopSettings.Thresholds,
                               currency: Currency, timeZone: String) -> CustomerStatistics {
        let maxReturning = max(1, thresholds.returningMaxOrders)
        let current = Scan(snapshot: snapshot, period: period, top: max(0, top), withMonths: true,
                           returningMaxOrders: maxReturning)
        let summary = current.summary(currency: currency, thresholds: thresholds)
        var result = CustomerStatistics(
            asOf: asOf, currency: currency, timeZone: timeZone, summary: summary,
            segments: current.segments(currency: currency, thresholds: thresholds),
            months: current.months(thresholds: thresholds),
            topCustomers: current.topCustomers(snapshot: snapshot, currency: currency),
            comparison: nil)
        if let comparison {
            let other = Scan(snapshot: snapshot, period: comparison, top: 0, withMonths: false, returningMaxOrders: maxReturning)
            result.comparison = Comparison(current: summary, previous: other.summary(currency: currency, thresholds: thresholds))
        }
        return result
    }
}

extension CustomerStatistics {
    /// One pass over the snapshot for one period: every count and sum the page needs, in integers.
    struct Scan {
        let period: Period
        var orders = 0
        var anonymousOrders = 0
        var cancelledOrders = 0
        var revenue: Int64 = 0
        var refunded: Int64 = 0
        var identifiedRevenue: Int64 = 0
        var customers = 0
        var repeatCustomers = 0
        /// Sum over repeat customers of seconds from their first to their second order in P.
        var firstToSecondSeconds: Int64 = 0
        var segmentCustomers = [0, 0, 0]
        var segmentRevenue: [Int64] = [0, 0, 0]
        let returningMaxOrders: Int
        var firstMonth = 0
        var monthCustomers: [Int] = []
        var monthNew: [Int] = []
        var top: [Candidate] = []

        struct Candidate {
            var customer: Int32
            var orders: Int
            var revenue: Int64
            var first: Int
            var last: Int

            /// Revenue descending, orders descending, customer key ascending (customer ids follow key order).
            @inline(__always)
            func ranksBefore(_ o: Candidate) -> Bool {
                if revenue != o.revenue { return revenue > o.revenue }
                if orders != o.orders { return orders > o.orders }
                return customer < o.customer
            }
        }

        init(snapshot s: ShopSnapshot, period: Period, top k: Int, withMonths: Bool, returningMaxOrders: Int) {
            self.period = period
            self.returningMaxOrders = returningMaxOrders
            guard !period.isEmpty else { return }
            let ps = Int32(clamping: period.start.dayNumber), pe = Int32(clamping: period.end.dayNumber)
            let m0 = period.start.monthIndex
            let monthCount = withMonths ? period.lastDay.monthIndex - m0 + 1 : 0
            firstMonth = m0
            monthCustomers = Array(repeating: 0, count: monthCount)
            monthNew = Array(repeating: 0, count: monthCount)
            var monthLastCustomer = [Int32](repeating: -1, count: monthCount)
            let keepAll = k > 64
            let maxSeg = Int32(clamping: returningMaxOrders)

            var nOrders = 0, custs = 0, repeats = 0
            var rev: Int64 = 0, refd: Int64 = 0, gapSum: Int64 = 0
            var seg0 = 0, seg1 = 0, seg2 = 0
            var segRev0: Int64 = 0, segRev1: Int64 = 0, segRev2: Int64 = 0
            var topList: [Candidate] = []
            topList.reserveCapacity(keepAll ? 1024 : k + 1)

            s.orderDay.withUnsafeBufferPointer { day in
            s.orderMonth.withUnsafeBufferPointer { month in
            s.orderInstant.withUnsafeBufferPointer { instant in
            s.orderTotal.withUnsafeBufferPointer { total in
            s.orderRefunded.withUnsafeBufferPointer { refund in
            s.customerOrderStart.withUnsafeBufferPointer { start in
            monthCustomers.withUnsafeMutableBufferPointer { mCust in
            monthNew.withUnsafeMutableBufferPointer { mNew in
            monthLastCustomer.withUnsafeMutableBufferPointer { mLast in
                let customerCount = start.count - 1
                for c in 0..<customerCount {
                    let lo = Int(start[c]), hi = Int(start[c + 1])
                    if lo >= hi { continue }
                    // The first order ever: orders are in time order, cancelled ones are not in the snapshot.
                    let firstEverMonth = Int(month[lo])
                    var n: Int32 = 0
                    var cRev: Int64 = 0
                    var first = -1, second = -1, last = -1
                    for i in lo..<hi {
                        let d = day[i]
                        if d < ps || d >= pe { continue }
                        n += 1
                        cRev += total[i]
                        refd += refund[i]
                        if n == 1 { first = i } else if n == 2 { second = i }
                        last = i
                        if monthCount > 0 {
                            let mi = Int(month[i])
                            let slot = mi - m0
                            if slot >= 0 && slot < monthCount && mLast[slot] != Int32(c) {
                                mLast[slot] = Int32(c)
                                mCust[slot] += 1
                                if mi == firstEverMonth { mNew[slot] += 1 }
                            }
                        }
                    }
                    if n == 0 { continue }
                    custs += 1
                    nOrders += Int(n)
                    rev += cRev
                    if n == 1 {
                        seg0 += 1; segRev0 += cRev
                    } else {
                        repeats += 1
                        gapSum += instant[second] - instant[first]
                        if n <= maxSeg { seg1 += 1; segRev1 += cRev } else { seg2 += 1; segRev2 += cRev }
                    }
                    if k > 0 {
                        let cand = Candidate(customer: Int32(c), orders: Int(n), revenue: cRev, first: first, last: last)
                        if keepAll {
                            topList.append(cand)
                        } else if topList.count < k || cand.ranksBefore(topList[topList.count - 1]) {
                            // Insert into the sorted short list.
                            var pos = topList.count
                            while pos > 0 && cand.ranksBefore(topList[pos - 1]) { pos -= 1 }
                            topList.insert(cand, at: pos)
                            if topList.count > k { topList.removeLast() }
                        }
                    }
                }
            }}}}}}}}}

            // Anonymous orders: they count in order and revenue totals only.
            var anon = 0
            var anonRev: Int64 = 0, anonRefd: Int64 = 0
            s.orderDay.withUnsafeBufferPointer { day in
            s.orderTotal.withUnsafeBufferPointer { total in
            s.orderRefunded.withUnsafeBufferPointer { refund in
                for i in s.identifiedOrderCount..<s.orderCount {
                    let d = day[i]
                    if d < ps || d >= pe { continue }
                    anon += 1
                    anonRev += total[i]
                    anonRefd += refund[i]
                }
            }}}
            var cancelled = 0
            for d in s.cancelledOrderDay where d >= ps && d < pe { cancelled += 1 }

            if keepAll {
                topList.sort { $0.ranksBefore($1) }
                if topList.count > k { topList.removeSubrange(k...) }
            }
            orders = nOrders + anon
            anonymousOrders = anon
            cancelledOrders = cancelled
            identifiedRevenue = rev
            revenue = rev + anonRev
            refunded = refd + anonRefd
            customers = custs
            repeatCustomers = repeats
            firstToSecondSeconds = gapSum
            segmentCustomers = [seg0, seg1, seg2]
            segmentRevenue = [segRev0, segRev1, segRev2]
            top = topList
        }

        func summary(currency: Currency, thresholds: ShopSettings.Thresholds) -> Summary {
            let rate: Double? = customers == 0 ? nil : Double(repeatCustomers) / Double(customers)
            return Summary(
                period: period,
                totals: Totals(orders: orders, anonymousOrders: anonymousOrders, cancelledOrders: cancelledOrders,
                               revenue: Money(minorUnits: revenue, currency: currency),
                               netRevenue: Money(minorUnits: revenue - refunded, currency: currency),
                               identifiedRevenue: Money(minorUnits: identifiedRevenue, currency: currency)),
                uniqueCustomers: customers,
                repeatCustomers: repeatCustomers,
                repeatRate: rate,
                repeatRateColour: Colour.repeatRate(rate, thresholds: thresholds),
                averageCLV: Money.roundedQuotient(identifiedRevenue, Int64(customers)).map { Money(minorUnits: $0, currency: currency) },
                averageDaysBetweenFirstAndSecondOrder: repeatCustomers == 0 ? nil
                    : Double(firstToSecondSeconds) / 86_400 / Double(repeatCustomers))
        }

        func segments(currency: Currency, thresholds: ShopSettings.Thresholds) -> [Segment] {
            let bounds: [(SegmentKind, Int, Int?)] = [(.oneTime, 1, 1), (.returning, 2, returningMaxOrders),
                                                      (.loyal, returningMaxOrders + 1, nil)]
            return bounds.enumerated().map { i, b in
                Segment(segment: b.0, minOrders: b.1, maxOrders: b.2, customers: segmentCustomers[i],
                        share: customers == 0 ? nil : Double(segmentCustomers[i]) / Double(customers),
                        revenue: Money(minorUnits: segmentRevenue[i], currency: currency),
                        revenueShare: identifiedRevenue == 0 ? nil : Double(segmentRevenue[i]) / Double(identifiedRevenue),
                        revenueShareOfAllOrders: revenue == 0 ? nil : Double(segmentRevenue[i]) / Double(revenue))
            }
        }

        func months(thresholds: ShopSettings.Thresholds) -> [Month] {
            monthCustomers.indices.map { i in
                let m = firstMonth + i
                let y = m >= 0 ? m / 12 : (m - 11) / 12
                let total = monthCustomers[i], new = monthNew[i]
                let share: Double? = total == 0 ? nil : Double(total - new) / Double(total)
                return Month(year: y, month: m - y * 12 + 1, customers: total, new: new, returning: total - new,
                             returningShare: share, colour: Colour.returningShare(share, thresholds: thresholds))
            }
        }

        func topCustomers(snapshot s: ShopSnapshot, currency: Currency) -> [TopCustomer] {
            top.enumerated().map { r, c in
                TopCustomer(rank: r + 1, customer: s.customerKey(Int(c.customer)), email: s.email(ofOrder: c.last),
                            orders: c.orders, revenue: Money(minorUnits: c.revenue, currency: currency),
                            averageOrderValue: Money(minorUnits: Money.roundedQuotient(c.revenue, Int64(c.orders)) ?? 0, currency: currency),
                            firstOrder: Instant(seconds: s.orderInstant[c.first]),
                            firstOrderUTCOffset: Int(s.orderUTCOffset[c.first]),
                            lastOrder: Instant(seconds: s.orderInstant[c.last]),
                            lastOrderUTCOffset: Int(s.orderUTCOffset[c.last]))
            }
        }
    }
}
