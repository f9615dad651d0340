extension GrowthReport {
    /// The chart as JSON text: one point per month or week with its date and stage counts.
    public func json() -> String { jsonValue.rendered() }

    /// The chart as an ordered JSON value.
    public var jsonValue: JSONValue {
        .object([
            ("from", .string(from.description)),
            ("to", .string(to.description)),
            ("by", .string(step.rawValue)),
            ("timeZone", .string(timeZone)),
            ("points", .array(points.map { p in
                .object([
                    ("label", .string(p.label)), ("date", .string(p.date.description)),
                    ("new", .int(p.counts.new)), ("active", .int(p.counts.active)),
                    ("slippingAway", .int(p.counts.slippingAway)), ("lost", .int(p.counts.lost)),
                    ("customers", .int(p.counts.customers)),
                ])
            })),
        ])
    }

    /// The chart as CSV (RFC 4180, CRLF): one row per month or week.
    public func csv() -> String {
        var out = "\(step.rawValue),date,new,active,slipping_away,lost,customers\r\n"
        for p in points {
            let c = p.counts
            out += "\(p.label),\(p.date),\(c.new),\(c.active),\(c.slippingAway),\(c.lost),\(c.customers)\r\n"
        }
        return out
    }

    /// The bar characters of the stages, New to Lost.
    public static let barCharacters: [Character] = ["█", "▓", "▒", "░"]

    /// The chart for a terminal: one stacked bar per month or week (█ new, ▓ active, ▒ slipping away,
    /// ░ lost; bars scaled to the largest customer count in `width` characters) beside the numbers.
    public func table(shopName: String, locale: String, width: Int = 40) -> String {
        let f = LocaleNumbers(locale: locale)
        var out = ["Customer base growth — " + TextTable.printable(shopName),
                   "\(from) – \(to) by \(step.rawValue) · stages at the end of each \(step.rawValue) · \(timeZone)",
                   "█ new  ▓ active  ▒ slipping away  ░ lost", ""]
        guard !points.isEmpty else { return (out + ["No \(step.rawValue) in the range."]).joined(separator: "\n") + "\n" }
        let most = max(1, points.map(\.counts.customers).max() ?? 1)
        var t = TextTable([(step == .month ? "Month" : "Week", .left), ("", .left), ("New", .right), ("Active", .right),
                           ("Slipping away", .right), ("Lost", .right), ("Customers", .right)])
        for p in points {
            t.add(p.label, Self.bar(p.counts, scale: most, width: width), f.integer(p.counts.new), f.integer(p.counts.active),
                  f.integer(p.counts.slippingAway), f.integer(p.counts.lost), f.integer(p.counts.customers))
        }
        out += t.lines(colour: false)
        return out.joined(separator: "\n") + "\n"
    }

    /// A stacked bar of `counts`, `width` characters for `scale` customers (segment ends rounded from the
    /// running total, so the segments add up to the bar's length).
    static func bar(_ counts: StageCounts, scale: Int, width: Int) -> String {
        var bar = ""
        var cumulative = 0, drawn = 0
        for (i, s) in LifecycleStage.allCases.enumerated() {
            cumulative += counts[s]
            let end = Int((Double(cumulative) / Double(scale) * Double(width)).rounded())
            if end > drawn { bar += String(repeating: barCharacters[i], count: end - drawn); drawn = end }
        }
        return bar
    }
}
