/// Formula CLV (METRICS.md, "CLV (seed 002) and retention metrics (seed 004)"): average order value ×
/// orders per customer per year × average customer lifespan in years, each input taken from the trailing
/// 12 months or overridden for what-if; affordable CAC at a margin and the "CLV ≥ 3 × CAC" rule.
///
/// From the data, as of `D`: the window `T` is the last 12 months (`D` − 12 calendar months up to and
/// including `D`, as the `last-12-months` preset) and `T'` the window of equal length before it.
/// - average order value = identified customers' revenue in `T` ÷ their orders in `T`, in minor units
///   rounded halves away from zero;
/// - orders per customer per year = identified orders in `T` ÷ customers with an order in `T` (the window
///   counts as one year);
/// - annual churn rate = customers with an order in `T'` and none in `T` ÷ customers with an order in `T'`;
/// - lifespan = 1 ÷ annual churn, capped at `maximumLifespanYears`; a churn of 0 gives the cap; without
///   customers in `T'` there is no churn rate and no lifespan from the data.
///
/// CLV = average order value (exact minor units) × orders per year × lifespan, computed in `Double` and
/// rounded once to a whole minor unit, halves away from zero; affordable CAC = that CLV × margin, rounded
/// the same way.
public struct FormulaCLV: Sendable, Equatable {
    /// The as-of date `D`.
    public var asOf: ShopDate
    /// The shop's reporting currency.
    public var currency: Currency
    /// The trailing 12 months `T` the inputs come from.
    public var window: Period
    /// The 12 months `T'` before `T` (for the annual churn rate).
    public var previousWindow: Period
    /// The counts behind the inputs.
    public var data: DataFigures
    /// Average order value used (data or what-if).
    public var averageOrderValue: Input<Money>
    /// Orders per customer per year used (data or what-if).
    public var ordersPerCustomerPerYear: Input<Double>
    /// Average customer lifespan in years used (data or what-if).
    public var lifespanYears: Input<Double>
    /// The formula CLV; `nil` when an input is missing.
    public var clv: Money?
    /// The gross margin as a fraction (0.4 = 40 %).
    public var margin: Double
    /// CLV × margin: the most a new customer may cost to acquire and still pay off; `nil` without CLV.
    public var affordableCAC: Money?
    /// CLV ÷ 3 rounded down to a minor unit: the highest CAC that still meets the "CLV ≥ 3 × CAC" rule; `nil` without CLV.
    public var maximumCACForRule: Money?
    /// The customer acquisition cost entered, if any.
    public var cac: Money?
    /// CLV ÷ CAC; `nil` without CLV, without a CAC or when the CAC is 0.
    public var clvToCACRatio: Double?
    /// Whether CLV ≥ 3 × CAC; `nil` without CLV or CAC.
    public var meetsRule: Bool?

    /// The lifespan cap in years when it is derived from the churn rate.
    public static let maximumLifespanYears = 10.0
    /// The margin used when none is given (the seed's example, 40 %).
    public static let defaultMargin = 0.4

    /// One input of the formula: the value used and the value from the data.
    public struct Input<Value: Sendable & Equatable>: Sendable, Equatable {
        /// The value the CLV is computed with; `nil` when neither data nor an override gives one.
        public var value: Value?
        /// The value from the data; `nil` when the data has none.
        public var fromData: Value?
        /// Whether `value` is a what-if override.
        public var isOverride: Bool
    }

    /// The counts over `T` and `T'` the inputs are derived from.
    public struct DataFigures: Sendable, Equatable {
        /// Identified customers' orders in `T`.
        public var orders: Int
        /// Identified customers' revenue in `T`.
        public var revenue: Money
        /// Customers with an order in `T`.
        public var customers: Int
        /// Customers with an order in `T'`.
        public var customersPrevious: Int
        /// Of those, customers with no order in `T`.
        public var churned: Int
        /// `churned ÷ customersPrevious`; `nil` when that is 0.
        public var annualChurnRate: Double?
        /// Whether the lifespan from the data was cut to `maximumLifespanYears`.
        public var lifespanCapped: Bool
    }

    /// What-if values that replace the inputs from the data.
    public struct Overrides: Sendable, Equatable {
        /// Average order value in minor units of the reporting currency.
        public var averageOrderValue: Int64?
        /// Orders per customer per year.
        public var ordersPerYear: Double?
        /// Average customer lifespan in years (not capped).
        public var lifespanYears: Double?

        /// Overrides; `nil` keeps the value from the data.
        public init(averageOrderValue: Int64? = nil, ordersPerYear: Double? = nil, lifespanYears: Double? = nil) {
            self.averageOrderValue = averageOrderValue
            self.ordersPerYear = ordersPerYear
            self.lifespanYears = lifespanYears
        }
    }

    /// CLV in minor units = average order value × orders per year × lifespan, rounded once to a whole minor
    /// unit, halves away from zero (seed 002: 500 × 3 × 2 = 3 000).
    public static func value(averageOrderValue: Int64, ordersPerYear: Double, lifespanYears: Double) -> Int64 {
        rounded(Double(averageOrderValue) * ordersPerYear * lifespanYears)
    }

    /// Affordable CAC in minor units = CLV × margin, rounded halves away from zero (seed 002: 3 000 at 40 % → 1 200).
    public static func affordableCAC(clv: Int64, margin: Double) -> Int64 {
        rounded(Double(clv) * margin)
    }

    /// Lifespan in years from an annual churn rate: 1 ÷ churn, capped at `maximumLifespanYears` (churn 0 gives the cap).
    public static func lifespan(annualChurnRate churn: Double) -> (years: Double, capped: Bool) {
        if churn <= 0 || 1 / churn > maximumLifespanYears { return (maximumLifespanYears, true) }
        return (1 / churn, false)
    }

    static func rounded(_ x: Double) -> Int64 {
        let r = x.rounded(.toNearestOrAwayFromZero)
        if r.isNaN { return 0 }
        if r >= 9.2e18 { return .max }
        if r <= -9.2e18 { return .min }
        return Int64(r)
    }

    /// Computes formula CLV as of `asOf` from the snapshot, with what-if `overrides`, the `margin` (a
    /// fraction) and an optional CAC in minor units; a pure function of its arguments.
    public static func compute(snapshot s: ShopSnapshot, asOf: ShopDate, overrides: Overrides = Overrides(),
                               margin: Double = defaultMargin, cac: Int64? = nil, currency: Currency) -> FormulaCLV {
        let window = Period.preset(.last12Months, asOf: asOf)
        let previous = window.previous
        let ws = Int32(clamping: window.start.dayNumber), we = Int32(clamping: window.end.dayNumber)
        let qs = Int32(clamping: previous.start.dayNumber)
        var orders = 0, customers = 0, sCount = 0, churned = 0
        var revenue: Int64 = 0
        s.orderDay.withUnsafeBufferPointer { day in
        s.orderTotal.withUnsafeBufferPointer { total in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<(start.count - 1) {
                let lo = Int(start[c]), hi = Int(start[c + 1])
                var inT = false, inPrevious = false
                for i in lo..<hi {
                    let d = day[i]
                    if d >= we { break }
                    if d >= ws {
                        inT = true
                        orders += 1
                        revenue += total[i]
                    } else if d >= qs {
                        inPrevious = true
                    }
                }
                if inT { customers += 1 }
                if inPrevious { sCount += 1; if !inT { churned += 1 } }
            }
        }}}

        let churn: Double? = sCount == 0 ? nil : Double(churned) / Double(sCount)
        let life = churn.map { lifespan(annualChurnRate: $0) }
        let dataAOV = Money.roundedQuotient(revenue, Int64(orders))
        let dataFrequency: Double? = customers == 0 ? nil : Double(orders) / Double(customers)

        let aov = overrides.averageOrderValue ?? dataAOV
        let frequency = overrides.ordersPerYear ?? dataFrequency
        let years = overrides.lifespanYears ?? life?.years
        var clv: Int64? = nil
        if let aov, let frequency, let years { clv = value(averageOrderValue: aov, ordersPerYear: frequency, lifespanYears: years) }
        func money(_ m: Int64?) -> Money? { m.map { Money(minorUnits: $0, currency: currency) } }

        var result = FormulaCLV(
            asOf: asOf, currency: currency, window: window, previousWindow: previous,
            data: DataFigures(orders: orders, revenue: Money(minorUnits: revenue, currency: currency), customers: customers,
                              customersPrevious: sCount, churned: churned, annualChurnRate: churn,
                              lifespanCapped: life?.capped ?? false),
            averageOrderValue: Input(value: money(aov), fromData: money(dataAOV), isOverride: overrides.averageOrderValue != nil),
            ordersPerCustomerPerYear: Input(value: frequency, fromData: dataFrequency, isOverride: overrides.ordersPerYear != nil),
            lifespanYears: Input(value: years, fromData: life?.years, isOverride: overrides.lifespanYears != nil),
            clv: money(clv), margin: margin, affordableCAC: nil, maximumCACForRule: nil, cac: money(cac),
            clvToCACRatio: nil, meetsRule: nil)
        if let clv {
            result.affordableCAC = money(affordableCAC(clv: clv, margin: margin))
            result.maximumCACForRule = money(clv >= 0 ? clv / 3 : 0)
            if let cac {
                result.meetsRule = Int128(clv) >= 3 * Int128(cac)
                result.clvToCACRatio = cac == 0 ? nil : Double(clv) / Double(cac)
            }
        }
        return result
    }
}
