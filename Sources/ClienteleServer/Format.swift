import ClienteleCore

/// How the pages write numbers (English for now: `1,234`, `12.3 %`, `1,234.50 DKK`, "–" for no value).
enum Format {
    /// A whole number with thousands separators.
    static func int(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "−" : "") + out
    }

    /// An optional whole number ("–" for nil).
    static func int(_ n: Int?) -> String { n.map { int($0) } ?? "–" }

    /// A share as a percentage with one decimal ("–" for nil).
    static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "–" }
        return decimal(share * 100, digits: 1) + " %"
    }

    /// A number with `digits` decimals ("–" for nil).
    static func decimal(_ v: Double?, digits: Int = 1) -> String {
        guard let v, v.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = Int64((abs(v) * scale).rounded())
        let whole = Int(r / Int64(scale)), frac = r % Int64(scale)
        var text = int(whole)
        if digits > 0 {
            let f = String(frac)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return (v < 0 && r != 0 ? "−" : "") + text
    }

    /// Money with grouping, its exact minor units and the currency code ("–" for nil).
    static func money(_ m: Money?) -> String {
        guard let m else { return "–" }
        let text = m.decimalString
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        var out = int(Int(parts[0]) ?? 0)
        if parts.count > 1 { out += "." + parts[1] }
        return (negative ? "−" : "") + out + " " + m.currency.code
    }

    /// A signed relative change, e.g. `+12.5 %`.
    static func change(_ relative: Double?) -> String {
        guard let relative, relative.isFinite else { return "–" }
        return (relative > 0 ? "+" : "") + percent(relative)
    }
}
