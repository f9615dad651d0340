import RealModule

/// Plain-text helpers for the prediction reports: fixed-decimal numbers and aligned columns.
enum PlainText {
    /// `value` with `digits` decimals (halves away from zero), a minus sign for negatives, "–" when not finite.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return value.description }
        let n = Int64(scaled)
        let unit = Int64(scale)
        var text = String(n / unit)
        if digits > 0 {
            let frac = String(n % unit)
            text += "." + String(repeating: "0", count: digits - frac.count) + frac
        }
        return (value < 0 && n != 0 ? "−" : "") + text
    }

    /// `fraction` as a percentage with one decimal ("72.7 %").
    static func percent(_ fraction: Double) -> String { fixed(fraction * 100, 1) + " %" }

    /// A number with a few significant digits for parameters (4 decimals, or scientific when tiny or huge).
    static func parameter(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value != 0 && (abs(value) < 1e-3 || abs(value) >= 1e6) { return value.description }
        return fixed(value, 4)
    }

    /// `value` rounded to `digits` decimals as a Double (for JSON).
    static func rounded(_ value: Double, _ digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    /// Columns aligned with two spaces between them, the header underlined; `right[i]` right-aligns column i.
    static func table(_ headers: [String], right: [Bool], _ rows: [[String]]) -> [String] {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() where i < widths.count {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(right[i] ? pad + cell : cell + pad)
            }
            var s = parts.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        var out = [line(headers)]
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for row in rows { out.append(line(row)) }
        return out
    }

    /// `text` with control characters replaced by U+FFFD (customer ids come from user data).
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars { out.append(u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) ? "\u{FFFD}" : u) }
        return String(out)
    }
}
