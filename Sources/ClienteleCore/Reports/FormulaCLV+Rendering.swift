extension FormulaCLV {
    /// Formula CLV as JSON text: money as decimal strings, each input with its data value and whether it is a what-if.
    public func json() -> String { jsonValue.rendered() }

    /// Formula CLV as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        func input<V>(_ i: Input<V>, _ v: (V?) -> JSONValue) -> JSONValue {
            .object([("value", v(i.value)), ("fromData", v(i.fromData)), ("whatIf", .bool(i.isOverride))])
        }
        return .object([
            ("asOf", .string(asOf.description)),
            ("currency", .string(currency.code)),
            ("window", CustomerStatistics.json(window)),
            ("previousWindow", CustomerStatistics.json(previousWindow)),
            ("data", .object([
                ("orders", .int(data.orders)),
                ("revenue", .money(data.revenue)),
                ("customers", .int(data.customers)),
                ("customersPrevious", .int(data.customersPrevious)),
                ("churned", .int(data.churned)),
                ("annualChurnRate", .double(data.annualChurnRate)),
                ("lifespanCapped", .bool(data.lifespanCapped)),
            ])),
            ("averageOrderValue", input(averageOrderValue) { .money($0) }),
            ("ordersPerCustomerPerYear", input(ordersPerCustomerPerYear) { .double($0) }),
            ("lifespanYears", input(lifespanYears) { .double($0) }),
            ("clv", .money(clv)),
            ("margin", .double(margin)),
            ("affordableCAC", .money(affordableCAC)),
            ("maximumCACForRule", .money(maximumCACForRule)),
            ("cac", .money(cac)),
            ("clvToCACRatio", .double(clvToCACRatio)),
            ("meetsRule", meetsRule.map { .bool($0) } ?? .null),
        ])
    }

    /// Formula CLV as an aligned terminal report; numbers in `locale`, "–" where an input is missing.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        let code = currency.code
        let dash = "–"
        func money(_ m: Money?) -> String { m.map { f.money($0) + " " + code } ?? dash }
        func number(_ d: Double?, _ digits: Int) -> String { d.map { f.decimal($0, digits: digits) } ?? dash }
        func source<V>(_ i: Input<V>, _ show: (V?) -> String) -> String {
            i.isOverride ? "what-if (data: " + show(i.fromData) + ")" : "data"
        }
        var out: [String] = []
        out.append("Formula CLV — " + TextTable.printable(shopName))
        out.append("Inputs from \(window.start) – \(window.lastDay) (trailing 12 months as of \(asOf)); churn against \(previousWindow.start) – \(previousWindow.lastDay)")
        out.append("")
        var t = TextTable([("", .left), ("", .right), ("", .left)])
        t.add("Average order value", money(averageOrderValue.value), source(averageOrderValue) { money($0) })
        t.add("× Orders per customer per year", number(ordersPerCustomerPerYear.value, 2), source(ordersPerCustomerPerYear) { number($0, 2) })
        var lifeNote = source(lifespanYears) { number($0, 2) }
        if !lifespanYears.isOverride {
            lifeNote = "1 ÷ annual churn " + (data.annualChurnRate.map { f.percent($0) } ?? dash)
                + (data.lifespanCapped ? ", capped at \(f.integer(Int(Self.maximumLifespanYears))) years" : "")
        }
        t.add("× Average lifespan (years)", number(lifespanYears.value, 2), lifeNote)
        t.add("= CLV", money(clv), "")
        t.add("Affordable CAC at \(f.percent(margin)) margin", money(affordableCAC), "CLV × margin")
        t.add("Highest CAC for CLV ≥ 3 × CAC", money(maximumCACForRule), "CLV ÷ 3")
        if let cac {
            let verdict: String
            switch meetsRule {
            case .some(true): verdict = "met"
            case .some(false): verdict = "not met"
            case .none: verdict = dash
            }
            t.add("CAC entered", money(cac), "")
            t.add("CLV ÷ CAC", clvToCACRatio.map { f.decimal($0, digits: 2) + "×" } ?? dash, "rule CLV ≥ 3 × CAC: " + verdict)
        }
        out += t.lines(colour: false).dropFirst(2)
        out.append("")
        out.append("From the data: \(f.integer(data.orders)) orders by \(f.integer(data.customers)) customers, revenue \(money(data.revenue)); \(f.integer(data.churned)) of \(f.integer(data.customersPrevious)) customers of the 12 months before did not order again.")
        if clv == nil {
            out.append("CLV needs all three inputs: give the missing one with --order-value, --orders-per-year or --lifespan-years.")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
