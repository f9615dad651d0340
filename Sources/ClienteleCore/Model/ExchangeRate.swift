/// A rate from the user's rate table: shop-currency units per one unit of `currency`, kept as an exact
/// decimal (`mantissa` × 10^-`scale`), e.g. `EUR,7.46` in a DKK shop is mantissa 746, scale 2.
public struct ExchangeRate: Hashable, Sendable, CustomStringConvertible {
    /// The foreign currency this rate converts from.
    public let currency: Currency
    /// The rate's digits without the decimal point.
    public let mantissa: Int64
    /// How many of `mantissa`'s digits are after the decimal point.
    public let scale: Int

    /// A rate of `mantissa` × 10^-`scale` shop units per unit of `currency`.
    public init(currency: Currency, mantissa: Int64, scale: Int) {
        self.currency = currency
        self.mantissa = mantissa
        self.scale = scale
    }

    /// Parses a rate written as a positive decimal (`7.46`, `0,65` with `decimalComma`); at most 12 fraction digits.
    public init?(currency: Currency, text: Substring, decimalComma: Bool = false) {
        let sep: Character = decimalComma ? "," : "."
        let trimmed = text
        let parts = trimmed.split(separator: sep, maxSplits: 1, omittingEmptySubsequences: false)
        let fractionText = parts.count == 2 ? parts[1] : ""
        guard fractionText.count <= 12 else { return nil }
        guard let m = Money.parseMinorUnits(trimmed, digits: fractionText.count, decimalComma: decimalComma), m > 0 else { return nil }
        self.init(currency: currency, mantissa: m, scale: fractionText.count)
    }

    /// The rate as text, e.g. `7.4600` is shown as `7.46`.
    public var description: String {
        var m = mantissa, s = scale
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        return Money.decimalString(m, digits: s)
    }

    /// Converts `minorUnits` of `currency` into minor units of `target`: amount × rate, rounded to the target's
    /// minor unit, halves away from zero (METRICS.md, "Currency conversion"). `nil` on overflow.
    public func convert(_ minorUnits: Int64, to target: Currency) -> Int64? {
        // value_target_minor = minor * mantissa * 10^targetDigits / (10^scale * 10^sourceDigits)
        var numerator = Int128(minorUnits) * Int128(mantissa)
        var denominatorExp = scale + currency.minorDigits
        var targetExp = target.minorDigits
        // Cancel common powers of ten to keep the numbers small.
        let common = min(denominatorExp, targetExp)
        denominatorExp -= common
        targetExp -= common
        for _ in 0..<targetExp { numerator *= 10 }
        var denominator: Int128 = 1
        for _ in 0..<denominatorExp { denominator *= 10 }
        let q = numerator / denominator
        let r = numerator % denominator
        var result = q
        if r != 0 && (r.magnitude * 2 >= denominator.magnitude) {
            result += numerator < 0 ? -1 : 1
        }
        guard result >= Int128(Int64.min) && result <= Int128(Int64.max) else { return nil }
        return Int64(result)
    }
}
