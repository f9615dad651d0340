import ClienteleCore
import ClientelePrediction

/// The *Customer* page (`/customers/{key}`): one customer's figures, lifecycle stage with its reason, group,
/// RFM scores, prediction (from the server's default fit, when one can be made) and orders timeline, as of
/// the request's date.
enum CustomerPage {
    /// The page for the customer with `key` (404 when the shop has no such customer).
    static func render(_ r: ShopReports, key: String, fits: FitCache) async throws -> String {
        let s = r.snapshot
        guard let c = s.customer(withKey: key) else {
            throw APIError.notFound("There is no customer \"\(key)\" in this shop.")
        }
        let lifecycle = try r.lifecycle()
        let rfm = RFM.compute(snapshot: s, asOf: lifecycle.asOf, currency: r.state.currency)
        let p = lifecycle.profiles
        let orders = s.orders(ofCustomer: c)
        let email = orders.lazy.compactMap { s.email(ofOrder: $0) }.first
        var body = "<form class=\"picker\" method=\"get\" aria-label=\"As of\"><label for=\"asOf\">As of<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(r.query["asOf"] ?? ""))\"></label><button type=\"submit\">Show</button></form>"
        body += "<p class=\"period\">Customer <strong>\(html(key))</strong>\(email.map { " · \(html($0))" } ?? "") · as of \(html(lifecycle.asOf.description))</p>"
        body += "<section class=\"cards\" aria-label=\"Figures\">"
        body += CustomersPage.card("Orders", Format.int(Int(p.orders[c])))
        body += CustomersPage.card("Revenue (CLV)", Format.money(Money(minorUnits: p.revenue[c], currency: r.state.currency)))
        if let stage = lifecycle.stage(ofCustomer: c) {
            body += "<div class=\"card\"><h2>Lifecycle stage</h2><div class=\"value\">\(html(stage.title))</div><div class=\"change\">\(html(lifecycle.reason(c)))</div></div>"
            body += CustomersPage.card("Group", p.group[c].title)
        } else {
            body += CustomersPage.card("Lifecycle stage", "No orders by this date")
        }
        if let score = rfm.score(ofCustomer: c) {
            body += CustomersPage.card("RFM", "\(score.recency)-\(score.frequency)-\(score.monetary)", change: nil)
        }
        body += "</section>"
        body += prediction(r, customer: c, asOf: lifecycle.asOf, fit: await fits.fit(FitRequest(), state: r.state, today: r.today))
        body += "<h2 id=\"orders\">Orders</h2><div class=\"table-wrap\"><table aria-labelledby=\"orders\"><thead><tr><th scope=\"col\">Placed</th><th scope=\"col\">Order</th><th scope=\"col\" class=\"num\">Total</th><th scope=\"col\" class=\"num\">Refunded</th><th scope=\"col\">Products</th></tr></thead><tbody>"
        for i in orders.reversed() {
            let products = s.lines(ofOrder: i).map { l in
                "\(s.lineQuantity[l]) × \(s.productNames[Int(s.lineProduct[l])].isEmpty ? s.productIds[Int(s.lineProduct[l])] : s.productNames[Int(s.lineProduct[l])])"
            }.joined(separator: ", ")
            body += "<tr><td>\(html(s.timestamp(ofOrder: i)))</td><td>\(html(s.orderId(i)))</td>"
            body += "<td class=\"num\">\(Format.money(Money(minorUnits: s.orderTotal[i], currency: r.state.currency)))</td>"
            body += "<td class=\"num\">\(Format.money(Money(minorUnits: s.orderRefunded[i], currency: r.state.currency)))</td><td>\(html(products))</td></tr>"
        }
        body += "</tbody></table></div>"
        return r.page(title: email ?? key, path: "/customers", body: body, ownPath: "/customers/" + QueryParameters.encode(key)).rendered
    }

    /// The customer's predicted future (METRICS.md, "Predictive models") as of `asOf` with the default fit and
    /// `clientele predict`'s defaults, or why there is none.
    static func prediction(_ r: ShopReports, customer c: Int, asOf: ShopDate, fit: Result<FitReport, FitError>) -> String {
        var out = "<h2 id=\"prediction\">Prediction</h2>"
        switch fit {
        case .failure(let error):
            return out + "<p role=\"status\">No prediction: \(html(error.description))</p>"
        case .success(let report):
            guard let p = r.prediction(ofCustomer: c, asOf: asOf, report: report) else {
                return out + "<p role=\"status\">No prediction: the customer has no order by \(html(asOf.description)).</p>"
            }
            let options = PredictionOptions()
            let code = r.state.currency.code, digits = r.state.currency.minorDigits
            out += "<section class=\"cards\" aria-labelledby=\"prediction\">"
            out += CustomersPage.card("P(alive)", Format.percent(p.probabilityAlive))
            out += CustomersPage.card("Expected purchases, next \(Int(options.purchaseWindowDays)) days", Format.decimal(p.expectedPurchases, digits: 2))
            out += CustomersPage.card("Predicted CLV, \(options.horizonMonths) months", p.clv.map { Format.decimal($0, digits: digits) + " " + code } ?? "–")
            out += CustomersPage.card("Expected next order", p.nextOrderDate?.description ?? "after 10 years")
            out += "</section>"
            out += "<p>From the \(html(report.fit.model.displayName)) model\(report.spend == nil ? "" : " and Gamma-Gamma") fitted on the orders up to \(html(report.calibrationEnd.description)) (<a href=\"/predictions\">Predictions</a>); CLV as revenue, discounted 1 % a month."
            if report.spend == nil { out += " No spend model could be fitted, so there is no predicted CLV." }
            out += "</p>"
            return out
        }
    }
}
