import ClienteleCore

/// The *Customers* page (seed 000): the four cards, segments, new vs returning per month and the top customers.
enum CustomersPage {
    /// The page for the request's period.
    static func render(_ r: ShopReports) throws -> String { try content(r).html }

    /// The page and its tables for the request's period.
    static func content(_ r: ShopReports) throws -> RenderedPage {
        let stats = try r.customers()
        let s = stats.summary
        let c = stats.comparison
        let f = r.format, t = r.language.translator
        var tables = PageTables(r, downloadPath: "/customers")
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

        body += "<h2 id=\"segments\">\(t("Segments"))</h2>"
        body += tables.add(DataTable(id: "segments", title: t("Segments"),
            columns: [.text(t("Segment")), .text(t("Orders")), .number(t("Customers")), .number(t("Share")), .number(t("Revenue")), .number(t("Revenue share"))],
            rows: stats.segments.map { seg in
                let orders = seg.maxOrders.map { $0 == seg.minOrders ? "\($0)" : "\(seg.minOrders)–\($0)" } ?? "\(seg.minOrders)+"
                return TableRow([.text(t(seg.segment.rawValue)), .text(orders), .int(seg.customers), .percent(seg.share),
                                 .money(seg.revenue), .percent(seg.revenueShare)])
            }))

        body += "<h2 id=\"months\">\(t("New vs returning customers per month"))</h2>"
        body += Charts.stackedBars(title: t("New and returning customers per month"), labels: stats.months.map(\.label), series: [
            .init(label: t("New"), colour: "#0b5cad", values: stats.months.map(\.new)),
            .init(label: t("Returning"), colour: "#1b6e20", values: stats.months.map(\.returning)),
        ], format: f)
        body += tables.add(DataTable(id: "months", title: t("New vs returning customers per month"),
            columns: [.text(t("Month")), .number(t("Customers")), .number(t("New")), .number(t("Returning")), .number(t("Returning share"))],
            rows: stats.months.map { m in
                var share = TableCell.percent(m.returningShare).classed(m.colour?.rawValue)
                if let colour = m.colour { share.badgeHTML = " <span class=\"badge \(colour.rawValue)\">\(t(colour.rawValue))</span>" }
                return TableRow([.text(m.label), .int(m.customers), .int(m.new), .int(m.returning), share])
            }))

        let csv = "/api/v1/customers.csv?" + r.query.with([:])
        let heading = topHeading(stats.topCustomers.count, r.language)
        body += "<h2 id=\"top\">\(heading)</h2>"
        body += "<p class=\"download\"><a href=\"\(html(csv))\" download>\(t("Download as CSV"))</a></p>"
        body += tables.add(DataTable(id: "top", title: heading,
            columns: [.number("#"), .text(t("Customer")), .number(t("Orders")), .number(t("Revenue")), .number(t("Average order")),
                      .text(t("First order")), .text(t("Last order"))],
            rows: stats.topCustomers.map { top in
                TableRow([.int(top.rank), TableCell.text(top.email ?? top.customer).linked(r.href("/customers/" + QueryParameters.encode(top.customer))),
                          .int(top.orders), .money(top.revenue), .money(top.averageOrderValue),
                          .timestamp(top.firstOrderText, dateOnly: true), .timestamp(top.lastOrderText, dateOnly: true)])
            }))
        return RenderedPage(html: r.page(title: t("Customers"), path: "/", body: body).rendered, tables: tables.all)
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
