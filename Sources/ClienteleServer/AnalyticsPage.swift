import ClienteleCore

/// The *Analytics* page (seed 001): groups, active customers with their changes, and the customer base
/// growth as a stacked bar chart with a range form.
enum AnalyticsPage {
    /// The page as of the request's date and for its growth range.
    static func render(_ r: ShopReports) throws -> String { try content(r).html }

    /// The page and its tables.
    static func content(_ r: ShopReports) throws -> RenderedPage {
        var tables = PageTables(r, downloadPath: "/analytics")
        let groups = try r.groups()
        let lifecycle = try r.lifecycle()
        let growth = try r.growth()
        let f = r.format, t = r.language.translator
        var body = "<form class=\"picker\" method=\"get\" action=\"/analytics\" aria-label=\"\(html(t("Range")))\">"
        body += "<label for=\"from\">\(html(t("Growth from")))<input id=\"from\" name=\"from\" type=\"date\" value=\"\(html(r.query["from"] ?? ""))\"></label>"
        body += "<label for=\"to\">\(html(t("to (inclusive)")))<input id=\"to\" name=\"to\" type=\"date\" value=\"\(html(r.query["to"] ?? ""))\"></label>"
        body += "<label for=\"by\">\(html(t("By")))<select id=\"by\" name=\"by\">"
        for step in GrowthReport.Step.allCases {
            body += "<option value=\"\(step.rawValue)\"\(step == growth.step ? " selected" : "")>\(html(t(step.rawValue)))</option>"
        }
        body += "</select></label><label for=\"asOf\">\(html(t("As of")))<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(r.query["asOf"] ?? ""))\"></label>"
        if let lang = r.query.language { body += "<input type=\"hidden\" name=\"lang\" value=\"\(lang.rawValue)\">" }
        body += "<button type=\"submit\">\(html(t("Show")))</button></form>"
        body += "<p class=\"period\">\(html(t("As of"))) \(html(f.date(groups.asOf)))</p>"

        body += "<h2 id=\"groups\">\(t("Groups"))</h2>"
        body += tables.add(DataTable(id: "groups", title: t("Groups"),
            columns: [.text(t("Group")), .number(t("Customers")), .number(t("Share")), .number(t("Lifetime value")), .number(t("Orders")),
                      .number(t("Basket size")), .number(t("Orders / year")), .number(t("Revenue / year")), .number(t("Lost"))],
            rows: (groups.groups + [groups.all]).map { g in
                TableRow([.text(t(g.group?.title ?? "All customers")), .int(g.customers), .percent(g.share), .money(g.lifetimeValue),
                          .decimal(g.averageOrders), .decimal(g.averageBasketSize), .decimal(g.annualOrders), .money(g.annualRevenue),
                          .percent(g.lostShare)])
            }))

        body += "<h2 id=\"active\">\(t("Active customers"))</h2>"
        body += tables.add(DataTable(id: "active", title: t("Active customers"),
            columns: [.text(t("When")), .text(t("Date")), .number(t("Active")), .number(t("Change since then"))],
            rows: lifecycle.activeCustomers.map { a in
                TableRow([.text(a.monthsBefore == 0 ? t("Now") : monthsAgo(a.monthsBefore, r.language)), .date(a.date), .int(a.active),
                          a.monthsBefore == 0 ? .empty : .change(a.change)])
            }))

        body += "<h2 id=\"growth\">\(t("Customer base growth"))</h2>"
        let pts = growth.points
        body += Charts.stackedBars(title: r.language == .en ? "Customers by lifecycle stage at the end of each \(growth.step.rawValue)" : t("Customer base growth"), labels: pts.map(\.label), series: [
            .init(label: t("New"), colour: "#0b5cad", values: pts.map(\.counts.new)),
            .init(label: t("Active"), colour: "#1b6e20", values: pts.map(\.counts.active)),
            .init(label: t("Slipping away"), colour: "#9a6b00", values: pts.map(\.counts.slippingAway)),
            .init(label: t("Lost"), colour: "#a4161a", values: pts.map(\.counts.lost)),
        ], height: 260, format: f)
        body += tables.add(DataTable(id: "growth", title: t("Customer base growth"),
            columns: [.text(t("End of")), .number(t("New")), .number(t("Active")), .number(t("Slipping away")), .number(t("Lost")), .number(t("All"))],
            rows: pts.map { p in
                TableRow([.text(p.label), .int(p.counts.new), .int(p.counts.active), .int(p.counts.slippingAway), .int(p.counts.lost),
                          .int(p.counts.customers)])
            }))
        return RenderedPage(html: r.page(title: t("Analytics"), path: "/analytics", body: body).rendered, tables: tables.all)
    }

    /// "3 months ago" in `language`.
    static func monthsAgo(_ n: Int, _ language: Language) -> String {
        switch language {
        case .en: return "\(n) month\(n == 1 ? "" : "s") ago"
        case .da: return "For \(n) måned\(n == 1 ? "" : "er") siden"
        case .sv: return "För \(n) månad\(n == 1 ? "" : "er") sedan"
        case .nb: return "For \(n) måned\(n == 1 ? "" : "er") siden"
        }
    }
}
