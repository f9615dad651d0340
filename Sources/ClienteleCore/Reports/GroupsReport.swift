/// A customer's group by buying frequency and revenue (METRICS.md, "Lifecycle and groups", "Groups").
public enum CustomerGroup: String, Sendable, Hashable, CaseIterable {
    /// Exactly one order.
    case oneTime = "one-time"
    /// A repeat customer who is neither VIP nor frequent.
    case loyal
    /// Not VIP, ≥ `frequentOrdersPerYear` (4) orders per year of tenure (tenure at least `minimumTenureDays`).
    case frequent
    /// ≥ 2 orders and in the top `vipTopShare` (10 %) of all customers by lifetime revenue.
    case vip

    /// The group's name as a shop owner reads it.
    public var title: String {
        switch self {
        case .oneTime: return "One-time buyers"
        case .loyal: return "Loyal"
        case .frequent: return "Frequent"
        case .vip: return "VIP"
        }
    }

    /// Dense index 0–3 in declaration order.
    @inline(__always)
    var index: Int {
        switch self {
        case .oneTime: return 0
        case .loyal: return 1
        case .frequent: return 2
        case .vip: return 3
        }
    }
}

/// The groups page (METRICS.md, "Lifecycle and groups", "Groups" and "Per group"): one-time buyers, loyal,
/// frequent and VIP customers as of a date, with every per-group figure, and the same figures over all
/// customers.
public struct GroupsReport: Sendable, Equatable {
    /// The as-of date `D`.
    public var asOf: ShopDate
    /// The shop's reporting currency.
    public var currency: Currency
    /// The shop's IANA time zone.
    public var timeZone: String
    /// The thresholds the groups were judged with.
    public var thresholds: ShopSettings.Thresholds
    /// Customers with ≥ 1 order up to `D`.
    public var customers: Int
    /// The least lifetime revenue in the top `vipTopShare` of customers; `nil` when there is no room for one.
    public var vipRevenueCutoff: Money?
    /// One row per group, in the order one-time, loyal, frequent, VIP.
    public var groups: [Figures]
    /// The same figures over every customer.
    public var all: Figures
    /// Whether predicted values were given, so each group has its model "lost %" (`modelLostShare`).
    public var usesModel: Bool = false

    /// The figures of one group (METRICS.md, "Per group"); averages over nothing are `nil`.
    public struct Figures: Sendable, Equatable {
        /// The group; `nil` for the row over all customers.
        public var group: CustomerGroup?
        /// Customers in the group.
        public var customers: Int
        /// Customers ÷ all customers.
        public var share: Double?
        /// Lifetime value: mean revenue per customer (rounded to minor units, halves away from zero).
        public var lifetimeValue: Money?
        /// Orders ÷ customers.
        public var averageOrders: Double?
        /// Average basket size: units bought ÷ orders, over the group's orders.
        public var averageBasketSize: Double?
        /// Orders per customer per year of tenure: the group's orders ÷ the sum of its customers' tenures in
        /// years (tenure = `D` − first order, at least `minimumTenureDays`; a year is 365.25 days).
        public var annualOrders: Double?
        /// Revenue per customer per year of tenure: the group's revenue ÷ the sum of its customers' tenures in
        /// years (rounded to minor units, halves away from zero).
        public var annualRevenue: Money?
        /// Share of the group's customers in stage Lost.
        public var lostShare: Double?
        /// With the predictive model: 1 − the mean P(alive) of the group's customers (METRICS.md, "Per
        /// group"); `nil` without predicted values or without a customer who has one.
        public var modelLostShare: Double? = nil
        /// Revenue of the group's customers up to `D`.
        public var revenue: Money
        /// Orders of the group's customers up to `D`.
        public var orders: Int
    }

    /// Computes the groups as of `asOf` from the snapshot (METRICS.md, "Groups"); a pure function. With
    /// `predicted` (predicted values as of `asOf`), each group also gets 1 − mean P(alive).
    public static func compute(snapshot: ShopSnapshot, asOf: ShopDate, thresholds: ShopSettings.Thresholds,
                               currency: Currency, timeZone: String, predicted: PredictedValues? = nil) -> GroupsReport {
        let profiles = CustomerProfiles.compute(snapshot: snapshot, asOf: asOf, thresholds: thresholds)
        return compute(snapshot: snapshot, profiles: profiles, currency: currency, timeZone: timeZone, predicted: predicted)
    }

    /// The groups from already computed profiles (and, when given, predicted values as of the same date).
    public static func compute(snapshot s: ShopSnapshot, profiles p: CustomerProfiles, currency: Currency,
                               timeZone: String, predicted: PredictedValues? = nil) -> GroupsReport {
        var acc = [Accumulator](repeating: Accumulator(), count: 5)
        let asOfDay = p.asOf.dayNumber
        let minTenure = max(p.thresholds.minimumTenureDays, 1)
        s.orderDay.withUnsafeBufferPointer { day in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<(start.count - 1) {
                let k = Int(p.orders[c])
                if k == 0 { continue }
                let tenure = Double(max(asOfDay - Int(day[Int(start[c])]), minTenure))
                let rev = p.revenue[c], units = p.items[c], lost = p.stage[c] == .lost
                acc[p.group[c].index].add(orders: k, revenue: rev, items: units, tenureDays: tenure, lost: lost)
                acc[4].add(orders: k, revenue: rev, items: units, tenureDays: tenure, lost: lost)
                if let alive = predicted?.probabilityAlive(c) {
                    acc[p.group[c].index].addPrediction(alive)
                    acc[4].addPrediction(alive)
                }
            }
        }}
        let total = acc[4].customers
        func figures(_ a: Accumulator, _ group: CustomerGroup?) -> Figures {
            let n = a.customers
            return Figures(
                group: group, customers: n,
                share: total == 0 ? nil : Double(n) / Double(total),
                lifetimeValue: Money.roundedQuotient(a.revenue, Int64(n)).map { Money(minorUnits: $0, currency: currency) },
                averageOrders: n == 0 ? nil : Double(a.orders) / Double(n),
                averageBasketSize: a.orders == 0 ? nil : Double(a.items) / Double(a.orders),
                annualOrders: n == 0 ? nil : Double(a.orders) / a.tenureYears,
                annualRevenue: n == 0 ? nil : Money(minorUnits: Int64((Double(a.revenue) / a.tenureYears).rounded(.toNearestOrAwayFromZero)),
                                                     currency: currency),
                lostShare: n == 0 ? nil : Double(a.lost) / Double(n),
                modelLostShare: a.predicted == 0 ? nil : 1 - a.aliveSum / Double(a.predicted),
                revenue: Money(minorUnits: a.revenue, currency: currency),
                orders: a.orders)
        }
        return GroupsReport(asOf: p.asOf, currency: currency, timeZone: timeZone, thresholds: p.thresholds,
                            customers: total,
                            vipRevenueCutoff: p.vipRevenueCutoff.map { Money(minorUnits: $0, currency: currency) },
                            groups: CustomerGroup.allCases.map { figures(acc[$0.index], $0) },
                            all: figures(acc[4], nil), usesModel: predicted != nil)
    }

    /// The figures of `group`.
    public func figures(_ group: CustomerGroup) -> Figures { groups[group.index] }

    struct Accumulator {
        var customers = 0
        var orders = 0
        var revenue: Int64 = 0
        var items: Int64 = 0
        var tenureYears = 0.0
        var lost = 0
        var predicted = 0
        var aliveSum = 0.0

        @inline(__always)
        mutating func add(orders k: Int, revenue rev: Int64, items units: Int64, tenureDays: Double, lost isLost: Bool) {
            customers += 1
            orders += k
            revenue += rev
            items += units
            tenureYears += tenureDays / CustomerProfiles.daysPerYear
            if isLost { lost += 1 }
        }

        @inline(__always)
        mutating func addPrediction(_ alive: Double) {
            predicted += 1
            aliveSum += alive
        }
    }
}
