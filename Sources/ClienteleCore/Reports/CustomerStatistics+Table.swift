extension CustomerStatistics {
    /// The page as an aligned terminal report (METRICS.md, "Customer statistics page"): the cards (beside the
    /// comparison period when there is one), segments, new vs returning per month and the top customers.
    /// Numbers and money are written in `locale` (e.g. `da_DK`); an average over nothing is "–"; colour
    /// figures are painted with ANSI escapes only when `colour` is true (the colour's name is always shown).
    public func table(shopName: String, locale: String, colour: Bool) -> String {
        let f = LocaleNumbers(locale: locale)
        let code = currency.code
        let dash = "–"
        func money(_ m: Money?) -> String { m.map { f.money($0) + " " + code } ?? dash }
        func percent(_ d: Double?) -> String { d.map { f.percent($0) } ?? dash }
        func days(_ d: Double?) -> String { d.map { f.decimal($0, digits: 1) } ?? dash }
        func signed(_ text: String, negative: Bool, zero: Bool) -> String {
            negative || zero ? text : "+" + text
        }
        func range(_ p: Period) -> String { "\(p.start) – \(p.lastDay)" }

        var out: [String] = []
        out.append("Customer statistics — " + TextTable.printable(shopName))
        out.append("Period \(range(period)) (\(period.dayCount) days) · as of \(asOf) · \(timeZone) · \(code)")
        if let c = comparison {
            out.append("Compared with \(range(c.summary.period)) (\(c.summary.period.dayCount) days)")
        }
        out.append("")

        // Cards and totals.
        var columns: [(String, TextTable.Alignment)] = [("", .left), (range(period), .right)]
        if let c = comparison { columns += [(range(c.summary.period), .right), ("Change", .right)] }
        var cards = TextTable(columns)
        func row(_ label: String, _ value: (Summary) -> TextTable.Cell, _ change: ((Comparison) -> String)?) {
            var cells = [TextTable.Cell(label), value(summary)]
            if let c = comparison {
                cells.append(value(c.summary))
                cells.append(TextTable.Cell(change?(c) ?? ""))
            }
            cards.add(cells)
        }
        func countChange(_ ch: Change<Int>) -> String {
            guard let a = ch.absolute else { return dash }
            var s = signed(f.integer(a), negative: a < 0, zero: a == 0)
            if let r = ch.relative { s += " (" + signed(f.percent(r), negative: r < 0, zero: r == 0) + ")" }
            return s
        }
        func moneyChange(_ ch: Change<Money>) -> String {
            guard let a = ch.absolute else { return dash }
            var s = signed(f.money(a), negative: a.minorUnits < 0, zero: a.minorUnits == 0)
            if let r = ch.relative { s += " (" + signed(f.percent(r), negative: r < 0, zero: r == 0) + ")" }
            return s
        }
        row("Orders", { TextTable.Cell(f.integer($0.totals.orders)) }, { countChange($0.orders) })
        row("Anonymous orders", { TextTable.Cell(f.integer($0.totals.anonymousOrders)) }, { countChange($0.anonymousOrders) })
        row("Cancelled orders (excluded)", { TextTable.Cell(f.integer($0.totals.cancelledOrders)) }, nil)
        row("Revenue", { TextTable.Cell(money($0.totals.revenue)) }, { moneyChange($0.revenue) })
        row("Net revenue", { TextTable.Cell(money($0.totals.netRevenue)) }, { moneyChange($0.netRevenue) })
        row("Unique customers", { TextTable.Cell(f.integer($0.uniqueCustomers)) }, { countChange($0.uniqueCustomers) })
        row("Repeat rate", { s in
            TextTable.Cell(s.repeatRate.map { f.percent($0) + " (" + (s.repeatRateColour?.rawValue ?? "") + ")" } ?? dash,
                           colour: s.repeatRateColour)
        }, { c in
            guard let a = c.repeatRate.absolute else { return dash }
            return signed(f.decimal(a * 100, digits: 1), negative: a < 0, zero: a == 0) + " pp"
        })
        row("Average CLV", { TextTable.Cell(money($0.averageCLV)) }, { moneyChange($0.averageCLV) })
        row("Average days, first to second order", { TextTable.Cell(days($0.averageDaysBetweenFirstAndSecondOrder)) }, { c in
            guard let a = c.averageDaysBetweenFirstAndSecondOrder.absolute else { return dash }
            return signed(f.decimal(a, digits: 1), negative: a < 0, zero: a == 0)
        })
        out += cards.lines(colour: colour)
        out.append("")

        // Segments.
        out.append("Segments (orders in the period)")
        var seg = TextTable([("Segment", .left), ("Orders", .left), ("Customers", .right), ("Share", .right),
                             ("Revenue (\(code))", .right), ("Revenue share", .right)])
        for s in segments {
            let bounds = s.maxOrders.map { $0 == s.minOrders ? "\($0)" : "\(s.minOrders)–\($0)" } ?? "\(s.minOrders)+"
            seg.add(s.segment.rawValue, bounds, f.integer(s.customers), percent(s.share), f.money(s.revenue), percent(s.revenueShare))
        }
        out += seg.lines(colour: colour)
        out.append("")

        // New vs returning per month.
        out.append("New vs returning customers per month")
        if months.isEmpty {
            out.append("No month overlaps the period.")
        } else {
            var mt = TextTable([("Month", .left), ("Customers", .right), ("New", .right), ("Returning", .right),
                                ("Returning share", .right), ("Colour", .left)])
            for m in months {
                mt.add([TextTable.Cell(m.label), TextTable.Cell(f.integer(m.customers)), TextTable.Cell(f.integer(m.new)),
                        TextTable.Cell(f.integer(m.returning)), TextTable.Cell(percent(m.returningShare), colour: m.colour),
                        TextTable.Cell(m.colour?.rawValue ?? dash, colour: m.colour)])
            }
            out += mt.lines(colour: colour)
        }
        out.append("")

        // Top customers.
        out.append("Top customers by revenue")
        if topCustomers.isEmpty {
            out.append("No customers in the period.")
        } else {
            var tt = TextTable([("#", .right), ("Customer", .left), ("E-mail", .left), ("Orders", .right),
                                ("Revenue (\(code))", .right), ("Average order", .right), ("First order", .left), ("Last order", .left)])
            for t in topCustomers {
                tt.add(String(t.rank), t.customer, t.email ?? dash, f.integer(t.orders), f.money(t.revenue),
                       f.money(t.averageOrderValue), Self.localMinute(t.firstOrder, t.firstOrderUTCOffset),
                       Self.localMinute(t.lastOrder, t.lastOrderUTCOffset))
            }
            out += tt.lines(colour: colour)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Shop-local `YYYY-MM-DD HH:MM` of an instant.
    static func localMinute(_ instant: Instant, _ offset: Int) -> String {
        let iso = instant.iso8601(offsetSeconds: offset, zulu: false)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
}
