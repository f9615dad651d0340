/// Each customer's predicted values as of a date (METRICS.md, "Predictive models"), as columns indexed by
/// the snapshot's dense customer id, so the audience fields `p_alive`, `predicted_clv`, `expected_purchases`
/// and `next_order` and a group's model "lost %" can join on them. The core does not fit models: the caller
/// fills this from its predictions (the CLI from the fit `clientele fit` saved).
public struct PredictedValues: Sendable, Equatable {
    /// The date the predictions are made as of (the audience's as-of date).
    public let asOf: ShopDate
    /// The window of `expectedPurchases`, in days after `asOf`.
    public let purchaseWindowDays: Int
    /// P(alive) per customer; NaN without a prediction.
    private var alive: ContiguousArray<Double>
    /// Expected purchases in the window per customer; NaN without a prediction.
    private var purchases: ContiguousArray<Double>
    /// Predicted CLV in minor units of the shop's currency; `Int64.min` when unknown.
    private var value: ContiguousArray<Int64>
    /// Day number of the expected next order; `Int32.min` when unknown.
    private var next: ContiguousArray<Int32>

    /// No predictions yet for `customerCount` customers; fill them with `set(customer:…)`.
    public init(asOf: ShopDate, customerCount: Int, purchaseWindowDays: Int = 90) {
        self.asOf = asOf
        self.purchaseWindowDays = purchaseWindowDays
        alive = ContiguousArray(repeating: .nan, count: customerCount)
        purchases = ContiguousArray(repeating: .nan, count: customerCount)
        value = ContiguousArray(repeating: .min, count: customerCount)
        next = ContiguousArray(repeating: .min, count: customerCount)
    }

    /// Customer slots (predicted or not).
    public var customerCount: Int { alive.count }

    /// Records customer `c`'s predictions: P(alive), expected purchases in the window, the predicted CLV in
    /// minor units (nil without a spend model) and the expected date of the next order (nil when unknown).
    public mutating func set(customer c: Int, probabilityAlive: Double, expectedPurchases: Double,
                             clvMinorUnits: Int64?, nextOrder: ShopDate?) {
        alive[c] = probabilityAlive
        purchases[c] = expectedPurchases
        value[c] = clvMinorUnits ?? .min
        next[c] = nextOrder.map { Int32(clamping: $0.dayNumber) } ?? .min
    }

    /// P(alive) of customer `c`; nil without a prediction.
    @inline(__always)
    public func probabilityAlive(_ c: Int) -> Double? {
        guard c < alive.count, !alive[c].isNaN else { return nil }
        return alive[c]
    }

    /// Expected purchases of customer `c` in the `purchaseWindowDays` after `asOf`; nil without a prediction.
    @inline(__always)
    public func expectedPurchases(_ c: Int) -> Double? {
        guard c < purchases.count, !purchases[c].isNaN else { return nil }
        return purchases[c]
    }

    /// Predicted CLV of customer `c` in minor units; nil without a prediction or a spend model.
    @inline(__always)
    public func clv(_ c: Int) -> Int64? {
        guard c < value.count, value[c] != .min else { return nil }
        return value[c]
    }

    /// Day number of customer `c`'s expected next order; nil when unknown.
    @inline(__always)
    public func nextOrderDay(_ c: Int) -> Int? {
        guard c < next.count, next[c] != .min else { return nil }
        return Int(next[c])
    }
}
