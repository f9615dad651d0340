/// Charts drawn on the server as inline SVG (no script, nothing fetched): stacked bars with a text
/// alternative. Colours have at least 3:1 contrast against white.
enum Charts {
    /// One series of a stacked bar chart.
    struct Series: Sendable {
        /// The legend label.
        var label: String
        /// The fill colour (CSS).
        var colour: String
        /// One value per bar.
        var values: [Int]
    }

    /// A stacked bar chart: one `<g class="bar">` per label, one `<rect>` per non-zero series value.
    static func stackedBars(title: String, labels: [String], series: [Series], height: Int = 220, format: LocaleFormat? = nil) -> String {
        func number(_ v: Int) -> String { format?.int(v) ?? String(v) }
        let barWidth = 28, gap = 8, left = 48, bottom = 44, top = 12
        let width = left + labels.count * (barWidth + gap) + gap
        let totals = labels.indices.map { i in series.reduce(0) { $0 + ($1.values.indices.contains(i) ? $1.values[i] : 0) } }
        let maxTotal = max(1, totals.max() ?? 1)
        let plot = height - bottom - top
        var out = "<figure><svg role=\"img\" aria-label=\"\(html(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(html(title))</title>"
        // Axis: 0 and the maximum.
        out += "<line x1=\"\(left - 4)\" y1=\"\(top + plot)\" x2=\"\(width)\" y2=\"\(top + plot)\" stroke=\"#4a4a4a\"/>"
        out += "<text x=\"\(left - 8)\" y=\"\(top + 10)\" text-anchor=\"end\">\(number(maxTotal))</text>"
        out += "<text x=\"\(left - 8)\" y=\"\(top + plot)\" text-anchor=\"end\">0</text>"
        for (i, label) in labels.enumerated() {
            let x = left + gap + i * (barWidth + gap)
            var y = top + plot
            out += "<g class=\"bar\"><title>\(html(label)): "
            out += series.map { "\(html($0.label)) \(number($0.values.indices.contains(i) ? $0.values[i] : 0))" }.joined(separator: ", ")
            out += "</title>"
            for s in series {
                let v = s.values.indices.contains(i) ? s.values[i] : 0
                guard v > 0 else { continue }
                let h = max(1, Int((Double(v) / Double(maxTotal) * Double(plot)).rounded()))
                y -= h
                out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(s.colour)\"/>"
            }
            out += "</g>"
            out += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plot + 14)\" text-anchor=\"end\" transform=\"rotate(-45 \(x + barWidth / 2) \(top + plot + 14))\">\(html(label))</text>"
        }
        out += "</svg><figcaption class=\"legend\">"
        out += series.map { s -> String in "<span style=\"--c:\(s.colour)\">\(html(s.label))</span>" }.joined()
        out += "</figcaption></figure>"
        return out
    }
}
