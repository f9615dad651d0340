import ClienteleCore

/// How the pages write numbers in English: `1,234`, `12.3 %`, `1,234.50 DKK`, "–" for no value. Pages that
/// follow the request's language use `LocaleFormat` (`ShopReports.format`) instead.
enum Format {
    /// A whole number with thousands separators.
    static func int(_ n: Int) -> String { LocaleFormat.english.int(n) }

    /// An optional whole number ("–" for nil).
    static func int(_ n: Int?) -> String { LocaleFormat.english.int(n) }

    /// A share as a percentage with one decimal ("–" for nil).
    static func percent(_ share: Double?) -> String { LocaleFormat.english.percent(share) }

    /// A number with `digits` decimals ("–" for nil).
    static func decimal(_ v: Double?, digits: Int = 1) -> String { LocaleFormat.english.decimal(v, digits: digits) }

    /// Money with grouping, its exact minor units and the currency code ("–" for nil).
    static func money(_ m: Money?) -> String { LocaleFormat.english.money(m) }

    /// A signed relative change, e.g. `+12.5 %`.
    static func change(_ relative: Double?) -> String { LocaleFormat.english.change(relative) }
}

/// How one language writes numbers, money, percentages and dates on the pages. The separators are fixed
/// per language (not read from the system's locale data), so a page reads the same on every machine:
///
/// | | number | money | percent | date |
/// |---|---|---|---|---|
/// | en | `1,234.50` | `1,234.50 DKK` | `12.5 %` | `2026-11-24` |
/// | da | `1.234,50` | `1.234,50 kr.` (DKK) | `12,5 %` | `24.11.2026` |
/// | sv | `1 234,50` | `1 234,50 kr` (SEK) | `12,5 %` | `2026-11-24` |
/// | nb | `1 234,50` | `1 234,50 kr` (NOK) | `12,5 %` | `24.11.2026` |
///
/// sv and nb group with a no-break space (U+00A0); da, sv and nb put a no-break space before `%` and the
/// currency. A currency other than the language's own krone is written with its code (`1.234,50 EUR`).
/// The minus sign is U+2212 and "–" stands for no value in every language.
public struct LocaleFormat: Sendable {
    /// The language.
    public let language: Language

    /// English, the dashboard's original format.
    public static let english = LocaleFormat(language: .en)

    /// The format of `language`.
    public init(language: Language) { self.language = language }

    /// The thousands separator.
    var groupSeparator: String {
        switch language {
        case .en: return ","
        case .da: return "."
        case .sv, .nb: return "\u{00A0}"
        }
    }

    /// The decimal separator.
    var decimalSeparator: String { language == .en ? "." : "," }

    /// The space between a number and its unit (`%`, the currency).
    var unitSpace: String { language == .en ? " " : "\u{00A0}" }

    /// The language's own currency and how it is written after an amount.
    var localCurrency: (code: String, symbol: String)? {
        switch language {
        case .en: return nil
        case .da: return ("DKK", "kr.")
        case .sv: return ("SEK", "kr")
        case .nb: return ("NOK", "kr")
        }
    }

    /// The digits of a non-negative whole number with the group separator.
    func grouped(_ digits: String) -> String {
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += groupSeparator }
            out.append(ch)
        }
        return out
    }

    /// A whole number with thousands separators.
    public func int(_ n: Int) -> String { (n < 0 ? "−" : "") + grouped(String(n.magnitude)) }

    /// An optional whole number ("–" for nil).
    public func int(_ n: Int?) -> String { n.map { int($0) } ?? "–" }

    /// A share as a percentage with one decimal ("–" for nil).
    public func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "–" }
        return decimal(share * 100, digits: 1) + unitSpace + "%"
    }

    /// A number with `digits` decimals ("–" for nil).
    public func decimal(_ v: Double?, digits: Int = 1) -> String {
        guard let v, v.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = Int64((abs(v) * scale).rounded())
        let whole = Int(r / Int64(scale)), frac = r % Int64(scale)
        var text = int(whole)
        if digits > 0 {
            let f = String(frac)
            text += decimalSeparator + String(repeating: "0", count: digits - f.count) + f
        }
        return (v < 0 && r != 0 ? "−" : "") + text
    }

    /// Money from its exact minor units with grouping and the currency ("–" for nil).
    public func money(_ m: Money?) -> String {
        guard let m else { return "–" }
        let text = m.decimalString
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        var out = grouped(String(parts[0]))
        if parts.count > 1 { out += decimalSeparator + parts[1] }
        let unit = localCurrency.flatMap { $0.code == m.currency.code ? $0.symbol : nil } ?? m.currency.code
        return (negative ? "−" : "") + out + unitSpace + unit
    }

    /// A signed relative change, e.g. `+12.5 %`.
    public func change(_ relative: Double?) -> String {
        guard let relative, relative.isFinite else { return "–" }
        return (relative > 0 ? "+" : "") + percent(relative)
    }

    /// A shop date: `24.11.2026` in da and nb, ISO `2026-11-24` in en and sv.
    public func date(_ d: ShopDate) -> String {
        switch language {
        case .en, .sv: return d.description
        case .da, .nb:
            let iso = d.description
            let p = iso.split(separator: "-")
            guard p.count == 3 else { return iso }
            return "\(p[2]).\(p[1]).\(p[0])"
        }
    }

    /// A timestamp written as ISO 8601 (`2025-06-10T12:00:00+02:00`) shown as its local date in this
    /// language's format; any other text unchanged.
    public func dateOfTimestamp(_ text: String) -> String {
        guard text.count >= 10, let d = ShopDate(iso: String(text.prefix(10))) else { return text }
        return date(d)
    }
}
