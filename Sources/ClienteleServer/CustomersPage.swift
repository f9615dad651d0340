import ClienteleCore

/// The *Customers* page (seed 000): the four cards, segments, new vs returning per month and the top customers.
enum CustomersPage {
    /// The page for the request's period.
    static func render(_ r: ShopReports) throws -> String {
        let stats = try r.customers()
        let s = stats.summary
        let c = stats.comparison
        var body = PeriodPicker.form(action: "/", query: r.query)
        body += "<p class=\"period\">\(html(stats.period.start.description)) to \(html(stats.period.lastDay.description)) (as of \(html(stats.asOf.description)))"
        if let c { body += " · compared with \(html(c.summary.period.start.description)) to \(html(c.summary.period.lastDay.description))" }
        body += "</p>"
        body += "<section class=\"cards\" aria-label=\"Key figures\">"
        body += card("Unique customers", Format.int(s.uniqueCustomers), change: c.map { Format.change($0.uniqueCustomers.relative) })
        body += card("Repeat rate", Format.percent(s.repeatRate), colour: s.repeatRateColour,
                     change: c.map { Format.change($0.repeatRate.relative) })
        body += card("Average CLV", Format.money(s.averageCLV), change: c.map { Format.change($0.averageCLV.relative) })
        body += card("Days from 1st to 2nd order", Format.decimal(s.averageDaysBetweenFirstAndSecondOrder),
                     change: c.map { Format.change($0.averageDaysBetweenFirstAndSecondOrder.relative) })
        body += "</section>"

        body += "<h2 id=\"segments\">Segments</h2><div class=\"table-wrap\"><table aria-labelledby=\"segments\"><thead><tr>"
        body += "<th scope=\"col\">Segment</th><th scope=\"col\">Orders</th><th scope=\"col\" class=\"num\">Customers</th><th scope=\"col\" class=\"num\">Share</th><th scope=\"col\" class=\"num\">Revenue</th><th scope=\"col\" class=\"num\">Revenue share</th></tr></thead><tbody>"
        for seg in stats.segments {
            let orders = seg.maxOrders.map { $0 == seg.minOrders ? "\($0)" : "\(seg.minOrders)–\($0)" } ?? "\(seg.minOrders)+"
            body += "<tr><td>\(html(seg.segment.rawValue))</td><td>\(orders)</td><td class=\"num\">\(Format.int(seg.customers))</td>"
            body += "<td class=\"num\">\(Format.percent(seg.share))</td><td class=\"num\">\(Format.money(seg.revenue))</td><td class=\"num\">\(Format.percent(seg.revenueShare))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"months\">New vs returning customers per month</h2>"
        body += Charts.stackedBars(title: "New and returning customers per month", labels: stats.months.map(\.label), series: [
            .init(label: "New", colour: "#0b5cad", values: stats.months.map(\.new)),
            .init(label: "Returning", colour: "#1b6e20", values: stats.months.map(\.returning)),
        ])
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"months\"><thead><tr><th scope=\"col\">Month</th><th scope=\"col\" class=\"num\">Customers</th><th scope=\"col\" class=\"num\">New</th><th scope=\"col\" class=\"num\">Returning</th><th scope=\"col\" class=\"num\">Returning share</th></tr></thead><tbody>"
        for m in stats.months {
            let colour = m.colour.map { " class=\"num \($0.rawValue)\"" } ?? " class=\"num\""
            body += "<tr><td>\(m.label)</td><td class=\"num\">\(Format.int(m.customers))</td><td class=\"num\">\(Format.int(m.new))</td><td class=\"num\">\(Format.int(m.returning))</td><td\(colour)>\(Format.percent(m.returningShare))\(m.colour.map { " <span class=\"badge \($0.rawValue)\">\($0.rawValue)</span>" } ?? "")</td></tr>"
        }
        body += "</tbody></table></div>"

        let csv = "/api/v1/customers.csv?" + r.query.with([:])
        body += "<h2 id=\"top\">Top \(stats.topCustomers.count) customers</h2>"
        body += "<p class=\"download\"><a href=\"\(html(csv))\" download>Download as CSV</a></p>"
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"top\"><thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Customer</th><th scope=\"col\" class=\"num\">Orders</th><th scope=\"col\" class=\"num\">Revenue</th><th scope=\"col\" class=\"num\">Average order</th><th scope=\"col\">First order</th><th scope=\"col\">Last order</th></tr></thead><tbody>"
        for t in stats.topCustomers {
            let link = "/customers/" + QueryParameters.encode(t.customer)
            body += "<tr><td class=\"num\">\(t.rank)</td><td><a href=\"\(html(link))\">\(html(t.email ?? t.customer))</a></td><td class=\"num\">\(Format.int(t.orders))</td>"
            body += "<td class=\"num\">\(Format.money(t.revenue))</td><td class=\"num\">\(Format.money(t.averageOrderValue))</td><td>\(html(t.firstOrderText))</td><td>\(html(t.lastOrderText))</td></tr>"
        }
        body += "</tbody></table></div>"
        return Page(title: "Customers", shopName: r.settings.name, path: "/", body: body).rendered
    }

    /// One key-figure card, bordered in its colour when it has one.
    static func card(_ title: String, _ value: String, colour: Colour? = nil, change: String? = nil) -> String {
        var out = "<div class=\"card\(colour.map { " \($0.rawValue)" } ?? "")\"><h2>\(html(title))</h2><div class=\"value\">\(html(value))</div>"
        if let colour { out += "<span class=\"badge \(colour.rawValue)\">\(colour.rawValue)</span>" }
        if let change { out += "<div class=\"change\">\(html(change)) vs comparison</div>" }
        return out + "</div>"
    }
}
