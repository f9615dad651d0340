/// Cohort analysis (METRICS.md, "Cohorts and RFM"): customers grouped by the shop month (or quarter) of
/// their first order ever; for each cohort and offset `k` the customers with an order in period
/// `cohort + k` (the retention triangle, as shares and counts), their revenue in that period, and the
/// cumulative revenue per cohort customer through `k` (the LTV curve). Only orders up to and including the
/// as-of date count; customers whose first order is after it are in no cohort.
public struct Cohorts: Sendable, Equatable {
    /// The as-of date.
    public var asOf: ShopDate
    /// The shop's reporting currency.
    public var currency: Currency
    /// The shop's IANA time zone.
    public var timeZone: String
    /// Months or quarters.
    public var granularity: Granularity
    /// The filter on the cohort customers.
    public var filter: Filter
    /// The cohorts, oldest first, ending with the one holding the as-of date.
    public var cohorts: [Cohort]
    /// Per offset `k`: customers with an order in period `k` ÷ cohort customers, over the cohorts whose
    /// period `k` is complete (weighted by cohort size); `nil` when no cohort has reached it.
    public var averageRetention: [Double?]

    /// The length of a cohort period.
    public enum Granularity: String, Sendable, Hashable, CaseIterable {
        /// Calendar months in the shop's time zone.
        case month
        /// Calendar quarters (January–March, …).
        case quarter
    }

    /// Which cohort customers count (by their first order ever).
    public struct Filter: Sendable, Equatable {
        /// Only customers whose first order has a line with this product id.
        public var firstProduct: String?
        /// Only customers whose first order's country is this code (compared case-insensitively).
        public var country: String?

        /// A filter; `nil` parts do not filter.
        public init(firstProduct: String? = nil, country: String? = nil) {
            self.firstProduct = firstProduct
            self.country = country
        }
    }

    /// One cohort's row of the triangle.
    public struct Cohort: Sendable, Equatable {
        /// `YYYY-MM` or `YYYY-Qn`.
        public var label: String
        /// Customers in the cohort (after the filter).
        public var customers: Int
        /// Offsets `0 …` up to the period holding the as-of date.
        public var cells: [Cell]
    }

    /// One cell of a cohort row: period `cohort + offset`.
    public struct Cell: Sendable, Equatable {
        /// `k`, in months or quarters after the cohort's own.
        public var offset: Int
        /// Cohort customers with an order in the period.
        public var activeCustomers: Int
        /// `activeCustomers ÷ cohort customers`; `nil` for an empty cohort.
        public var retention: Double?
        /// Revenue of the cohort's orders in the period (gross totals, orders up to the as-of date).
        public var revenue: Money
        /// Cumulative revenue through this period ÷ cohort customers, rounded to minor units halves away
        /// from zero; `nil` for an empty cohort.
        public var cumulativeRevenuePerCustomer: Money?
        /// `false` for the period holding the as-of date unless the as-of date is its last day.
        public var isComplete: Bool
    }

    /// The label of cohort period `index` (a month index `year × 12 + month − 1`, or a quarter index `year × 4 + quarter − 1`).
    public static func label(_ index: Int, _ granularity: Granularity) -> String {
        switch granularity {
        case .month:
            let y = index >= 0 ? index / 12 : (index - 11) / 12
            return ShopDate.pad(y, 4) + "-" + ShopDate.pad(index - y * 12 + 1, 2)
        case .quarter:
            let y = index >= 0 ? index / 4 : (index - 3) / 4
            return ShopDate.pad(y, 4) + "-Q" + String(index - y * 4 + 1)
        }
    }

    /// Computes the `count` most recent cohorts up to the one holding `asOf`; a pure function of its
    /// arguments. `members`, when given, is indexed by dense customer id and keeps only the customers
    /// marked `true` (the hook for an audience filter); customers past its end are left out.
    public static func compute(snapshot s: ShopSnapshot, asOf: ShopDate, granularity: Granularity = .month,
                               count: Int = 12, filter: Filter = Filter(), members: [Bool]? = nil,
                               currency: Currency, timeZone: String) -> Cohorts {
        let rows = max(0, count)
        let quarter = granularity == .quarter
        @inline(__always) func periodIndex(_ month: Int) -> Int { quarter ? (month >= 0 ? month / 3 : (month - 2) / 3) : month }
        let lastIndex = periodIndex(asOf.monthIndex)
        let firstIndex = lastIndex - rows + 1
        let asOfDay = Int32(clamping: asOf.dayNumber)
        // The as-of period is complete when the next day starts a new period.
        let lastComplete = periodIndex(asOf.adding(days: 1).monthIndex) != lastIndex

        // Filter values resolved to the snapshot's interned ids (-2: matches nothing).
        var productFilter: Int32 = -1
        if let id = filter.firstProduct {
            productFilter = -2
            for p in 0..<s.productIds.count where s.productIds[p] == id { productFilter = Int32(p); break }
        }
        var countryFilter: Int32 = -1
        if let code = filter.country {
            countryFilter = -2
            let wanted = code.uppercased()
            for c in 0..<s.countries.count where s.countries[c].uppercased() == wanted { countryFilter = Int32(c); break }
        }

        var size = [Int](repeating: 0, count: rows)
        var active = [Int](repeating: 0, count: rows * rows)
        var revenue = [Int64](repeating: 0, count: rows * rows)
        if rows > 0 {
            s.orderDay.withUnsafeBufferPointer { day in
            s.orderMonth.withUnsafeBufferPointer { month in
            s.orderTotal.withUnsafeBufferPointer { total in
            s.orderCountry.withUnsafeBufferPointer { country in
            s.orderLineStart.withUnsafeBufferPointer { lineStart in
            s.lineProduct.withUnsafeBufferPointer { lineProduct in
            s.customerOrderStart.withUnsafeBufferPointer { start in
            size.withUnsafeMutableBufferPointer { size in
            active.withUnsafeMutableBufferPointer { active in
            revenue.withUnsafeMutableBufferPointer { revenue in
                for c in 0..<(start.count - 1) {
                    let lo = Int(start[c]), hi = Int(start[c + 1])
                    if lo >= hi || day[lo] > asOfDay { continue }
                    let cohort = periodIndex(Int(month[lo]))
                    let row = cohort - firstIndex
                    if row < 0 { continue }
                    if let members, c >= members.count || !members[c] { continue }
                    if countryFilter != -1 && country[lo] != countryFilter { continue }
                    if productFilter != -1 {
                        var found = false
                        for l in Int(lineStart[lo])..<Int(lineStart[lo + 1]) where lineProduct[l] == productFilter { found = true; break }
                        if !found { continue }
                    }
                    size[row] += 1
                    let base = row * rows
                    var lastOffset = -1
                    for i in lo..<hi {
                        if day[i] > asOfDay { break }
                        let k = periodIndex(Int(month[i])) - cohort
                        if k != lastOffset { active[base + k] += 1; lastOffset = k }
                        revenue[base + k] += total[i]
                    }
                }
            }}}}}}}}}}
        }

        var cohorts: [Cohort] = []
        cohorts.reserveCapacity(rows)
        var reachedCustomers = [Int](repeating: 0, count: rows)
        var reachedActive = [Int](repeating: 0, count: rows)
        for row in 0..<rows {
            let n = size[row]
            let offsets = rows - row
            var cells: [Cell] = []
            cells.reserveCapacity(offsets)
            var cumulative: Int64 = 0
            for k in 0..<offsets {
                let a = active[row * rows + k]
                cumulative += revenue[row * rows + k]
                let complete = k < offsets - 1 || lastComplete
                if complete { reachedCustomers[k] += n; reachedActive[k] += a }
                cells.append(Cell(offset: k, activeCustomers: a, retention: n == 0 ? nil : Double(a) / Double(n),
                                  revenue: Money(minorUnits: revenue[row * rows + k], currency: currency),
                                  cumulativeRevenuePerCustomer: Money.roundedQuotient(cumulative, Int64(n)).map { Money(minorUnits: $0, currency: currency) },
                                  isComplete: complete))
            }
            cohorts.append(Cohort(label: label(firstIndex + row, granularity), customers: n, cells: cells))
        }
        let average: [Double?] = (0..<rows).map { k in
            reachedCustomers[k] == 0 ? nil : Double(reachedActive[k]) / Double(reachedCustomers[k])
        }
        return Cohorts(asOf: asOf, currency: currency, timeZone: timeZone, granularity: granularity, filter: filter,
                       cohorts: cohorts, averageRetention: average)
    }
}
