/// A plain-text table with aligned columns for terminal reports; a cell may carry a traffic-light colour
/// that is painted with ANSI escapes only when asked (padding is computed on the visible text).
struct TextTable {
    /// Column alignment.
    enum Alignment { case left, right }

    /// One cell: its visible text and an optional colour.
    struct Cell {
        var text: String
        var colour: Colour?
        init(_ text: String, colour: Colour? = nil) {
            self.text = TextTable.printable(text)
            self.colour = colour
        }
    }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[Cell]] = []

    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func add(_ cells: [Cell]) { rows.append(cells) }
    mutating func add(_ texts: String...) { rows.append(texts.map { Cell($0) }) }

    /// The table's lines: header, a rule, the rows; two spaces between columns, no trailing blanks.
    func lines(colour: Bool) -> [String] {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.text.count) }
        }
        func line(_ cells: [Cell]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() where i < widths.count {
                let pad = String(repeating: " ", count: widths[i] - cell.text.count)
                let shown = colour ? TextTable.paint(cell.text, cell.colour) : cell.text
                parts.append(alignments[i] == .right ? pad + shown : shown + pad)
            }
            var s = parts.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        var out = [line(headers.map { Cell($0) })]
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for row in rows { out.append(line(row)) }
        return out
    }

    /// `text` with control characters (which could move the cursor or inject escape sequences into a
    /// terminal) replaced by U+FFFD.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars { out.append(isControl(u) ? "\u{FFFD}" : u) }
        return String(out)
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) }

    /// `text` wrapped in the ANSI colour of `colour` (green 32, yellow 33, red 31).
    static func paint(_ text: String, _ colour: Colour?) -> String {
        guard let colour else { return text }
        let code: String
        switch colour {
        case .green: code = "32"
        case .yellow: code = "33"
        case .red: code = "31"
        }
        return "\u{1B}[" + code + "m" + text + "\u{1B}[0m"
    }
}
