import ClienteleCore

/// The *Behaviour* page (METRICS.md, "Behaviour"): when customers shop (hour × weekday heat map, month of
/// year and year bars), products bought together, purchase cycles and the customers due for a reminder.
enum BehaviourPage {
    /// The page for the request's period (the cycles and reminders are as of its as-of date).
    static func render(_ r: ShopReports) throws -> String { try content(r).html }

    /// The page and its tables.
    static func content(_ r: ShopReports) throws -> RenderedPage {
        let times = try r.when()
        let together = try r.together()
        let cycles = try r.cycles()
        let due = try r.due()
        let f = r.format, t = r.language.translator, language = r.language
        var tables = PageTables(r, downloadPath: "/behaviour")
        var body = PeriodPicker.form(action: "/behaviour", query: r.query, comparison: false, language: language)
        body += "<p class=\"period\">" + html(t("{from} to {to} (as of {asOf})", ["from": f.date(times.period.start), "to": f.date(times.period.lastDay), "asOf": f.date(times.asOf)])) + " · "
        body += "<span class=\"total-orders\">\(html(t("{count} orders", ["count": f.int(times.orders)])))</span>, \(html(f.money(times.revenue))) · \(html(t("times in {timeZone}", ["timeZone": times.timeZone])))</p>"

        body += "<h2 id=\"when\">\(html(t("When customers shop")))</h2>"
        body += heatMap(times, r)
        body += tables.add(heatMapTable(times, r))

        let months = times.monthsOfYear.map { s -> String in t(ShoppingTimes.monthNames[s.month - 1]) }
        body += "<h2 id=\"months\">\(html(t("Orders by month of year")))</h2>"
        body += Charts.stackedBars(title: t("Orders by month of year"), labels: months,
                                   series: [.init(label: t("Orders"), colour: "#0b5cad", values: times.monthsOfYear.map(\.orders))], format: f)
        body += tables.add(DataTable(id: "months", title: t("Orders by month of year"),
            columns: [.text(t("Month")), .number(t("Orders")), .number(t("Revenue"))],
            rows: zip(months, times.monthsOfYear).map { name, m in TableRow([.text(name), .int(m.orders), .money(m.revenue)]) }))
        body += "<h2 id=\"years\">\(html(t("Orders by year")))</h2>"
        body += Charts.stackedBars(title: t("Orders by year"), labels: times.years.map { s -> String in String(s.year) },
                                   series: [.init(label: t("Orders"), colour: "#1b6e20", values: times.years.map(\.orders))], format: f)
        body += tables.add(DataTable(id: "years", title: t("Orders by year"),
            columns: [.text(t("Year")), .number(t("Orders")), .number(t("Revenue"))],
            rows: times.years.map { y in TableRow([.text(String(y.year)), .int(y.orders), .money(y.revenue)]) }))

        body += "<h2 id=\"together\">\(html(t("Bought together")))</h2>"
        body += "<p>\(html(t("{orders} orders, {pairs} pairs bought together in at least {minimum} orders; the top {top}.", ["orders": f.int(together.orders), "pairs": f.int(together.pairCount), "minimum": f.int(together.minSupportCount), "top": f.int(together.pairs.count)])))</p>"
        body += tables.add(DataTable(id: "together", title: t("Bought together"),
            columns: [.number("#"), .text(t("Product A")), .text(t("Product B")), .number(t("Orders with both")), .number(t("Support")),
                      .number(t("Confidence A → B")), .number(t("Confidence B → A")), .number(t("Lift"))],
            rows: together.pairs.map { p in
                TableRow([.int(p.rank), TableCell.text(p.nameA).noted(p.productA), TableCell.text(p.nameB).noted(p.productB),
                          TableCell.int(p.supportCount).classed("support"), .percent(p.support), .percent(p.confidenceAB), .percent(p.confidenceBA),
                          .decimal(p.lift, 2)], cssClass: "pair")
            }, emptyText: t("No pair of products was bought together often enough in this period.")))

        body += "<h2 id=\"cycles\">\(html(t("Purchase cycles")))</h2>"
        body += "<p>\(html(t("Products bought again by the same customer at least {count} times (as of {date}).", ["count": f.int(cycles.minGaps), "date": f.date(cycles.asOf)])))</p>"
        body += tables.add(DataTable(id: "cycles", title: t("Purchase cycles"),
            columns: [.number("#"), .text(t("Product")), .number(t("Gaps")), .number(t("Customers")), .number(t("Median days")), .number(t("Remind after days"))],
            rows: cycles.products.map { p in
                TableRow([.int(p.rank), TableCell.text(p.name).noted(p.productId), .int(p.gaps), .int(p.customers),
                          .decimal(p.medianDays), .decimal(p.reminderAfterDays)], cssClass: "cycle")
            }, emptyText: t("No product has enough repeat purchases yet.")))

        let csv = "/api/v1/due.csv?" + r.query.with(["lang": nil])
        body += "<h2 id=\"due\">\(html(t("Due for a reminder")))</h2>"
        body += "<p>\(html(t("Customers whose next purchase is due from {from} to {to}.", ["from": f.date(due.asOf), "to": f.date(due.lastDay)])))</p>"
        body += "<p class=\"download\"><a href=\"\(html(csv))\" download>\(html(t("Download as CSV")))</a></p>"
        body += tables.add(DataTable(id: "due", title: t("Due for a reminder"),
            columns: [.text(t("Customer")), .text(t("Product")), .text(t("Last purchase")), .number(t("Purchases")), .number(t("Cycle days")), .text(t("Due"))],
            rows: due.reminders.map { d in
                TableRow([TableCell.text(d.email ?? d.customer).linked(r.href("/customers/" + QueryParameters.encode(d.customer))),
                          TableCell.text(d.productName).noted(d.productId), .timestamp(d.lastPurchaseText),
                          .int(d.purchases), .decimal(d.cycleDays), .date(d.dueDate)], cssClass: "reminder")
            }, emptyText: t("No reminder is due in these days.")))
        return RenderedPage(html: r.page(title: t("Behaviour"), path: "/behaviour", body: body).rendered, tables: tables.all)
    }

    /// The hour × weekday heat map: 7 rows × 24 `<rect class="cell">`, each with its figure as a `<title>`.
    static func heatMap(_ times: ShoppingTimes, _ r: ShopReports) -> String {
        let f = r.format, t = r.language.translator
        let cell = 24, left = 44, top = 18
        let width = left + 24 * cell + 4, height = top + 7 * cell + 4
        let maxOrders = max(1, times.grid.map(\.orders).max() ?? 1)
        var out = "<figure><svg role=\"img\" aria-label=\"\(html(t("Orders by hour and weekday")))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(html(t("Orders by hour of day and weekday (darker is more orders; most in one hour: {count})", ["count": f.int(maxOrders)])))</title>"
        for hour in stride(from: 0, to: 24, by: 3) {
            out += "<text x=\"\(left + hour * cell + cell / 2)\" y=\"\(top - 5)\" text-anchor=\"middle\">\(hour)</text>"
        }
        for weekday in 1...7 {
            let y = top + (weekday - 1) * cell
            let name = t(ShoppingTimes.weekdayNames[weekday - 1])
            out += "<text x=\"\(left - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(html(name))</text>"
            for hour in 0..<24 {
                let slot = times.slot(weekday: weekday, hour: hour)
                let share = Double(slot.orders) / Double(maxOrders)
                let fill = slot.orders == 0 ? "#f4f6f8" : colour(share)
                let orders = t(slot.orders == 1 ? "{count} order" : "{count} orders", ["count": f.int(slot.orders)])
                out += "<rect class=\"cell\" x=\"\(left + hour * cell)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(fill)\">"
                out += "<title>\(html(name)) \(hour):00–\(hour + 1):00: \(html(orders)), \(html(f.money(slot.revenue)))</title></rect>"
            }
        }
        out += "</svg><figcaption>\(html(t("Darker cells: more orders. The same numbers are in the table below.")))</figcaption></figure>"
        return out
    }

    /// A blue of intensity `share` (0–1) from light to the accent colour.
    static func colour(_ share: Double) -> String {
        let s = min(1, max(0, share))
        // From #d6e6f5 (light) to #0b5cad (accent).
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * s).rounded()) }
        let rgb = [mix(0xd6, 0x0b), mix(0xe6, 0x5c), mix(0xf5, 0xad)]
        return "#" + rgb.map { v -> String in
            let h = String(v, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
    }

    /// The heat map's numbers as a table: one row per weekday, one column per hour, and the weekday totals.
    static func heatMapTable(_ times: ShoppingTimes, _ r: ShopReports) -> DataTable {
        let t = r.language.translator
        return DataTable(id: "hours", title: t("Orders by weekday (rows) and hour of day (columns)"),
            columns: [.text(t("Weekday"))] + (0..<24).map { h in .number(String(h)) } + [.number(t("All"))],
            rows: (1...7).map { weekday in
                TableRow([.text(t(ShoppingTimes.weekdayNames[weekday - 1]))]
                         + (0..<24).map { h in .int(times.slot(weekday: weekday, hour: h).orders) }
                         + [.int(times.weekdays[weekday - 1].orders)])
            }, caption: true, cssClass: "heat", rowHeaders: true)
    }
}
