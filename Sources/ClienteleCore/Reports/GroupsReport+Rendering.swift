extension GroupsReport {
    /// The page as JSON text: every group's figures and the same over all customers; `modelLostShare`
    /// (1 − mean P(alive)) is null without the predictive model.
    public func json() -> String { jsonValue.rendered() }

    /// The page as an ordered JSON value.
    public var jsonValue: JSONValue {
        func row(_ g: Figures) -> JSONValue {
            .object([
                ("group", .string(g.group?.rawValue ?? "all")),
                ("customers", .int(g.customers)),
                ("share", .double(g.share)),
                ("lifetimeValue", .money(g.lifetimeValue)),
                ("averageOrders", .double(g.averageOrders)),
                ("averageBasketSize", .double(g.averageBasketSize)),
                ("annualOrders", .double(g.annualOrders)),
                ("annualRevenue", .money(g.annualRevenue)),
                ("lostShare", .double(g.lostShare)),
                ("modelLostShare", .double(g.modelLostShare)),
                ("revenue", .money(g.revenue)),
                ("orders", .int(g.orders)),
            ])
        }
        return .object([
            ("asOf", .string(asOf.description)),
            ("currency", .string(currency.code)),
            ("timeZone", .string(timeZone)),
            ("customers", .int(customers)),
            ("vipRevenueCutoff", .money(vipRevenueCutoff)),
            ("thresholds", .object([
                ("vipTopShare", .double(thresholds.vipTopShare)),
                ("frequentOrdersPerYear", .double(thresholds.frequentOrdersPerYear)),
                ("minimumTenureDays", .int(thresholds.minimumTenureDays)),
            ])),
            ("groups", .array(groups.map(row))),
            ("all", row(all)),
        ])
    }

    /// The groups as CSV (RFC 4180, CRLF): one row per group and one for all customers; money as plain
    /// decimals; `model_lost_share` (1 − mean P(alive)) is empty without the predictive model.
    public func csv() -> String {
        var out = "group,customers,share,lifetime_value,average_orders,average_basket_size,annual_orders,annual_revenue,lost_share,model_lost_share\r\n"
        func d(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        for g in groups + [all] {
            out += [g.group?.rawValue ?? "all", String(g.customers), d(g.share), g.lifetimeValue?.decimalString ?? "",
                    d(g.averageOrders), d(g.averageBasketSize), d(g.annualOrders), g.annualRevenue?.decimalString ?? "",
                    d(g.lostShare), d(g.modelLostShare)].joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The page for a terminal: one column per group (and all customers), one row per figure.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        let code = currency.code
        let dash = "–"
        var out = ["Customer groups — " + TextTable.printable(shopName),
                   "As of \(asOf) · \(timeZone) · \(code) · \(f.integer(customers)) customers", ""]
        let rows = groups + [all]
        var t = TextTable([("", .left)] + rows.map { ($0.group?.title ?? "All customers", .right) })
        func add(_ label: String, _ value: (Figures) -> String) { t.add([TextTable.Cell(label)] + rows.map { TextTable.Cell(value($0)) }) }
        add("Customers") { f.integer($0.customers) }
        add("Share of customers") { $0.share.map { f.percent($0) } ?? dash }
        add("Lifetime value (\(code))") { $0.lifetimeValue.map { f.money($0) } ?? dash }
        add("Average orders") { $0.averageOrders.map { f.decimal($0, digits: 2) } ?? dash }
        add("Average basket size") { $0.averageBasketSize.map { f.decimal($0, digits: 2) } ?? dash }
        add("Annual orders") { $0.annualOrders.map { f.decimal($0, digits: 2) } ?? dash }
        add("Annual revenue (\(code))") { $0.annualRevenue.map { f.money($0) } ?? dash }
        add("Lost") { $0.lostShare.map { f.percent($0) } ?? dash }
        if usesModel { add("Lost (model)") { $0.modelLostShare.map { f.percent($0) } ?? dash } }
        out += t.lines(colour: false)
        out.append("")
        let t0 = thresholds
        out.append("VIP: ≥ 2 orders and in the top \(f.percent(t0.vipTopShare, digits: 0)) by lifetime revenue"
                   + (vipRevenueCutoff.map { " (from \(f.money($0)) \(code))" } ?? " (too few customers for a top share)") + ".")
        if usesModel {
            out.append("Lost: share in stage Lost. Lost (model): 1 − the mean P(alive) of the group's customers, from the fit clientele fit saved.")
        }
        out.append("Frequent: not VIP, ≥ \(LifecycleReport.number(t0.frequentOrdersPerYear)) orders per year of tenure (tenure at least \(t0.minimumTenureDays) days). Loyal: the other repeat customers.")
        return out.joined(separator: "\n") + "\n"
    }
}
