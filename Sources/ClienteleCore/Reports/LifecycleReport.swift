/// The lifecycle page (METRICS.md, "Lifecycle and groups"): every customer's stage as of a date with the
/// reason in words, the stage counts, and the active customers at the date and 1, 3, 6 and 12 months
/// before it with the change in percent.
public struct LifecycleReport: Sendable {
    /// The as-of date `D`.
    public var asOf: ShopDate
    /// The shop's IANA time zone.
    public var timeZone: String
    /// The thresholds the stages were judged with.
    public var thresholds: ShopSettings.Thresholds
    /// Customers per stage at `D`.
    public var counts: GrowthReport.StageCounts
    /// Active customers at `D` and 1, 3, 6 and 12 months before.
    public var activeCustomers: [ActivePoint]
    /// Every customer's figures at `D` (stage, usual interval, orders …).
    public var profiles: CustomerProfiles
    /// The snapshot the report was computed from (for customer keys and e-mails).
    public var snapshot: ShopSnapshot

    /// Active customers at one date, and how `D`'s count compares with it.
    public struct ActivePoint: Sendable, Equatable {
        /// Calendar months before `D` (0 for `D` itself).
        public var monthsBefore: Int
        /// The date (`D` minus `monthsBefore` calendar months, the day clamped to the month's end).
        public var date: ShopDate
        /// Customers in stage Active at `date`.
        public var active: Int
        /// (active at `D` − active at `date`) ÷ active at `date`; `nil` for `D` itself and when that is 0.
        public var change: Double?
    }

    /// The months before `D` the active customers are compared with.
    public static let comparisonMonths = [1, 3, 6, 12]

    /// Computes the lifecycle page as of `asOf` (METRICS.md, "Lifecycle and groups"); a pure function.
    public static func compute(snapshot: ShopSnapshot, asOf: ShopDate, thresholds: ShopSettings.Thresholds,
                               timeZone: String) -> LifecycleReport {
        let profiles = CustomerProfiles.compute(snapshot: snapshot, asOf: asOf, thresholds: thresholds)
        return compute(snapshot: snapshot, profiles: profiles, timeZone: timeZone)
    }

    /// The lifecycle page from already computed profiles.
    public static func compute(snapshot: ShopSnapshot, profiles: CustomerProfiles, timeZone: String) -> LifecycleReport {
        var counts = GrowthReport.StageCounts()
        for c in 0..<snapshot.customerCount where profiles.orders[c] > 0 { counts[profiles.stage[c]] += 1 }
        let asOf = profiles.asOf
        let earlier = comparisonMonths.map { asOf.adding(months: -$0) }
        let earlierCounts = GrowthReport.stageCounts(snapshot: snapshot, at: earlier.reversed(), thresholds: profiles.thresholds)
        var points = [ActivePoint(monthsBefore: 0, date: asOf, active: counts.active, change: nil)]
        for (i, months) in comparisonMonths.enumerated() {
            let then = earlierCounts[earlierCounts.count - 1 - i].active
            points.append(ActivePoint(monthsBefore: months, date: earlier[i], active: then,
                                      change: then == 0 ? nil : Double(counts.active - then) / Double(then)))
        }
        return LifecycleReport(asOf: asOf, timeZone: timeZone, thresholds: profiles.thresholds, counts: counts,
                               activeCustomers: points, profiles: profiles, snapshot: snapshot)
    }

    /// The stage of customer `c` at `D`; `nil` when they had no order up to `D`.
    public func stage(ofCustomer c: Int) -> LifecycleStage? { profiles.orders[c] > 0 ? profiles.stage[c] : nil }

    /// Whole shop days from customer `c`'s last order up to `D`.
    public func daysSinceLastOrder(_ c: Int) -> Int {
        asOf.dayNumber - Int(snapshot.orderDay[Int(profiles.lastOrder[c])])
    }

    /// Whole shop days from customer `c`'s first order up to `D`.
    public func daysSinceFirstOrder(_ c: Int) -> Int {
        asOf.dayNumber - Int(snapshot.orderDay[Int(snapshot.customerOrderStart[c])])
    }

    /// Why customer `c` is in their stage, in words, e.g. "last ordered 74 days ago; usually orders every
    /// 31 days: slipping away after 46.5 days, lost after 62".
    public func reason(_ c: Int) -> String {
        let t = thresholds
        if profiles.stage[c] == .new {
            return "first ordered \(Self.daysAgo(daysSinceFirstOrder(c))): new for the first \(t.newCustomerDays) days"
        }
        let u = profiles.intervalDays[c]
        let rhythm: String
        switch profiles.intervalSource(c) {
        case .own:
            rhythm = "usually orders every \(Self.days(u))"
        case .shopMedian:
            rhythm = "one order so far, and the shop's customers usually order again after \(Self.days(u))"
        case .default:
            rhythm = "one order so far and no repeat customers yet, so \(Self.days(u)) is assumed"
        }
        return "last ordered \(Self.daysAgo(daysSinceLastOrder(c))); \(rhythm): slipping away after "
            + Self.days(t.activeFactor * u) + ", lost after " + Self.number(t.slippingFactor * u)
    }

    /// "today", "1 day ago", "74 days ago".
    static func daysAgo(_ n: Int) -> String {
        n == 0 ? "today" : n == 1 ? "1 day ago" : "\(n) days ago"
    }

    /// "1 day", "31 days", "46.5 days".
    static func days(_ d: Double) -> String {
        let text = number(d)
        return text == "1" ? "1 day" : text + " days"
    }

    /// `d` with at most one decimal, without a trailing ".0" (plain digits for sentences).
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "–" }
        let tenths = Int64((d * 10).rounded(.toNearestOrAwayFromZero))
        let whole = tenths / 10, frac = abs(tenths % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return frac == 0 ? sign + String(whole) : sign + String(whole) + "." + String(frac)
    }
}
