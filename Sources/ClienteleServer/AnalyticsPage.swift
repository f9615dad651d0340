import ClienteleCore

/// The *Analytics* page (seed 001): groups, active customers with their changes, and the customer base
/// growth as a stacked bar chart with a range form.
enum AnalyticsPage {
    /// The page as of the request's date and for its growth range.
    static func render(_ r: ShopReports) throws -> String {
        let groups = try r.groups()
        let lifecycle = try r.lifecycle()
        let growth = try r.growth()
        var body = "<form class=\"picker\" method=\"get\" action=\"/analytics\" aria-label=\"Range\">"
        body += "<label for=\"from\">Growth from<input id=\"from\" name=\"from\" type=\"date\" value=\"\(html(r.query["from"] ?? ""))\"></label>"
        body += "<label for=\"to\">to (inclusive)<input id=\"to\" name=\"to\" type=\"date\" value=\"\(html(r.query["to"] ?? ""))\"></label>"
        body += "<label for=\"by\">By<select id=\"by\" name=\"by\">"
        for step in GrowthReport.Step.allCases {
            body += "<option value=\"\(step.rawValue)\"\(step == growth.step ? " selected" : "")>\(step.rawValue)</option>"
        }
        body += "</select></label><label for=\"asOf\">As of<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(r.query["asOf"] ?? ""))\"></label><button type=\"submit\">Show</button></form>"
        body += "<p class=\"period\">As of \(html(groups.asOf.description))</p>"

        body += "<h2 id=\"groups\">Groups</h2><div class=\"table-wrap\"><table aria-labelledby=\"groups\"><thead><tr><th scope=\"col\">Group</th><th scope=\"col\" class=\"num\">Customers</th><th scope=\"col\" class=\"num\">Share</th><th scope=\"col\" class=\"num\">Lifetime value</th><th scope=\"col\" class=\"num\">Orders</th><th scope=\"col\" class=\"num\">Basket size</th><th scope=\"col\" class=\"num\">Orders / year</th><th scope=\"col\" class=\"num\">Revenue / year</th><th scope=\"col\" class=\"num\">Lost</th></tr></thead><tbody>"
        for g in groups.groups + [groups.all] {
            body += "<tr><td>\(html(g.group?.title ?? "All customers"))</td><td class=\"num\">\(Format.int(g.customers))</td><td class=\"num\">\(Format.percent(g.share))</td>"
            body += "<td class=\"num\">\(Format.money(g.lifetimeValue))</td><td class=\"num\">\(Format.decimal(g.averageOrders))</td><td class=\"num\">\(Format.decimal(g.averageBasketSize))</td>"
            body += "<td class=\"num\">\(Format.decimal(g.annualOrders))</td><td class=\"num\">\(Format.money(g.annualRevenue))</td><td class=\"num\">\(Format.percent(g.lostShare))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"active\">Active customers</h2><div class=\"table-wrap\"><table aria-labelledby=\"active\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Date</th><th scope=\"col\" class=\"num\">Active</th><th scope=\"col\" class=\"num\">Change since then</th></tr></thead><tbody>"
        for a in lifecycle.activeCustomers {
            let when = a.monthsBefore == 0 ? "Now" : "\(a.monthsBefore) month\(a.monthsBefore == 1 ? "" : "s") ago"
            body += "<tr><td>\(when)</td><td>\(a.date)</td><td class=\"num\">\(Format.int(a.active))</td><td class=\"num\">\(a.monthsBefore == 0 ? "" : Format.change(a.change))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"growth\">Customer base growth</h2>"
        let pts = growth.points
        body += Charts.stackedBars(title: "Customers by lifecycle stage at the end of each \(growth.step.rawValue)", labels: pts.map(\.label), series: [
            .init(label: "New", colour: "#0b5cad", values: pts.map(\.counts.new)),
            .init(label: "Active", colour: "#1b6e20", values: pts.map(\.counts.active)),
            .init(label: "Slipping away", colour: "#9a6b00", values: pts.map(\.counts.slippingAway)),
            .init(label: "Lost", colour: "#a4161a", values: pts.map(\.counts.lost)),
        ], height: 260)
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"growth\"><thead><tr><th scope=\"col\">End of</th><th scope=\"col\" class=\"num\">New</th><th scope=\"col\" class=\"num\">Active</th><th scope=\"col\" class=\"num\">Slipping away</th><th scope=\"col\" class=\"num\">Lost</th><th scope=\"col\" class=\"num\">All</th></tr></thead><tbody>"
        for p in pts {
            body += "<tr><td>\(html(p.label))</td><td class=\"num\">\(Format.int(p.counts.new))</td><td class=\"num\">\(Format.int(p.counts.active))</td><td class=\"num\">\(Format.int(p.counts.slippingAway))</td><td class=\"num\">\(Format.int(p.counts.lost))</td><td class=\"num\">\(Format.int(p.counts.customers))</td></tr>"
        }
        body += "</tbody></table></div>"
        return Page(title: "Analytics", shopName: r.settings.name, path: "/analytics", body: body).rendered
    }
}
