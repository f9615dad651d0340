extension Cohorts {
    /// The figure a triangle shows in each cell.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Share of the cohort with an order in the period.
        case retention
        /// Number of cohort customers with an order in the period.
        case customers
        /// Revenue of the cohort's orders in the period.
        case revenue
        /// Cumulative revenue per cohort customer through the period (the LTV curve).
        case ltv
    }

    /// The cohorts as JSON text: every figure of every cell, rates as fractions, money as decimal strings.
    public func json() -> String { jsonValue.rendered() }

    /// The cohorts as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        .object([
            ("asOf", .string(asOf.description)),
            ("currency", .string(currency.code)),
            ("timeZone", .string(timeZone)),
            ("by", .string(granularity.rawValue)),
            ("filter", .object([("firstProduct", .string(filter.firstProduct)), ("country", .string(filter.country))])),
            ("cohorts", .array(cohorts.map { c in
                .object([
                    ("cohort", .string(c.label)),
                    ("customers", .int(c.customers)),
                    ("cells", .array(c.cells.map { cell in
                        .object([
                            ("offset", .int(cell.offset)),
                            ("activeCustomers", .int(cell.activeCustomers)),
                            ("retention", .double(cell.retention)),
                            ("revenue", .money(cell.revenue)),
                            ("cumulativeRevenuePerCustomer", .money(cell.cumulativeRevenuePerCustomer)),
                            ("complete", .bool(cell.isComplete)),
                        ])
                    })),
                ])
            })),
            ("averageRetention", .array(averageRetention.map { .double($0) })),
        ])
    }

    /// The text of one cell for `metric`, plain (CSV: fractions and decimal strings) or in `numbers`.
    func cellText(_ cell: Cell, _ metric: Metric, _ numbers: LocaleNumbers?) -> String {
        switch metric {
        case .retention:
            guard let r = cell.retention else { return numbers == nil ? "" : "–" }
            return numbers.map { $0.percent(r) } ?? String(r)
        case .customers:
            return numbers.map { $0.integer(cell.activeCustomers) } ?? String(cell.activeCustomers)
        case .revenue:
            return numbers.map { $0.money(cell.revenue) } ?? cell.revenue.decimalString
        case .ltv:
            guard let m = cell.cumulativeRevenuePerCustomer else { return numbers == nil ? "" : "–" }
            return numbers.map { $0.money(m) } ?? m.decimalString
        }
    }

    /// The triangle of `metric` as CSV: one row per cohort (`cohort,customers,k0,k1,…`), empty cells where a
    /// cohort has not reached an offset; header row, CRLF line ends.
    public func csv(metric: Metric) -> String {
        let width = cohorts.map(\.cells.count).max() ?? 0
        var out = (["cohort", "customers"] + (0..<width).map { "k\($0)" }).joined(separator: ",") + "\r\n"
        for c in cohorts {
            var fields = [c.label, String(c.customers)]
            for k in 0..<width { fields.append(k < c.cells.count ? cellText(c.cells[k], metric, nil) : "") }
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The triangle of `metric` as an aligned terminal table; a cell of an incomplete period (the one holding
    /// the as-of date) is marked with `*`.
    public func table(shopName: String, locale: String, metric: Metric) -> String {
        let f = LocaleNumbers(locale: locale)
        let unit = granularity == .month ? "month" : "quarter"
        var out: [String] = []
        let title: String
        switch metric {
        case .retention: title = "Retention: share of each cohort ordering in \(unit) k"
        case .customers: title = "Retention: customers of each cohort ordering in \(unit) k"
        case .revenue: title = "Revenue of each cohort in \(unit) k (\(currency.code))"
        case .ltv: title = "LTV curve: cumulative revenue per cohort customer through \(unit) k (\(currency.code))"
        }
        out.append("Cohorts — " + TextTable.printable(shopName))
        out.append(title)
        var line = "Cohort = \(unit) of the first order ever · orders up to \(asOf) · \(timeZone)"
        if let p = filter.firstProduct { line += " · first order with product " + p }
        if let c = filter.country { line += " · first order from " + c }
        out.append(TextTable.printable(line))
        out.append("")
        if cohorts.isEmpty {
            out.append("No cohorts.")
            return out.joined(separator: "\n") + "\n"
        }
        let width = cohorts.map(\.cells.count).max() ?? 0
        var t = TextTable([("Cohort", .left), ("Customers", .right)] + (0..<width).map { ("\($0)", .right) })
        for c in cohorts {
            var cells = [TextTable.Cell(c.label), TextTable.Cell(f.integer(c.customers))]
            for cell in c.cells { cells.append(TextTable.Cell(cellText(cell, metric, f) + (cell.isComplete ? " " : "*"))) }
            t.add(cells)
        }
        if metric == .retention {
            var cells = [TextTable.Cell("Average"), TextTable.Cell("")]
            for k in 0..<width { cells.append(TextTable.Cell((averageRetention[k].map { f.percent($0) } ?? "–") + " ")) }
            t.add(cells)
        }
        out += t.lines(colour: false)
        out.append("")
        out.append("* the \(unit) holding the as-of date, not yet complete.")
        if metric == .retention {
            out.append("Average: weighted by cohort size over the cohorts whose \(unit) k is complete.")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
