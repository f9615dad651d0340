/// Where a customer is in their life with the shop as of a date, judged against their own buying rhythm
/// (METRICS.md, "Lifecycle and groups", "Stage").
public enum LifecycleStage: String, Sendable, Hashable, CaseIterable {
    /// The first order is less than `newCustomerDays` (30) days before the as-of date.
    case new
    /// Days since the last order ≤ `activeFactor` (1.5) × the usual interval.
    case active
    /// Days since the last order ≤ `slippingFactor` (2) × the usual interval, but more than the active limit.
    case slippingAway = "slipping-away"
    /// Longer than `slippingFactor` × the usual interval since the last order.
    case lost

    /// The stage's name as a shop owner reads it ("Slipping away").
    public var title: String {
        switch self {
        case .new: return "New"
        case .active: return "Active"
        case .slippingAway: return "Slipping away"
        case .lost: return "Lost"
        }
    }

    /// Dense index 0–3 (New, Active, Slipping away, Lost) for count arrays.
    @inline(__always)
    var index: Int {
        switch self {
        case .new: return 0
        case .active: return 1
        case .slippingAway: return 2
        case .lost: return 3
        }
    }

    /// The stage of a customer as of day `asOf` (METRICS.md, "Stage"): whose first order was on shop day
    /// `firstDay`, whose last order up to `asOf` was on `lastDay`, with usual interval `intervalDays`.
    /// Days since an order count whole shop days (`asOf − lastDay`); the interval is in elapsed days.
    @inline(__always)
    public static func classify(firstDay: Int, lastDay: Int, asOf: Int, intervalDays: Double,
                                thresholds: ShopSettings.Thresholds) -> LifecycleStage {
        if asOf - firstDay < thresholds.newCustomerDays { return .new }
        let since = Double(asOf - lastDay)
        if since <= thresholds.activeFactor * intervalDays { return .active }
        if since <= thresholds.slippingFactor * intervalDays { return .slippingAway }
        return .lost
    }
}

/// Where a customer's usual interval comes from (METRICS.md, "Usual interval").
public enum IntervalSource: String, Sendable, Hashable, CaseIterable {
    /// The median gap between the customer's own consecutive orders (≥ 2 orders).
    case own
    /// The shop's median first-to-second-order gap over all repeat customers (one order so far).
    case shopMedian = "shop-median"
    /// The default (`defaultIntervalDays`, 90) when the shop has no repeat customers yet.
    case `default`
}
