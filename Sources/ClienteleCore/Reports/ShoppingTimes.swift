/// When customers shop (METRICS.md, "Behaviour", "When customers shop"): orders and revenue by hour of day
/// × weekday in the shop's time zone, by month of year and by year, over a period, optionally for an
/// audience (a set of customers).
public struct ShoppingTimes: Sendable, Equatable {
    /// The as-of date the period was derived from.
    public var asOf: ShopDate
    /// The period `P`.
    public var period: Period
    /// The shop's reporting currency.
    public var currency: Currency
    /// The shop's IANA time zone the hours, weekdays and months are taken in.
    public var timeZone: String
    /// A description of the audience the figures are restricted to; `nil` for every order.
    public var audience: String?
    /// Orders counted (anonymous orders included when there is no audience).
    public var orders: Int
    /// Sum of the gross totals of the orders counted.
    public var revenue: Money
    /// The 7 × 24 grid: `grid[(weekday − 1) × 24 + hour]`, Monday first (ISO weekday 1–7), hours 0–23.
    public var grid: [Slot]
    /// Orders and revenue per weekday, Monday first.
    public var weekdays: [Slot]
    /// Orders and revenue per hour of day, 0–23.
    public var hours: [Slot]
    /// Orders and revenue per month of the year, January first (all years in `P` together).
    public var monthsOfYear: [Slot]
    /// Orders and revenue per calendar year overlapping `P`, ascending.
    public var years: [Slot]

    /// The orders and revenue of one bucket; `weekday`, `hour`, `month` and `year` say which (0 when unused).
    public struct Slot: Sendable, Equatable {
        /// ISO weekday 1 (Monday) – 7 (Sunday); 0 when the bucket is not by weekday.
        public var weekday: Int
        /// Hour of day 0–23 in shop time; -1 when the bucket is not by hour.
        public var hour: Int
        /// Month 1–12; 0 when the bucket is not by month.
        public var month: Int
        /// Calendar year; 0 when the bucket is not by year.
        public var year: Int
        /// Orders placed in the bucket.
        public var orders: Int
        /// Sum of their gross totals.
        public var revenue: Money
    }

    /// The slot of `weekday` (1 = Monday … 7 = Sunday) and `hour` (0–23).
    public func slot(weekday: Int, hour: Int) -> Slot { grid[(weekday - 1) * 24 + hour] }

    /// English weekday abbreviations, Monday first.
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    /// English month abbreviations, January first.
    public static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The ISO weekday (1 = Monday … 7 = Sunday) of a shop day number (1970-01-01 was a Thursday).
    @inline(__always)
    static func isoWeekday(day: Int32) -> Int {
        let d = Int(day)
        return ((d % 7 + 7 + 3) % 7) + 1
    }

    /// The shop-time hour (0–23) of an instant with the shop's UTC offset at it.
    @inline(__always)
    static func hour(instant: Int64, offset: Int32) -> Int {
        let local = instant + Int64(offset)
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        return Int(secondOfDay / 3600)
    }

    /// Computes when customers shop over `period` (METRICS.md, "When customers shop"); a pure function of
    /// its arguments. Without `customers`, every non-cancelled order in `P` counts, anonymous ones included;
    /// with it, only orders of customers whose dense id `c` has `customers[c] == true` (an audience; see
    /// `BestSellers.topCustomerMask` for the top customers by revenue). `audience` is the audience's
    /// description shown with the figures.
    public static func compute(snapshot s: ShopSnapshot, period: Period, asOf: ShopDate, currency: Currency,
                               timeZone: String, customers: [Bool]? = nil, audience: String? = nil) -> ShoppingTimes {
        var gridOrders = [Int](repeating: 0, count: 7 * 24)
        var gridRevenue = [Int64](repeating: 0, count: 7 * 24)
        var monthOrders = [Int](repeating: 0, count: 12)
        var monthRevenue = [Int64](repeating: 0, count: 12)
        let firstYear = period.start.year
        let yearCount = period.isEmpty ? 0 : period.lastDay.year - firstYear + 1
        var yearOrders = [Int](repeating: 0, count: yearCount)
        var yearRevenue = [Int64](repeating: 0, count: yearCount)
        let ps = Int32(clamping: period.start.dayNumber), pe = Int32(clamping: period.end.dayNumber)

        if !period.isEmpty {
            s.orderDay.withUnsafeBufferPointer { day in
            s.orderMonth.withUnsafeBufferPointer { month in
            s.orderInstant.withUnsafeBufferPointer { instant in
            s.orderUTCOffset.withUnsafeBufferPointer { offset in
            s.orderTotal.withUnsafeBufferPointer { total in
            s.orderCustomer.withUnsafeBufferPointer { customer in
            gridOrders.withUnsafeMutableBufferPointer { gO in
            gridRevenue.withUnsafeMutableBufferPointer { gR in
                @inline(__always) func add(_ i: Int) {
                    let d = day[i]
                    if d < ps || d >= pe { return }
                    let cell = (isoWeekday(day: d) - 1) * 24 + hour(instant: instant[i], offset: offset[i])
                    let amount = total[i]
                    gO[cell] += 1
                    gR[cell] += amount
                    let m = Int(month[i])
                    let y = m >= 0 ? m / 12 : (m - 11) / 12
                    let moy = m - y * 12
                    monthOrders[moy] += 1
                    monthRevenue[moy] += amount
                    let yi = y - firstYear
                    if yi >= 0 && yi < yearCount {
                        yearOrders[yi] += 1
                        yearRevenue[yi] += amount
                    }
                }
                if let customers {
                    for i in 0..<s.identifiedOrderCount {
                        let c = Int(customer[i])
                        if c < customers.count && customers[c] { add(i) }
                    }
                } else {
                    for i in 0..<s.orderCount { add(i) }
                }
            }}}}}}}}
        }

        func money(_ m: Int64) -> Money { Money(minorUnits: m, currency: currency) }
        var grid: [Slot] = []
        grid.reserveCapacity(7 * 24)
        var weekdays: [Slot] = []
        var hours = (0..<24).map { Slot(weekday: 0, hour: $0, month: 0, year: 0, orders: 0, revenue: money(0)) }
        var hourRevenue = [Int64](repeating: 0, count: 24)
        for w in 1...7 {
            var o = 0
            var r: Int64 = 0
            for h in 0..<24 {
                let k = (w - 1) * 24 + h
                grid.append(Slot(weekday: w, hour: h, month: 0, year: 0, orders: gridOrders[k], revenue: money(gridRevenue[k])))
                o += gridOrders[k]
                r += gridRevenue[k]
                hours[h].orders += gridOrders[k]
                hourRevenue[h] += gridRevenue[k]
            }
            weekdays.append(Slot(weekday: w, hour: -1, month: 0, year: 0, orders: o, revenue: money(r)))
        }
        for h in 0..<24 { hours[h].revenue = money(hourRevenue[h]) }
        let months = (0..<12).map {
            Slot(weekday: 0, hour: -1, month: $0 + 1, year: 0, orders: monthOrders[$0], revenue: money(monthRevenue[$0]))
        }
        let years = (0..<yearCount).map {
            Slot(weekday: 0, hour: -1, month: 0, year: firstYear + $0, orders: yearOrders[$0], revenue: money(yearRevenue[$0]))
        }
        return ShoppingTimes(asOf: asOf, period: period, currency: currency, timeZone: timeZone, audience: audience,
                             orders: gridOrders.reduce(0, +), revenue: money(gridRevenue.reduce(0, +)),
                             grid: grid, weekdays: weekdays, hours: hours, monthsOfYear: months, years: years)
    }
}
