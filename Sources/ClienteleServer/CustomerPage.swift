import ClienteleCore
import ClientelePrediction

/// The *Customer* page (`/customers/{key}`): one customer's figures, lifecycle stage with its reason, group,
/// RFM scores, prediction (from the server's default fit, when one can be made) and orders timeline, as of
/// the request's date.
enum CustomerPage {
    /// The page for the customer with `key` (404 when the shop has no such customer).
    static func render(_ r: ShopReports, key: String, fits: FitCache) async throws -> String {
        try await content(r, key: key, fits: fits).html
    }

    /// The page and its table (the orders).
    static func content(_ r: ShopReports, key: String, fits: FitCache) async throws -> RenderedPage {
        let s = r.snapshot
        guard let c = s.customer(withKey: key) else {
            throw APIError.notFound("There is no customer \"\(key)\" in this shop.")
        }
        let f = r.format, t = r.language.translator, language = r.language
        let lifecycle = try r.lifecycle()
        let rfm = RFM.compute(snapshot: s, asOf: lifecycle.asOf, currency: r.state.currency)
        let p = lifecycle.profiles
        let orders = s.orders(ofCustomer: c)
        let email = orders.lazy.compactMap { s.email(ofOrder: $0) }.first
        let ownPath = "/customers/" + QueryParameters.encode(key)
        var tables = PageTables(r, downloadPath: ownPath)
        var body = "<form class=\"picker\" method=\"get\" aria-label=\"\(html(t("As of")))\"><label for=\"asOf\">\(html(t("As of")))<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(r.query["asOf"] ?? ""))\"></label>"
        if let lang = r.query.language { body += "<input type=\"hidden\" name=\"lang\" value=\"\(lang.rawValue)\">" }
        body += "<button type=\"submit\">\(html(t("Show")))</button></form>"
        body += "<p class=\"period\">\(html(t("Customer"))) <strong>\(html(key))</strong>\(email.map { " · \(html($0))" } ?? "") · \(html(t("as of"))) \(html(f.date(lifecycle.asOf)))</p>"
        body += "<section class=\"cards\" aria-label=\"\(html(t("Key figures")))\">"
        body += CustomersPage.card(t("Orders"), f.int(Int(p.orders[c])), language: language)
        body += CustomersPage.card(t("Revenue (CLV)"), f.money(Money(minorUnits: p.revenue[c], currency: r.state.currency)), language: language)
        if let stage = lifecycle.stage(ofCustomer: c) {
            body += "<div class=\"card\"><h2>\(html(t("Lifecycle stage")))</h2><div class=\"value\">\(html(t(stage.title)))</div><div class=\"change\">\(html(reason(lifecycle, customer: c, language: language)))</div></div>"
            body += CustomersPage.card(t("Group"), t(p.group[c].title), language: language)
        } else {
            body += CustomersPage.card(t("Lifecycle stage"), t("No orders by this date"), language: language)
        }
        if let score = rfm.score(ofCustomer: c) {
            body += CustomersPage.card(t("RFM"), "\(score.recency)-\(score.frequency)-\(score.monetary)", change: nil, language: language)
        }
        body += "</section>"
        body += prediction(r, customer: c, asOf: lifecycle.asOf, fit: await fits.fit(FitRequest(), state: r.state, today: r.today))
        body += "<h2 id=\"orders\">\(html(t("Orders")))</h2>"
        body += tables.add(DataTable(id: "orders", title: t("Orders"),
            columns: [.text(t("Placed")), .text(t("Order")), .number(t("Total")), .number(t("Refunded")), .text(t("Products"))],
            rows: orders.reversed().map { i in
                let products = s.lines(ofOrder: i).map { l in
                    "\(s.lineQuantity[l]) × \(s.productNames[Int(s.lineProduct[l])].isEmpty ? s.productIds[Int(s.lineProduct[l])] : s.productNames[Int(s.lineProduct[l])])"
                }.joined(separator: ", ")
                return TableRow([.timestamp(s.timestamp(ofOrder: i)), .text(s.orderId(i)),
                                 .money(Money(minorUnits: s.orderTotal[i], currency: r.state.currency)),
                                 .money(Money(minorUnits: s.orderRefunded[i], currency: r.state.currency)), .text(products)])
            }))
        let escapedKey = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key
        body += "<p class=\"privacy\">\(html(t("Privacy (admins)"))): <a href=\"\(html("/api/v1/customers/" + escapedKey + "/export"))\" download>\(html(t("Export everything stored about this customer (JSON)")))</a> · "
        body += "<a href=\"\(html(r.href("/customers/" + escapedKey + "/forget")))\">\(html(t("Forget this customer")))</a></p>"
        return RenderedPage(html: r.page(title: email ?? key, path: "/customers", body: body, ownPath: ownPath).rendered, tables: tables.all)
    }

    /// An order's ISO 8601 timestamp (`2025-06-10T12:00:00+02:00`) as the page shows it: as it is in English,
    /// else the date in the language's format and the time of day (`10.06.2025 12:00`).
    static func timestamp(_ text: String, _ f: LocaleFormat) -> String {
        guard f.language != .en, text.count >= 16, let d = ShopDate(iso: String(text.prefix(10))) else { return text }
        let time = text.dropFirst(11).prefix(5)
        return f.date(d) + " " + time
    }

    /// Why the customer is in their lifecycle stage (METRICS.md, "Stage"), in `language`: the sentence
    /// `LifecycleReport.reason` writes in English, from the same figures.
    static func reason(_ lifecycle: LifecycleReport, customer c: Int, language: Language) -> String {
        if language == .en { return lifecycle.reason(c) }
        let f = language.format, th = lifecycle.thresholds, p = lifecycle.profiles
        func days(_ d: Double) -> String {
            let text = f.decimal(d, digits: d == d.rounded() ? 0 : 1)
            return language.t(text == "1" ? "{n} day" : "{n} days", ["n": text])
        }
        func ago(_ n: Int) -> String {
            n == 0 ? language.t("today") : language.t(n == 1 ? "{n} day ago" : "{n} days ago", ["n": f.int(n)])
        }
        if p.stage[c] == .new {
            return language.t("first ordered {ago}: new for the first {days} days",
                              ["ago": ago(lifecycle.daysSinceFirstOrder(c)), "days": f.int(th.newCustomerDays)])
        }
        let u = p.intervalDays[c]
        let rhythm: String
        switch p.intervalSource(c) {
        case .own: rhythm = language.t("usually orders every {days}", ["days": days(u)])
        case .shopMedian: rhythm = language.t("one order so far, and the shop's customers usually order again after {days}", ["days": days(u)])
        case .default: rhythm = language.t("one order so far and no repeat customers yet, so {days} is assumed", ["days": days(u)])
        }
        return language.t("last ordered {ago}; {rhythm}: slipping away after {slipping}, lost after {lost}",
                          ["ago": ago(lifecycle.daysSinceLastOrder(c)), "rhythm": rhythm,
                           "slipping": days(th.activeFactor * u), "lost": days(th.slippingFactor * u)])
    }

    /// The customer's predicted future (METRICS.md, "Predictive models") as of `asOf` with the default fit and
    /// `clientele predict`'s defaults, or why there is none.
    static func prediction(_ r: ShopReports, customer c: Int, asOf: ShopDate, fit: Result<FitReport, FitError>) -> String {
        let f = r.format, t = r.language.translator, language = r.language
        var out = "<h2 id=\"prediction\">\(html(t("Prediction")))</h2>"
        switch fit {
        case .failure(let error):
            return out + "<p role=\"status\">\(r.tHTML("No prediction: {reason}", ["reason": language.untranslated(error.description)]))</p>"
        case .success(let report):
            guard let p = r.prediction(ofCustomer: c, asOf: asOf, report: report) else {
                return out + "<p role=\"status\">\(html(t("No prediction: the customer has no order by {date}.", ["date": f.date(asOf)])))</p>"
            }
            let options = PredictionOptions()
            let code = r.state.currency.code, digits = r.state.currency.minorDigits
            out += "<section class=\"cards\" aria-labelledby=\"prediction\">"
            out += CustomersPage.card("P(alive)", f.percent(p.probabilityAlive), language: language)
            out += CustomersPage.card(t("Expected purchases, next {days} days", ["days": String(Int(options.purchaseWindowDays))]),
                                      f.decimal(p.expectedPurchases, digits: 2), language: language)
            out += CustomersPage.card(t("Predicted CLV, {months} months", ["months": String(options.horizonMonths)]),
                                      p.clv.map { PredictionsPage.amount($0, digits: digits, code: code, f) } ?? "–", language: language)
            out += CustomersPage.card(t("Expected next order"), p.nextOrderDate.map(f.date) ?? t("after 10 years"), language: language)
            out += "</section>"
            let model = report.spend == nil ? report.fit.model.displayName : t("{model} and Gamma-Gamma", ["model": report.fit.model.displayName])
            out += "<p>" + r.tHTML("From the {model} model fitted on the orders up to {date} ({predictions}); CLV as revenue, discounted 1 % a month.",
                                   ["model": html(model), "date": html(f.date(report.calibrationEnd)),
                                    "predictions": "<a href=\"\(html(r.href("/predictions")))\">\(html(t("Predictions")))</a>"])
            if report.spend == nil { out += " " + html(t("No spend model could be fitted, so there is no predicted CLV.")) }
            out += "</p>"
            return out
        }
    }
}
