/// An exact amount of money: integer minor units (øre, cents) of one currency. Never a `Double`.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in the currency's minor units.
    public var minorUnits: Int64
    /// The currency.
    public var currency: Currency

    /// An amount of `minorUnits` of `currency`.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The amount as a plain decimal string with the currency's digits, e.g. `1451.24`, `-0.05`, `1200` (JPY).
    public var decimalString: String { Money.decimalString(minorUnits, digits: currency.minorDigits) }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// Formats `minor` minor units as a plain decimal with `digits` fraction digits.
    public static func decimalString(_ minor: Int64, digits: Int) -> String {
        if digits == 0 { return String(minor) }
        let negative = minor < 0
        let magnitude = minor.magnitude
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let whole = magnitude / scale
        let fraction = String(magnitude % scale)
        let padded = String(repeating: "0", count: digits - fraction.count) + fraction
        return (negative ? "-" : "") + String(whole) + "." + padded
    }

    /// Parses a plain decimal (`1249.50`, `-3`, `0,5` when `decimalComma`) into minor units with `digits`
    /// fraction digits. Returns `nil` for text that is not a decimal number, has more fraction digits than
    /// the currency allows (other than trailing zeros), or does not fit in 64 bits.
    public static func parseMinorUnits(_ text: Substring, digits: Int, decimalComma: Bool = false) -> Int64? {
        let separator: UInt8 = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        var utf8 = Array(text.utf8)
        if utf8.isEmpty { return nil }
        var negative = false
        var i = 0
        if utf8[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if utf8[0] == UInt8(ascii: "+") { i = 1 }
        // Trailing zeros after the separator do not change the value: drop them.
        if let sep = utf8.firstIndex(of: separator) {
            while utf8.count > sep + 1, utf8.last == UInt8(ascii: "0") { utf8.removeLast() }
            if utf8.count == sep + 1 { utf8.removeLast() }
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenDigit = false
        var inFraction = false
        while i < utf8.count {
            let c = utf8[i]
            if c >= 48 && c <= 57 {
                seenDigit = true
                let d = Int64(c - 48)
                if inFraction {
                    fractionDigits += 1
                    if fractionDigits > digits { return nil }
                    fraction = fraction * 10 + d
                } else {
                    let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 { return nil }
                    whole = s
                }
            } else if c == separator && !inFraction {
                inFraction = true
            } else {
                return nil
            }
            i += 1
        }
        if !seenDigit { return nil }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        for _ in fractionDigits..<digits { fraction *= 10 }
        let (m, o1) = whole.multipliedReportingOverflow(by: scale)
        let (s, o2) = m.addingReportingOverflow(fraction)
        if o1 || o2 { return nil }
        return negative ? -s : s
    }
}
