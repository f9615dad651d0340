import ClienteleCore

/// The *Analytics* page (seed 001): groups, active customers with their changes, and the customer base
/// growth as a stacked bar chart with a range form.
enum AnalyticsPage {
    /// The page as of the request's date and for its growth range.
    static func render(_ r: ShopReports) throws -> String {
        let groups = try r.groups()
        let lifecycle = try r.lifecycle()
        let growth = try r.growth()
        let f = r.format, t = r.t
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

        body += "<h2 id=\"groups\">\(t("Groups"))</h2><div class=\"table-wrap\"><table aria-labelledby=\"groups\"><thead><tr><th scope=\"col\">\(t("Group"))</th><th scope=\"col\" class=\"num\">\(t("Customers"))</th><th scope=\"col\" class=\"num\">\(t("Share"))</th><th scope=\"col\" class=\"num\">\(t("Lifetime value"))</th><th scope=\"col\" class=\"num\">\(t("Orders"))</th><th scope=\"col\" class=\"num\">\(t("Basket size"))</th><th scope=\"col\" class=\"num\">\(t("Orders / year"))</th><th scope=\"col\" class=\"num\">\(t("Revenue / year"))</th><th scope=\"col\" class=\"num\">\(t("Lost"))</th></tr></thead><tbody>"
        for g in groups.groups + [groups.all] {
            body += "<tr><td>\(html(t(g.group?.title ?? "All customers")))</td><td class=\"num\">\(f.int(g.customers))</td><td class=\"num\">\(f.percent(g.share))</td>"
            body += "<td class=\"num\">\(f.money(g.lifetimeValue))</td><td class=\"num\">\(f.decimal(g.averageOrders))</td><td class=\"num\">\(f.decimal(g.averageBasketSize))</td>"
            body += "<td class=\"num\">\(f.decimal(g.annualOrders))</td><td class=\"num\">\(f.money(g.annualRevenue))</td><td class=\"num\">\(f.percent(g.lostShare))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"active\">\(t("Active customers"))</h2><div class=\"table-wrap\"><table aria-labelledby=\"active\"><thead><tr><th scope=\"col\">\(t("When"))</th><th scope=\"col\">\(t("Date"))</th><th scope=\"col\" class=\"num\">\(t("Active"))</th><th scope=\"col\" class=\"num\">\(t("Change since then"))</th></tr></thead><tbody>"
        for a in lifecycle.activeCustomers {
            let when = a.monthsBefore == 0 ? t("Now") : monthsAgo(a.monthsBefore, r.language)
            body += "<tr><td>\(when)</td><td>\(f.date(a.date))</td><td class=\"num\">\(f.int(a.active))</td><td class=\"num\">\(a.monthsBefore == 0 ? "" : f.change(a.change))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"growth\">\(t("Customer base growth"))</h2>"
        let pts = growth.points
        body += Charts.stackedBars(title: r.language == .en ? "Customers by lifecycle stage at the end of each \(growth.step.rawValue)" : t("Customer base growth"), labels: pts.map(\.label), series: [
            .init(label: t("New"), colour: "#0b5cad", values: pts.map(\.counts.new)),
            .init(label: t("Active"), colour: "#1b6e20", values: pts.map(\.counts.active)),
            .init(label: t("Slipping away"), colour: "#9a6b00", values: pts.map(\.counts.slippingAway)),
            .init(label: t("Lost"), colour: "#a4161a", values: pts.map(\.counts.lost)),
        ], height: 260, format: f)
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"growth\"><thead><tr><th scope=\"col\">\(t("End of"))</th><th scope=\"col\" class=\"num\">\(t("New"))</th><th scope=\"col\" class=\"num\">\(t("Active"))</th><th scope=\"col\" class=\"num\">\(t("Slipping away"))</th><th scope=\"col\" class=\"num\">\(t("Lost"))</th><th scope=\"col\" class=\"num\">\(t("All"))</th></tr></thead><tbody>"
        for p in pts {
            body += "<tr><td>\(html(p.label))</td><td class=\"num\">\(f.int(p.counts.new))</td><td class=\"num\">\(f.int(p.counts.active))</td><td class=\"num\">\(f.int(p.counts.slippingAway))</td><td class=\"num\">\(f.int(p.counts.lost))</td><td class=\"num\">\(f.int(p.counts.customers))</td></tr>"
        }
        body += "</tbody></table></div>"
        return r.page(title: t("Analytics"), path: "/analytics", body: body).rendered
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
