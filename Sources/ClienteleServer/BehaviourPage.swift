import ClienteleCore

/// The *Behaviour* page (METRICS.md, "Behaviour"): when customers shop (hour × weekday heat map, month of
/// year and year bars), products bought together, purchase cycles and the customers due for a reminder.
enum BehaviourPage {
    /// The page for the request's period (the cycles and reminders are as of its as-of date).
    static func render(_ r: ShopReports) throws -> String {
        let times = try r.when()
        let together = try r.together()
        let cycles = try r.cycles()
        let due = try r.due()
        var body = PeriodPicker.form(action: "/behaviour", query: r.query, comparison: false, language: r.language)
        body += "<p class=\"period\">\(html(times.period.start.description)) to \(html(times.period.lastDay.description)) (as of \(html(times.asOf.description))) · "
        body += "<span class=\"total-orders\">\(Format.int(times.orders)) orders</span>, \(html(Format.money(times.revenue))) · times in \(html(times.timeZone))</p>"

        body += "<h2 id=\"when\">When customers shop</h2>"
        body += heatMap(times)
        body += heatMapTable(times)

        body += "<h2 id=\"months\">Orders by month of year</h2>"
        body += Charts.stackedBars(title: "Orders by month of year", labels: times.monthsOfYear.map { s -> String in ShoppingTimes.monthNames[s.month - 1] },
                                   series: [.init(label: "Orders", colour: "#0b5cad", values: times.monthsOfYear.map(\.orders))])
        body += "<h2 id=\"years\">Orders by year</h2>"
        body += Charts.stackedBars(title: "Orders by year", labels: times.years.map { s -> String in String(s.year) },
                                   series: [.init(label: "Orders", colour: "#1b6e20", values: times.years.map(\.orders))])
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"years\"><thead><tr><th scope=\"col\">Year</th><th scope=\"col\" class=\"num\">Orders</th><th scope=\"col\" class=\"num\">Revenue</th></tr></thead><tbody>"
        for y in times.years {
            body += "<tr><td>\(y.year)</td><td class=\"num\">\(Format.int(y.orders))</td><td class=\"num\">\(html(Format.money(y.revenue)))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"together\">Bought together</h2>"
        body += "<p>\(Format.int(together.orders)) orders, \(Format.int(together.pairCount)) pairs bought together in at least \(together.minSupportCount) orders; the top \(together.pairs.count).</p>"
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"together\"><thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Product A</th><th scope=\"col\">Product B</th><th scope=\"col\" class=\"num\">Orders with both</th><th scope=\"col\" class=\"num\">Support</th><th scope=\"col\" class=\"num\">Confidence A → B</th><th scope=\"col\" class=\"num\">Confidence B → A</th><th scope=\"col\" class=\"num\">Lift</th></tr></thead><tbody>"
        for p in together.pairs {
            body += "<tr class=\"pair\"><td class=\"num\">\(p.rank)</td><td>\(html(p.nameA)) <small>(\(html(p.productA)))</small></td><td>\(html(p.nameB)) <small>(\(html(p.productB)))</small></td>"
            body += "<td class=\"num support\">\(Format.int(p.supportCount))</td><td class=\"num\">\(Format.percent(p.support))</td><td class=\"num\">\(Format.percent(p.confidenceAB))</td><td class=\"num\">\(Format.percent(p.confidenceBA))</td><td class=\"num\">\(Format.decimal(p.lift, digits: 2))</td></tr>"
        }
        if together.pairs.isEmpty { body += "<tr><td colspan=\"8\">No pair of products was bought together often enough in this period.</td></tr>" }
        body += "</tbody></table></div>"

        body += "<h2 id=\"cycles\">Purchase cycles</h2>"
        body += "<p>Products bought again by the same customer at least \(cycles.minGaps) times (as of \(html(cycles.asOf.description))).</p>"
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"cycles\"><thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Product</th><th scope=\"col\" class=\"num\">Gaps</th><th scope=\"col\" class=\"num\">Customers</th><th scope=\"col\" class=\"num\">Median days</th><th scope=\"col\" class=\"num\">Remind after days</th></tr></thead><tbody>"
        for p in cycles.products {
            body += "<tr class=\"cycle\"><td class=\"num\">\(p.rank)</td><td>\(html(p.name)) <small>(\(html(p.productId)))</small></td><td class=\"num\">\(Format.int(p.gaps))</td><td class=\"num\">\(Format.int(p.customers))</td>"
            body += "<td class=\"num\">\(Format.decimal(p.medianDays))</td><td class=\"num\">\(Format.decimal(p.reminderAfterDays))</td></tr>"
        }
        if cycles.products.isEmpty { body += "<tr><td colspan=\"6\">No product has enough repeat purchases yet.</td></tr>" }
        body += "</tbody></table></div>"

        let csv = "/api/v1/due.csv?" + r.query.with([:])
        body += "<h2 id=\"due\">Due for a reminder</h2>"
        body += "<p>Customers whose next purchase is due from \(html(due.asOf.description)) to \(html(due.lastDay.description)).</p>"
        body += "<p class=\"download\"><a href=\"\(html(csv))\" download>Download as CSV</a></p>"
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"due\"><thead><tr><th scope=\"col\">Customer</th><th scope=\"col\">Product</th><th scope=\"col\">Last purchase</th><th scope=\"col\" class=\"num\">Purchases</th><th scope=\"col\" class=\"num\">Cycle days</th><th scope=\"col\">Due</th></tr></thead><tbody>"
        for d in due.reminders {
            let link = "/customers/" + QueryParameters.encode(d.customer)
            body += "<tr class=\"reminder\"><td><a href=\"\(html(link))\">\(html(d.email ?? d.customer))</a></td><td>\(html(d.productName)) <small>(\(html(d.productId)))</small></td><td>\(html(d.lastPurchaseText))</td>"
            body += "<td class=\"num\">\(Format.int(d.purchases))</td><td class=\"num\">\(Format.decimal(d.cycleDays))</td><td>\(html(d.dueDate.description))</td></tr>"
        }
        if due.reminders.isEmpty { body += "<tr><td colspan=\"6\">No reminder is due in these days.</td></tr>" }
        body += "</tbody></table></div>"
        return r.page(title: r.t("Behaviour"), path: "/behaviour", body: body).rendered
    }

    /// The hour × weekday heat map: 7 rows × 24 `<rect class="cell">`, each with its figure as a `<title>`.
    static func heatMap(_ t: ShoppingTimes) -> String {
        let cell = 24, left = 44, top = 18
        let width = left + 24 * cell + 4, height = top + 7 * cell + 4
        let maxOrders = max(1, t.grid.map(\.orders).max() ?? 1)
        var out = "<figure><svg role=\"img\" aria-label=\"Orders by hour and weekday\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>Orders by hour of day and weekday (darker is more orders; most in one hour: \(maxOrders))</title>"
        for hour in stride(from: 0, to: 24, by: 3) {
            out += "<text x=\"\(left + hour * cell + cell / 2)\" y=\"\(top - 5)\" text-anchor=\"middle\">\(hour)</text>"
        }
        for weekday in 1...7 {
            let y = top + (weekday - 1) * cell
            out += "<text x=\"\(left - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(ShoppingTimes.weekdayNames[weekday - 1])</text>"
            for hour in 0..<24 {
                let slot = t.slot(weekday: weekday, hour: hour)
                let share = Double(slot.orders) / Double(maxOrders)
                let fill = slot.orders == 0 ? "#f4f6f8" : colour(share)
                out += "<rect class=\"cell\" x=\"\(left + hour * cell)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(fill)\">"
                out += "<title>\(ShoppingTimes.weekdayNames[weekday - 1]) \(hour):00–\(hour + 1):00: \(slot.orders) order\(slot.orders == 1 ? "" : "s"), \(html(Format.money(slot.revenue)))</title></rect>"
            }
        }
        out += "</svg><figcaption>Darker cells: more orders. The same numbers are in the table below.</figcaption></figure>"
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
    static func heatMapTable(_ t: ShoppingTimes) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"heat\"><caption>Orders by weekday (rows) and hour of day (columns)</caption><thead><tr><th scope=\"col\">Weekday</th>"
        out += (0..<24).map { h -> String in "<th scope=\"col\" class=\"num\">\(h)</th>" }.joined()
        out += "<th scope=\"col\" class=\"num\">All</th></tr></thead><tbody>"
        for weekday in 1...7 {
            out += "<tr><th scope=\"row\">\(ShoppingTimes.weekdayNames[weekday - 1])</th>"
            out += (0..<24).map { h -> String in "<td class=\"num\">\(t.slot(weekday: weekday, hour: h).orders)</td>" }.joined()
            out += "<td class=\"num\">\(Format.int(t.weekdays[weekday - 1].orders))</td></tr>"
        }
        out += "</tbody></table></div>"
        return out
    }
}
