import ClienteleCore

/// How well a fit predicts what happened after its calibration period (METRICS.md, "Predictive models": a
/// model's fit is shown with its quality): predicted vs actual repeat purchase days in the holdout, in total
/// and by calibration frequency (0, 1, …, 6, 7+), and the cumulative tracking curve, week by week.
public struct HoldoutValidation: Sendable, Hashable {
    /// The calibration end `D`.
    public var calibrationEnd: ShopDate
    /// The holdout end; nil without a holdout (then only the tracking curve up to `D` is given).
    public var holdoutEnd: ShopDate?
    /// The holdout's length in the fit's unit.
    public var holdoutLength: Double
    /// Customers in the calibration period.
    public var customers: Int
    /// Σ over customers of E[Y(holdout) | x, tₓ, T]: the predicted repeat purchase days in the holdout.
    public var predicted: Double
    /// The actual repeat purchase days in the holdout.
    public var actual: Int
    /// By calibration frequency.
    public var buckets: [Bucket]
    /// Cumulative repeat purchase days since the first customer's first purchase, every seven days up to the
    /// holdout end (or `D`), with `D` itself and that end added.
    public var tracking: [TrackingPoint]

    /// Customers with one calibration frequency (or 7 and more).
    public struct Bucket: Sendable, Hashable {
        /// The frequency (repeat purchase days up to `D`); the last bucket holds this and more.
        public var frequency: Int
        /// Whether this is the open-ended last bucket ("7+").
        public var andMore: Bool
        /// Customers in the bucket.
        public var customers: Int
        /// Their predicted holdout repeat purchase days, summed.
        public var predicted: Double
        /// Their actual holdout repeat purchase days, summed.
        public var actual: Int

        /// "0", "1", …, "7+".
        public var label: String { andMore ? "\(frequency)+" : "\(frequency)" }
        /// Predicted per customer; nil for an empty bucket.
        public var predictedPerCustomer: Double? { customers == 0 ? nil : predicted / Double(customers) }
        /// Actual per customer; nil for an empty bucket.
        public var actualPerCustomer: Double? { customers == 0 ? nil : Double(actual) / Double(customers) }
    }

    /// One point of the tracking curve.
    public struct TrackingPoint: Sendable, Hashable {
        /// The last day counted.
        public var date: ShopDate
        /// Weeks since the tracking curve's day 0 (fractional for the last point).
        public var week: Double
        /// Actual repeat purchase days up to and including `date`.
        public var actual: Int
        /// Σ over customers of E[X(date − first purchase)]: the unconditional expected repeat purchase days.
        public var predicted: Double
    }

    /// The highest bucket, shown as "7+".
    public static let lastBucket = 7

    /// Compares `fit` with what happened in the holdout of `summaries` (the summaries it was fitted on).
    public static func compute(fit: RepeatPurchaseFit, summaries s: PurchaseSummaries) -> HoldoutValidation {
        let length = s.holdoutLength
        var buckets = (0...lastBucket).map { Bucket(frequency: $0, andMore: $0 == lastBucket, customers: 0, predicted: 0, actual: 0) }
        var cache: [UInt64: Double] = [:]
        var predicted = 0.0, actual = 0, customers = 0
        for c in 0..<s.customerCount where s.isIncluded(c) {
            let x = Int(s.frequency[c])
            customers += 1
            var expected = 0.0
            if length > 0 {
                let key = UInt64(x) << 32 | UInt64(UInt32(s.ageDays[c]))
                let givenAlive: Double
                if let v = cache[key] { givenAlive = v } else {
                    givenAlive = fit.expectedPurchasesGivenAlive(length, frequency: x, age: s.age(c))
                    cache[key] = givenAlive
                }
                expected = fit.probabilityAlive(frequency: x, recency: s.recency(c), age: s.age(c)) * givenAlive
            }
            let b = min(x, lastBucket)
            buckets[b].customers += 1
            buckets[b].predicted += expected
            buckets[b].actual += Int(s.holdoutFrequency[c])
            predicted += expected
            actual += Int(s.holdoutFrequency[c])
        }

        // Tracking curve: E[X(t)] once per whole day of age, births counted per day.
        let day0 = s.firstDay.dayNumber
        let end = (s.holdoutEnd ?? s.calibrationEnd).dayNumber
        let span = max(0, end - day0)
        var births = [Int](repeating: 0, count: span + 1)
        for c in 0..<s.customerCount where s.isIncluded(c) { births[Int(s.firstPurchaseDay[c]) - day0] += 1 }
        let expectedByAge = (0...span).map { fit.expectedRepeatPurchases(Double($0) / fit.unit.days) }
        var points: [Int] = Array(stride(from: day0 + 7, through: end, by: 7))
        let calibrationDay = s.calibrationEnd.dayNumber
        if calibrationDay < end && calibrationDay > day0 && (calibrationDay - day0) % 7 != 0 {
            points.insert(calibrationDay, at: points.firstIndex { $0 > calibrationDay } ?? points.count)
        }
        if points.last != end { points.append(end) }
        var tracking: [TrackingPoint] = []
        var cumulative = 0, counted = day0 - 1
        for p in points {
            while counted < p {
                counted += 1
                let i = counted - day0
                if i >= 0 && i < s.repeatPurchasesPerDay.count { cumulative += Int(s.repeatPurchasesPerDay[i]) }
            }
            var expected = 0.0
            for d in 0...(p - day0) where births[d] > 0 { expected += Double(births[d]) * expectedByAge[p - day0 - d] }
            tracking.append(TrackingPoint(date: ShopDate(dayNumber: p), week: Double(p - day0) / 7, actual: cumulative, predicted: expected))
        }
        return HoldoutValidation(calibrationEnd: s.calibrationEnd, holdoutEnd: s.holdoutEnd, holdoutLength: length,
                                 customers: customers, predicted: predicted, actual: actual, buckets: buckets, tracking: tracking)
    }
}
