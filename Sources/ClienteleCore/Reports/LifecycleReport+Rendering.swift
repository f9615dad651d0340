extension LifecycleReport {
    /// The page as JSON text: stage counts and shares, the active customers over time, the shop's median
    /// interval, and with `customers` every customer's stage and reason.
    public func json(customers: Bool = false) -> String { jsonValue(customers: customers).rendered() }

    /// The page as an ordered JSON value.
    public func jsonValue(customers: Bool = false) -> JSONValue {
        let total = counts.customers
        func share(_ n: Int) -> Double? { total == 0 ? nil : Double(n) / Double(total) }
        var members: [(String, JSONValue)] = [
            ("asOf", .string(asOf.description)),
            ("timeZone", .string(timeZone)),
            ("customers", .int(total)),
            ("stages", .array(LifecycleStage.allCases.map { s in
                .object([("stage", .string(s.rawValue)), ("customers", .int(counts[s])), ("share", .double(share(counts[s])))])
            })),
            ("activeCustomers", .array(activeCustomers.map { p in
                .object([("monthsBefore", .int(p.monthsBefore)), ("date", .string(p.date.description)),
                         ("active", .int(p.active)), ("change", .double(p.change))])
            })),
            ("shopMedianIntervalDays", .double(profiles.shopMedianIntervalDays)),
            ("thresholds", .object([
                ("newCustomerDays", .int(thresholds.newCustomerDays)),
                ("activeFactor", .double(thresholds.activeFactor)),
                ("slippingFactor", .double(thresholds.slippingFactor)),
                ("defaultIntervalDays", .double(thresholds.defaultIntervalDays)),
            ])),
        ]
        if customers {
            var list: [JSONValue] = []
            let ctx = context
            for c in 0..<snapshot.customerCount where profiles.orders[c] > 0 { list.append(customerJSON(c, ctx)) }
            members.append(("customerStages", .array(list)))
        }
        return .object(members)
    }

    /// One customer's stage and its inputs as JSON.
    func customerJSON(_ c: Int, _ ctx: AudienceContext) -> JSONValue {
        .object([
            ("customer", .string(snapshot.customerKey(c))),
            ("email", .string(ctx.email(ofCustomer: c))),
            ("stage", .string(profiles.stage[c].rawValue)),
            ("orders", .int(Int(profiles.orders[c]))),
            ("firstOrder", .string(ShopDate(dayNumber: ctx.firstOrderDay(c)).description)),
            ("lastOrder", .string(ShopDate(dayNumber: ctx.lastOrderDay(c)).description)),
            ("daysSinceLastOrder", .int(daysSinceLastOrder(c))),
            ("usualIntervalDays", .double(profiles.intervalDays[c])),
            ("intervalSource", .string(profiles.intervalSource(c).rawValue)),
            ("reason", .string(reason(c))),
        ])
    }

    /// A context for per-customer lookups (e-mail, first and last order); no money is read through it.
    var context: AudienceContext { AudienceContext(snapshot: snapshot, profiles: profiles, currency: Currency(code: "EUR")!) }

    /// Every customer's stage as CSV (RFC 4180, CRLF): customer, e-mail, stage, orders, first and last order
    /// (shop dates), days since the last order, the usual interval in days, where it comes from, the reason.
    public func csv() -> String {
        var out = "customer,email,stage,orders,first_order,last_order,days_since_last_order,usual_interval_days,interval_source,reason\r\n"
        let ctx = context
        for c in 0..<snapshot.customerCount where profiles.orders[c] > 0 {
            let fields = [snapshot.customerKey(c), ctx.email(ofCustomer: c) ?? "", profiles.stage[c].rawValue,
                          String(profiles.orders[c]), ShopDate(dayNumber: ctx.firstOrderDay(c)).description,
                          ShopDate(dayNumber: ctx.lastOrderDay(c)).description, String(daysSinceLastOrder(c)),
                          Self.number(profiles.intervalDays[c]), profiles.intervalSource(c).rawValue, reason(c)]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The page for a terminal: stage counts, active customers over time with the change, and the interval
    /// one-order customers are judged by. Numbers in `locale`.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        let total = counts.customers
        var out = ["Lifecycle — " + TextTable.printable(shopName),
                   "As of \(asOf) · \(timeZone) · \(f.integer(total)) customers", ""]
        var st = TextTable([("Stage", .left), ("Customers", .right), ("Share", .right), ("Rule", .left)])
        let t = thresholds
        let rules = [
            "first order less than \(t.newCustomerDays) days ago",
            "days since last order ≤ \(Self.number(t.activeFactor)) × usual interval",
            "≤ \(Self.number(t.slippingFactor)) × usual interval",
            "longer",
        ]
        for (i, s) in LifecycleStage.allCases.enumerated() {
            st.add(s.title, f.integer(counts[s]), total == 0 ? "–" : f.percent(Double(counts[s]) / Double(total)), rules[i])
        }
        out += st.lines(colour: false)
        out.append("")
        out.append("Active customers")
        var at = TextTable([("", .left), ("Date", .left), ("Active", .right), ("Change since", .right)])
        for p in activeCustomers {
            let label = p.monthsBefore == 0 ? "Now" : p.monthsBefore == 1 ? "1 month ago" : "\(p.monthsBefore) months ago"
            let change = p.monthsBefore == 0 ? "" : p.change.map { ($0 > 0 ? "+" : "") + f.percent($0) } ?? "–"
            at.add(label, p.date.description, f.integer(p.active), change)
        }
        out += at.lines(colour: false)
        out.append("")
        if let m = profiles.shopMedianIntervalDays {
            out.append("Customers with one order are judged by the shop's median first-to-second-order gap: \(f.decimal(m, digits: 1)) days.")
        } else {
            out.append("No repeat customers yet: customers with one order are judged by \(Self.number(t.defaultIntervalDays)) days.")
        }
        out.append("Every customer's stage and why: --format csv (or --format json --customers).")
        return out.joined(separator: "\n") + "\n"
    }
}
