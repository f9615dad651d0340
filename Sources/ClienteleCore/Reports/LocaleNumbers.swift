import Foundation

/// Formats numbers the way a locale writes them (group and decimal separators, minus sign, percent
/// pattern). Money is formatted from its exact minor units, never through `Double`. Create one per
/// rendering and format each value once.
struct LocaleNumbers {
    private let grouping: NumberFormatter
    /// The locale's decimal separator, e.g. `,` for `da_DK`.
    let decimalSeparator: String
    /// The locale's minus sign (U+2212 for `sv_SE`).
    let minusSign: String
    private let percentPrefix: String
    private let percentSuffix: String

    /// The formats of the locale with the given identifier, e.g. `da_DK`.
    init(locale identifier: String) {
        let locale = Locale(identifier: identifier)
        let g = NumberFormatter()
        g.locale = locale
        g.numberStyle = .decimal
        g.maximumFractionDigits = 0
        g.usesGroupingSeparator = true
        grouping = g
        decimalSeparator = g.decimalSeparator ?? "."
        minusSign = g.minusSign ?? "-"
        let p = NumberFormatter()
        p.locale = locale
        p.numberStyle = .percent
        p.maximumFractionDigits = 0
        let fifty = p.string(from: 0.5) ?? "50%"
        if let r = fifty.range(of: "50") {
            percentPrefix = String(fifty[..<r.lowerBound])
            percentSuffix = String(fifty[r.upperBound...])
        } else {
            percentPrefix = ""
            percentSuffix = "%"
        }
    }

    /// A whole number with the locale's grouping, e.g. `1.234` (da) or `1 234` (sv, U+00A0).
    func integer(_ value: Int) -> String {
        let digits = grouping.string(from: NSNumber(value: value.magnitude)) ?? String(value.magnitude)
        return value < 0 ? minusSign + digits : digits
    }

    /// `scaled ÷ 10^digits` written exactly with `digits` fraction digits, e.g. `1.451,24`.
    func fixed(_ scaled: Int64, digits: Int) -> String {
        var unit: UInt64 = 1
        for _ in 0..<digits { unit *= 10 }
        let m = scaled.magnitude
        let whole = grouping.string(from: NSNumber(value: m / unit)) ?? String(m / unit)
        var text = whole
        if digits > 0 {
            let f = String(m % unit)
            text += decimalSeparator + String(repeating: "0", count: digits - f.count) + f
        }
        return scaled < 0 ? minusSign + text : text
    }

    /// An amount of money with its currency's digits, without the currency code.
    func money(_ amount: Money) -> String { fixed(amount.minorUnits, digits: amount.currency.minorDigits) }

    /// `value` rounded to `digits` fraction digits, halves away from zero.
    func decimal(_ value: Double, digits: Int) -> String {
        var unit = 1.0
        for _ in 0..<digits { unit *= 10 }
        let scaled = (value * unit).rounded(.toNearestOrAwayFromZero)
        guard scaled.isFinite, abs(scaled) < 9e18 else { return String(value) }
        return fixed(Int64(scaled), digits: digits)
    }

    /// A fraction as a percentage with `digits` fraction digits in the locale's pattern, e.g. `27,2 %`.
    func percent(_ fraction: Double, digits: Int = 1) -> String {
        percentPrefix + decimal(fraction * 100, digits: digits) + percentSuffix
    }
}
