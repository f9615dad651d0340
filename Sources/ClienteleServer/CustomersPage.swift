import ClienteleCore

/// The *Customers* page (seed 000): the four cards, segments, new vs returning per month and the top customers.
enum CustomersPage {
    /// The page for the request's period.
    static func render(_ r: ShopReports) throws -> String {
        let stats = try r.customers()
        let s = stats.summary
        let c = stats.comparison
        let f = r.format, t = r.t
        var body = PeriodPicker.form(action: "/", query: r.query, language: r.language)
        body += "<p class=\"period\">\(html(f.date(stats.period.start))) \(t("to")) \(html(f.date(stats.period.lastDay))) (\(t("as of")) \(html(f.date(stats.asOf))))"
        if let c { body += " · \(t("compared with")) \(html(f.date(c.summary.period.start))) \(t("to")) \(html(f.date(c.summary.period.lastDay)))" }
        body += "</p>"
        body += "<section class=\"cards\" aria-label=\"\(html(t("Key figures")))\">"
        body += card(t("Unique customers"), f.int(s.uniqueCustomers), change: c.map { f.change($0.uniqueCustomers.relative) }, language: r.language)
        body += card(t("Repeat rate"), f.percent(s.repeatRate), colour: s.repeatRateColour,
                     change: c.map { f.change($0.repeatRate.relative) }, language: r.language)
        body += card(t("Average CLV"), f.money(s.averageCLV), change: c.map { f.change($0.averageCLV.relative) }, language: r.language)
        body += card(t("Days from 1st to 2nd order"), f.decimal(s.averageDaysBetweenFirstAndSecondOrder),
                     change: c.map { f.change($0.averageDaysBetweenFirstAndSecondOrder.relative) }, language: r.language)
        body += "</section>"

        body += "<h2 id=\"segments\">\(t("Segments"))</h2><div class=\"table-wrap\"><table aria-labelledby=\"segments\"><thead><tr>"
        body += "<th scope=\"col\">\(t("Segment"))</th><th scope=\"col\">\(t("Orders"))</th><th scope=\"col\" class=\"num\">\(t("Customers"))</th><th scope=\"col\" class=\"num\">\(t("Share"))</th><th scope=\"col\" class=\"num\">\(t("Revenue"))</th><th scope=\"col\" class=\"num\">\(t("Revenue share"))</th></tr></thead><tbody>"
        for seg in stats.segments {
            let orders = seg.maxOrders.map { $0 == seg.minOrders ? "\($0)" : "\(seg.minOrders)–\($0)" } ?? "\(seg.minOrders)+"
            body += "<tr><td>\(html(t(seg.segment.rawValue)))</td><td>\(orders)</td><td class=\"num\">\(f.int(seg.customers))</td>"
            body += "<td class=\"num\">\(f.percent(seg.share))</td><td class=\"num\">\(f.money(seg.revenue))</td><td class=\"num\">\(f.percent(seg.revenueShare))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"months\">\(t("New vs returning customers per month"))</h2>"
        body += Charts.stackedBars(title: t("New and returning customers per month"), labels: stats.months.map(\.label), series: [
            .init(label: t("New"), colour: "#0b5cad", values: stats.months.map(\.new)),
            .init(label: t("Returning"), colour: "#1b6e20", values: stats.months.map(\.returning)),
        ], format: f)
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"months\"><thead><tr><th scope=\"col\">\(t("Month"))</th><th scope=\"col\" class=\"num\">\(t("Customers"))</th><th scope=\"col\" class=\"num\">\(t("New"))</th><th scope=\"col\" class=\"num\">\(t("Returning"))</th><th scope=\"col\" class=\"num\">\(t("Returning share"))</th></tr></thead><tbody>"
        for m in stats.months {
            let colour = m.colour.map { " class=\"num \($0.rawValue)\"" } ?? " class=\"num\""
            body += "<tr><td>\(m.label)</td><td class=\"num\">\(f.int(m.customers))</td><td class=\"num\">\(f.int(m.new))</td><td class=\"num\">\(f.int(m.returning))</td><td\(colour)>\(f.percent(m.returningShare))\(m.colour.map { " <span class=\"badge \($0.rawValue)\">\(t($0.rawValue))</span>" } ?? "")</td></tr>"
        }
        body += "</tbody></table></div>"

        let csv = "/api/v1/customers.csv?" + r.query.with([:])
        body += "<h2 id=\"top\">\(topHeading(stats.topCustomers.count, r.language))</h2>"
        body += "<p class=\"download\"><a href=\"\(html(csv))\" download>\(t("Download as CSV"))</a></p>"
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"top\"><thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">\(t("Customer"))</th><th scope=\"col\" class=\"num\">\(t("Orders"))</th><th scope=\"col\" class=\"num\">\(t("Revenue"))</th><th scope=\"col\" class=\"num\">\(t("Average order"))</th><th scope=\"col\">\(t("First order"))</th><th scope=\"col\">\(t("Last order"))</th></tr></thead><tbody>"
        for t in stats.topCustomers {
            let link = r.href("/customers/" + QueryParameters.encode(t.customer))
            body += "<tr><td class=\"num\">\(t.rank)</td><td><a href=\"\(html(link))\">\(html(t.email ?? t.customer))</a></td><td class=\"num\">\(f.int(t.orders))</td>"
            body += "<td class=\"num\">\(f.money(t.revenue))</td><td class=\"num\">\(f.money(t.averageOrderValue))</td><td>\(html(r.language == .en ? t.firstOrderText : f.dateOfTimestamp(t.firstOrderText)))</td><td>\(html(r.language == .en ? t.lastOrderText : f.dateOfTimestamp(t.lastOrderText)))</td></tr>"
        }
        body += "</tbody></table></div>"
        return r.page(title: t("Customers"), path: "/", body: body).rendered
    }

    /// One key-figure card, bordered in its colour when it has one.
    static func card(_ title: String, _ value: String, colour: Colour? = nil, change: String? = nil, language: Language = .en) -> String {
        var out = "<div class=\"card\(colour.map { " \($0.rawValue)" } ?? "")\"><h2>\(html(title))</h2><div class=\"value\">\(html(value))</div>"
        if let colour { out += "<span class=\"badge \(colour.rawValue)\">\(language.t(colour.rawValue))</span>" }
        if let change { out += "<div class=\"change\">\(html(change)) \(html(language.t("vs comparison")))</div>" }
        return out + "</div>"
    }

    /// "Top 10 customers" in `language`.
    static func topHeading(_ count: Int, _ language: Language) -> String {
        switch language {
        case .en: return "Top \(count) customers"
        case .da: return "Top \(count) kunder"
        case .sv: return "Topp \(count) kunder"
        case .nb: return "Topp \(count) kunder"
        }
    }
}
