/// The traffic-light colour of a figure (METRICS.md, "Customer statistics page" and "Colours").
public enum Colour: String, Sendable, Hashable, CaseIterable {
    /// Good: at or above the green threshold.
    case green
    /// Between the thresholds.
    case yellow
    /// Poor: below the lower threshold.
    case red

    /// The repeat rate's colour: green at or above `green`, yellow at or above `yellow`, else red.
    public static func repeatRate(_ rate: Double?, thresholds: ShopSettings.Thresholds) -> Colour? {
        guard let rate else { return nil }
        if rate >= thresholds.repeatRateGreen { return .green }
        if rate >= thresholds.repeatRateYellow { return .yellow }
        return .red
    }

    /// A month's returning-share colour: green at or above the green threshold, red below the red one,
    /// yellow in between.
    public static func returningShare(_ share: Double?, thresholds: ShopSettings.Thresholds) -> Colour? {
        guard let share else { return nil }
        if share >= thresholds.returningShareGreen { return .green }
        if share < thresholds.returningShareRed { return .red }
        return .yellow
    }
}

extension Money {
    /// `numerator ÷ denominator` minor units rounded to a whole minor unit, halves away from zero
    /// (how averages of money are shown); `nil` when `denominator` is 0 (an average over nothing).
    public static func roundedQuotient(_ numerator: Int64, _ denominator: Int64) -> Int64? {
        guard denominator != 0 else { return nil }
        let n = Int128(numerator), d = Int128(denominator)
        var q = n / d
        let r = n % d
        if r != 0 && r.magnitude * 2 >= d.magnitude { q += (n < 0) != (d < 0) ? -1 : 1 }
        return Int64(clamping: q)
    }
}
