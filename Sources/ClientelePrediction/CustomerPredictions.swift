import ClienteleCore
import RealModule

/// The settings of the per-customer predictions (`docs/predictive.md` explains each).
public struct PredictionOptions: Sendable, Hashable {
    /// The CLV horizon in months.
    public var horizonMonths: Int
    /// The discount rate per month (0.01 = 1 %): month m's value is divided by (1 + rate)^m.
    public var monthlyDiscountRate: Double
    /// The gross margin as a fraction (0.4 = 40 %), applied to the CLV; nil for revenue CLV.
    public var margin: Double?
    /// The window of "expected purchases in the next t days", in days.
    public var purchaseWindowDays: Double

    /// Days in an average month (365.2425 ÷ 12): the CLV's month length.
    public static let daysPerMonth = 365.2425 / 12

    /// Options with the defaults: 12 months, 1 % a month, no margin, a 90-day window.
    public init(horizonMonths: Int = 12, monthlyDiscountRate: Double = 0.01, margin: Double? = nil, purchaseWindowDays: Double = 90) {
        self.horizonMonths = horizonMonths
        self.monthlyDiscountRate = monthlyDiscountRate
        self.margin = margin
        self.purchaseWindowDays = purchaseWindowDays
    }
}

/// One customer's predictions as of the summaries' date `D` (METRICS.md, "Predictive models").
public struct CustomerPrediction: Sendable, Hashable {
    /// P(alive): the probability the customer is still active at `D`.
    public var probabilityAlive: Double
    /// Expected purchases (purchase days) in the next `purchaseWindowDays` days after `D`.
    public var expectedPurchases: Double
    /// Expected value of a future purchase day (Gamma-Gamma conditional mean), major currency units; nil
    /// without a spend model.
    public var expectedOrderValue: Double?
    /// Predicted CLV over the horizon: Σₘ (expected purchases in month m) × expected order value × margin ÷
    /// (1 + d)^m, major currency units; nil without a spend model.
    public var clv: Double?
    /// The median number of days from `D` to the next purchase if the customer is still active.
    public var nextOrderDays: Double
    /// `D` + `nextOrderDays` rounded up; nil when that is more than ten years away.
    public var nextOrderDate: ShopDate?
}

/// Predictions for every customer of a set of summaries, indexed like them — for a shop, by the snapshot's
/// dense customer id, so other figures (audience filters) can join on it. `customers[c]` is nil for a
/// customer with no purchase up to `D`.
public struct CustomerPredictions: Sendable {
    /// The as-of date `D` (the summaries' calibration end).
    public var asOf: ShopDate
    /// The options used.
    public var options: PredictionOptions
    /// The repeat-purchase model used.
    public var fit: RepeatPurchaseFit
    /// The spend model used, when there is one.
    public var spend: GammaGammaFit?
    /// Per customer, nil without a purchase up to `D`.
    public var customers: [CustomerPrediction?]

    /// The mean P(alive) over the customers with a prediction; nil when there are none ("lost %" of a group
    /// is 1 − this, METRICS.md "Lifecycle and groups").
    public var meanProbabilityAlive: Double? {
        var n = 0, sum = 0.0
        for case let p? in customers { n += 1; sum += p.probabilityAlive }
        return n == 0 ? nil : sum / Double(n)
    }

    /// Predicts every included customer of `summaries` with `fit` (whose unit must match) and, when given, the
    /// spend model. The expensive part — the expectations given alive, with ₂F₁ — depends only on (x, T) and
    /// is computed once per distinct pair.
    public static func compute(summaries s: PurchaseSummaries, fit: RepeatPurchaseFit, spend: GammaGammaFit?,
                               options: PredictionOptions = PredictionOptions()) -> CustomerPredictions {
        let unitDays = s.unit.days
        let refit = fit.unit == s.unit ? fit : RepeatPurchaseFit(
            model: fit.model, unit: s.unit, parameters: fit.parameters.converted(from: fit.unit, to: s.unit),
            diagnostics: fit.diagnostics, customers: fit.customers, repeatCustomers: fit.repeatCustomers)
        let window = options.purchaseWindowDays / unitDays
        let months = max(0, options.horizonMonths)
        let monthLength = PredictionOptions.daysPerMonth / unitDays
        var discount = [Double](repeating: 1, count: months + 1)
        for m in 0...months where m > 0 { discount[m] = discount[m - 1] / (1 + options.monthlyDiscountRate) }
        let margin = options.margin ?? 1

        // Per distinct (x, T in days): [expected in window | alive, discounted purchases over the horizon | alive].
        var slot: [UInt64: Int32] = [:]
        var givenAliveWindow: [Double] = [], givenAliveDiscounted: [Double] = []
        var out = [CustomerPrediction?](repeating: nil, count: s.customerCount)
        for c in 0..<s.customerCount where s.isIncluded(c) {
            let x = Int(s.frequency[c])
            let age = s.age(c), recency = s.recency(c)
            let key = UInt64(x) << 32 | UInt64(UInt32(s.ageDays[c]))
            let index: Int
            if let i = slot[key] { index = Int(i) } else {
                index = givenAliveWindow.count
                slot[key] = Int32(index)
                givenAliveWindow.append(refit.expectedPurchasesGivenAlive(window, frequency: x, age: age))
                var previous = 0.0, total = 0.0
                for m in 0...months where m > 0 {
                    let cumulative = refit.expectedPurchasesGivenAlive(Double(m) * monthLength, frequency: x, age: age)
                    total += (cumulative - previous) * discount[m]
                    previous = cumulative
                }
                givenAliveDiscounted.append(total)
            }
            let alive = refit.probabilityAlive(frequency: x, recency: recency, age: age)
            let value = spend?.expectedAverageSpend(frequency: x, meanSpend: s.meanRepeatSpend(c))
            let nextDays = refit.medianTimeToNextPurchase(frequency: x, age: age) * unitDays
            let nextDate: ShopDate? = nextDays <= 3652.5 ? s.calibrationEnd.adding(days: Int(nextDays.rounded(.up))) : nil
            out[c] = CustomerPrediction(
                probabilityAlive: alive, expectedPurchases: alive * givenAliveWindow[index],
                expectedOrderValue: value, clv: value.map { alive * givenAliveDiscounted[index] * $0 * margin },
                nextOrderDays: nextDays, nextOrderDate: nextDate)
        }
        return CustomerPredictions(asOf: s.calibrationEnd, options: options, fit: refit, spend: spend, customers: out)
    }
}
