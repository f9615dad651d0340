import ClienteleCore
import ClientelePrediction
import Foundation
import Hummingbird

/// The predictive routes of the JSON API (docs/api.md): `fit` (`clientele fit --format json`), `predictions`
/// and `predictions.csv` (`clientele predict --format json|csv`), from the server's own fit (`FitCache`).
struct PredictionRoutes: Sendable {
    /// The shop served.
    let service: ShopService

    /// Adds the routes to the `/api/v1` group.
    func add<Context: RequestContext>(to api: RouterGroup<Context>) {
        api.get("fit") { request, _ -> Response in
            let r = try await reports(request)
            let report = try await r.requireFit(service.fits)
            return .json(report.json())
        }
        api.get("predictions") { request, _ -> Response in
            let r = try await reports(request)
            try Self.checkPredictionParameters(r, allowAll: false)
            let report = try await r.requireFit(service.fits)
            return try await RequestDeadline.run(seconds: service.requestSeconds) { .json(try r.predictions(report).json()) }
        }
        api.get("predictions.csv") { request, _ -> Response in
            let r = try await reports(request)
            try Self.checkPredictionParameters(r, allowAll: true)
            let report = try await r.requireFit(service.fits)
            return try await RequestDeadline.run(seconds: service.requestSeconds) {
                .csv(try r.predictions(report, allowAll: true).csv(), filename: "predictions.csv")
            }
        }
    }

    /// Reads every parameter of the predictions before the (slower) fit, so a bad one is a 400 even when no
    /// model can be fitted.
    static func checkPredictionParameters(_ r: ShopReports, allowAll: Bool) throws {
        _ = try r.fitRequest()
        _ = try r.predictionOptions()
        _ = try r.query.choice("sort", PredictionSort.self)
        _ = try r.query.int("top", in: (allowAll ? 0 : 1)...ShopReports.maximumPredictionRows)
        _ = try r.asOf()
    }

    /// The shop's reports for `request`.
    func reports(_ request: Request) async throws -> ShopReports {
        let state = try await service.current()
        return ShopReports(state: state, query: request.query, today: service.today(state.calendar))
    }
}

/// The *Predictions* page (`/predictions`; METRICS.md, "Predictive models"; docs/predictive.md): the fitted
/// model with its parameters and what they mean, how well it fits (the holdout comparison and the tracking
/// chart), and the customers ranked by predicted CLV (or P(alive), next order) with P(alive) and expected
/// purchases. When no model can be fitted the page says why.
enum PredictionsPage {
    /// The page for the request's fit and prediction options.
    static func render(_ r: ShopReports, fits: FitCache) async throws -> String { try await content(r, fits: fits).html }

    /// The page and its tables.
    static func content(_ r: ShopReports, fits: FitCache) async throws -> RenderedPage {
        let request = try r.fitRequest()
        _ = try r.predictionOptions()
        _ = try r.query.choice("sort", PredictionSort.self)
        _ = try r.query.int("top", in: 1...ShopReports.maximumPredictionRows)
        let t = r.language.translator
        var tables = PageTables(r, downloadPath: "/predictions")
        var body = form(r)
        switch try await r.fit(fits) {
        case .failure(let error):
            body += "<p class=\"error\" role=\"status\">\(r.tHTML("No model could be fitted: {reason}", ["reason": r.language.untranslated(error.description)]))</p>"
            body += "<p>\(html(t("The models need customers who bought more than once (and, for the spend model, their order values). Import more orders, or choose an earlier calibration end when a holdout leaves too little data.")))</p>"
        case .success(let report):
            body += model(report, r, tables: &tables)
            body += quality(report, request: request, r, tables: &tables)
            body += try predictions(r, report, tables: &tables)
        }
        return RenderedPage(html: r.page(title: t("Predictions"), path: "/predictions", body: body).rendered, tables: tables.all)
    }

    /// The GET form: fit options, as-of date and prediction options (works without JavaScript).
    static func form(_ r: ShopReports) -> String {
        let q = r.query, t = r.language.translator
        func select(_ name: String, _ label: String, _ options: [(String, String)]) -> String {
            let chosen = q[name] ?? options[0].0
            let items = options.map { v, text in
                "<option value=\"\(html(v))\"\(v == chosen ? " selected" : "")>\(html(text))</option>"
            }.joined()
            return "<label for=\"\(name)\">\(html(label))<select id=\"\(name)\" name=\"\(name)\">\(items)</select></label>"
        }
        func input(_ name: String, _ label: String, type: String = "text", placeholder: String = "") -> String {
            "<label for=\"\(name)\">\(html(label))<input id=\"\(name)\" name=\"\(name)\" type=\"\(type)\" value=\"\(html(q[name] ?? ""))\" placeholder=\"\(html(placeholder))\"\(type == "text" ? " inputmode=\"decimal\"" : "")></label>"
        }
        var out = "<form class=\"picker\" method=\"get\" action=\"/predictions\" aria-label=\"\(html(t("Model and predictions")))\">"
        out += select("model", t("Model"), [("bgnbd", "BG/NBD"), ("mbgnbd", "MBG/NBD")])
        out += select("unit", t("Time unit"), [("days", t("days")), ("weeks", t("weeks"))])
        out += input("calibrationEnd", t("Calibration end"), type: "date")
        out += input("holdoutEnd", t("Holdout end"), type: "date")
        out += input("asOf", t("Predict as of"), type: "date")
        out += select("sort", t("Rank by"), [("clv", t("Predicted CLV")), ("alive", "P(alive)"), ("next", t("Next order"))])
        out += input("top", t("Customers listed"), type: "number", placeholder: "20")
        out += input("horizonMonths", t("CLV horizon (months)"), type: "number", placeholder: "12")
        out += input("discountMonthly", t("Discount per month"), placeholder: "0.01")
        out += input("margin", t("Gross margin (0.4 = 40 %)"), placeholder: t("revenue"))
        out += input("days", t("Purchases window (days)"), type: "number", placeholder: "90")
        if let lang = q.language { out += "<input type=\"hidden\" name=\"lang\" value=\"\(lang.rawValue)\">" }
        out += "<button type=\"submit\">\(html(t("Show")))</button></form>"
        return out
    }

    /// An amount that is a model figure (a Double of major units, not exact money) in the language's format
    /// with the currency as `LocaleFormat.money` writes it.
    static func amount(_ v: Double, digits: Int, code: String, _ f: LocaleFormat) -> String {
        let unit = f.localCurrency.flatMap { $0.code == code ? $0.symbol : nil } ?? code
        return f.decimal(v, digits: digits) + f.unitSpace + unit
    }

    /// The fitted model: what it was fitted on and each parameter with its standard error and meaning.
    static func model(_ report: FitReport, _ r: ShopReports, tables: inout PageTables) -> String {
        let fmt = r.format, t = r.language.translator, currency = r.state.currency
        let f = report.fit, p = f.parameters, se = f.diagnostics.standardErrors
        let unitName = t(f.unit.rawValue), unit = t(f.unit.singular)
        var out = "<p class=\"period\">" + r.tHTML("{model} fitted on {customers} customers ({repeat} bought again)",
                                                 ["model": html(f.model.displayName), "customers": "<span class=\"fit-customers\">\(fmt.int(f.customers))</span>",
                                                  "repeat": html(fmt.int(f.repeatCustomers))])
        out += " · " + html(t("first purchases from {date}", ["date": fmt.date(report.firstPurchase)])) + " · "
        out += html(t("calibration to {date}", ["date": fmt.date(report.calibrationEnd)]))
        out += " · " + html(report.holdoutEnd.map { t("holdout to {date}", ["date": fmt.date($0)]) } ?? t("no holdout"))
        out += " · " + html(t("time unit: {unit}", ["unit": unitName])) + " · " + html(t("fitted {date}", ["date": fmt.date(report.fittedOn)])) + "</p>"

        out += "<h2 id=\"parameters\">\(html(t("The model's parameters")))</h2>"
        out += "<p>" + html(t("While a customer is active, purchases come at a personal rate λ; after each repeat purchase the customer may leave for good, with a personal probability p."))
        if f.model == .mbgnbd { out += " " + html(t("MBG/NBD: the customer may also leave right after the first purchase.")) }
        out += " " + html(t("The parameters describe how λ and p vary between customers.")) + "</p>"
        let meanRate = p.r / p.alpha
        let meanDropOut = p.a / (p.a + p.b)
        let rows: [(String, Double, String)] = [
            ("r", p.r, t("shape of the purchase rates λ ~ Gamma(r, α): the smaller r, the more customers differ in how often they buy")),
            ("α (\(unitName))", p.alpha, t("scale of the purchase rates: an active customer buys r ÷ α = {rate} times a {unit} on average (one purchase every {every} {units})",
                                            ["rate": fmt.decimal(meanRate, digits: 4), "unit": unit, "every": fmt.decimal(meanRate > 0 ? 1 / meanRate : nil), "units": unitName])),
            ("a", p.a, t("drop-out probability p ~ Beta(a, b): a customer leaves after a purchase with mean probability a ÷ (a + b) = {share}",
                         ["share": fmt.percent(meanDropOut)])),
            ("b", p.b, t("second shape of p: the larger a + b, the more alike customers are in how likely they are to leave")),
        ]
        out += tables.add(DataTable(id: "parameters", title: t("The model's parameters"),
            columns: [.text(t("Parameter")), .number(t("Value")), .number(t("Std. error")), .text(t("Meaning"))],
            rows: rows.enumerated().map { i, row in
                TableRow([.text(row.0), TableCell.decimal(row.1, parameterDigits(row.1)).classed("parameter"),
                          se.map { .decimal($0[i], parameterDigits($0[i])) } ?? .decimal(nil), .text(row.2)])
            }, rowHeaders: true))

        out += "<h2 id=\"spend\">\(html(t("Spend model (Gamma-Gamma)")))</h2>"
        if let g = report.spend {
            let gp = g.parameters
            out += "<p>" + html(t("Fitted on {customers} repeat customers: the value of a customer's purchase days varies around the customer's own mean, which varies between customers.",
                                  ["customers": fmt.int(g.customers)])) + " "
            out += r.tHTML("p {p}, q {q}, γ {gamma}: the mean value of a purchase day is p·γ ÷ (q − 1) = {mean};",
                           ["p": html(fmt.decimal(gp.p, digits: parameterDigits(gp.p))), "q": html(fmt.decimal(gp.q, digits: parameterDigits(gp.q))),
                            "gamma": html(fmt.decimal(gp.gamma, digits: parameterDigits(gp.gamma))),
                            "mean": "<strong class=\"mean-spend\">\(html(amount(g.populationMeanSpend, digits: currency.minorDigits, code: currency.code, fmt)))</strong>"])
            out += " " + html(t("a customer's expected order value moves from that mean towards the customer's own average the more purchases they have made.")) + "</p>"
            if let rho = g.frequencySpendCorrelation {
                out += "<p>" + html(t("Correlation between how often and how much customers buy: {rho}", ["rho": fmt.decimal(rho, digits: 2)]))
                out += html(abs(rho) > 0.3 ? t(" — high: the spend model assumes they are independent, so treat the CLV figures with care.") : t(" (the spend model assumes it is near 0).")) + "</p>"
            }
        } else if let e = report.spendError {
            out += "<p class=\"error\" role=\"status\">\(r.tHTML("No spend model: {reason}", ["reason": r.language.untranslated(e.description)])) \(html(t("Without it there are no order values or CLV, only P(alive) and expected purchases.")))</p>"
        }
        return out
    }

    /// How well the model fits: the optimizer's figures, the holdout comparison and the tracking chart.
    static func quality(_ report: FitReport, request: FitRequest, _ r: ShopReports, tables: inout PageTables) -> String {
        let f = r.format, t = r.language.translator
        let d = report.fit.diagnostics, v = report.validation
        var out = "<h2 id=\"quality\">\(html(t("Fit quality")))</h2>"
        out += "<p>\(html(t("Log-likelihood {value} after {iterations} iterations (largest gradient component {gradient}); near 0 means the optimizer reached the maximum.", ["value": f.decimal(d.logLikelihood, digits: 2), "iterations": f.int(d.iterations), "gradient": String(format: "%.1e", d.gradientNorm)])))</p>"
        if let holdoutEnd = report.holdoutEnd {
            let diff = v.actual == 0 ? nil : (v.predicted - Double(v.actual)) / Double(v.actual)
            out += "<section class=\"cards\" aria-label=\"\(html(t("Holdout")))\">"
            out += CustomersPage.card(t("Predicted repeat purchases"), f.decimal(v.predicted), language: r.language)
            out += CustomersPage.card(t("Actual repeat purchases"), f.int(v.actual), language: r.language)
            out += CustomersPage.card(t("Predicted − actual"), f.change(diff), language: r.language)
            out += "</section>"
            out += "<p>\(html(t("Holdout {from} to {to}: the model, fitted on the orders up to {calibrationEnd}, predicted {predicted} repeat purchase days; the customers made {actual}.", ["from": f.date(report.calibrationEnd.adding(days: 1)), "to": f.date(holdoutEnd), "calibrationEnd": f.date(report.calibrationEnd), "predicted": f.decimal(v.predicted), "actual": f.int(v.actual)])))</p>"
            out += "<h3 id=\"buckets\">\(html(t("By repeat purchases before the holdout")))</h3>"
            out += groupedBars(title: t("Predicted and actual repeat purchase days in the holdout by repeat purchase days up to {date}", ["date": f.date(report.calibrationEnd)]),
                               labels: v.buckets.map(\.label), predicted: v.buckets.map(\.predicted), actual: v.buckets.map { Double($0.actual) }, language: r.language)
            out += tables.add(DataTable(id: "buckets", title: t("By repeat purchases before the holdout"),
                columns: [.text(t("Repeat days to {date}", ["date": f.date(report.calibrationEnd)])), .number(t("Customers")), .number(t("Predicted")),
                          .number(t("Actual")), .number(t("Predicted per customer")), .number(t("Actual per customer"))],
                rows: v.buckets.map { b in
                    TableRow([.text(b.label), .int(b.customers), .decimal(b.predicted), .int(b.actual), .decimal(b.predictedPerCustomer, 3),
                              .decimal(b.actualPerCustomer, 3)], cssClass: "bucket")
                }, rowHeaders: true))
        } else {
            let suggested = report.calibrationEnd.adding(days: -182)
            var changes: [String: String?] = ["calibrationEnd": suggested.description]
            if request.model != .bgnbd { changes["model"] = request.model.rawValue }
            if request.unit != .days { changes["unit"] = request.unit.rawValue }
            if let lang = r.query.language { changes["lang"] = lang.rawValue }
            let link = QueryParameters(query: nil).with(changes)
            out += "<p>" + r.tHTML("No holdout: the model was fitted on every order up to {date}. To see how well it predicts orders it has not seen, fit it on the orders up to an earlier date and compare with what happened after it: {link} (or pick a calibration end above).",
                                   ["date": html(f.date(report.calibrationEnd)),
                                    "link": "<a href=\"/predictions?\(html(link))\">\(html(t("check it on the last 26 weeks")))</a>"]) + "</p>"
        }
        out += tracking(report, r, tables: &tables)
        return out
    }

    /// The tracking chart: cumulative repeat purchase days, actual and predicted, week by week, with the
    /// calibration end marked, and the same numbers in a table (every k-th week beyond 60 rows, as the CLI).
    static func tracking(_ report: FitReport, _ r: ShopReports, tables: inout PageTables) -> String {
        let f = r.format, t = r.language.translator
        let points = report.validation.tracking
        guard !points.isEmpty else { return "" }
        var out = "<h3 id=\"tracking\">\(html(t("Cumulative repeat purchases: actual and predicted")))</h3>"
        out += "<p>\(html(t("Every repeat purchase day since {date}, counted week by week, beside what the model expects for customers arriving when they did; the dashed line marks the calibration end.", ["date": f.date(report.firstPurchase)])))</p>"
        let marker = points.firstIndex { $0.date == report.calibrationEnd && report.holdoutEnd != nil }
        out += lineChart(title: t("Cumulative repeat purchase days, actual and predicted, by week since {date}", ["date": f.date(report.firstPurchase)]),
                         labels: points.map { f.date($0.date) },
                         series: [(t("Actual"), "#1a1a1a", points.map { Double($0.actual) }, false),
                                  (t("Predicted"), "#0b5cad", points.map(\.predicted), true)],
                         marker: marker, language: r.language)
        let every = max(1, (points.count + 59) / 60)
        var rows: [TableRow] = []
        for (i, p) in points.enumerated() where i % every == every - 1 || i == points.count - 1 || p.date == report.calibrationEnd {
            var date = TableCell.date(p.date)
            if p.date == report.calibrationEnd && report.holdoutEnd != nil { date.badgeHTML = " <small class=\"mark\">(\(html(t("calibration end"))))</small>" }
            rows.append(TableRow([.decimal(p.week, p.week == p.week.rounded() ? 0 : 1), date, .int(p.actual), .decimal(p.predicted)], cssClass: "track"))
        }
        out += tables.add(DataTable(id: "tracking", title: t("Cumulative repeat purchases: actual and predicted"),
                                    columns: [.number(t("Week")), .text(t("To")), .number(t("Actual")), .number(t("Predicted"))], rows: rows))
        return out
    }

    /// The ranked customers with the totals, and the CSV download.
    static func predictions(_ r: ShopReports, _ report: FitReport, tables: inout PageTables) throws -> String {
        let f = r.format, t = r.language.translator
        let list = try r.predictions(report)
        let code = r.state.currency.code, digits = r.state.currency.minorDigits
        let window = Int(list.options.purchaseWindowDays)
        func money(_ v: Double?) -> String { v.map { amount($0, digits: digits, code: code, f) } ?? "–" }
        var out = "<h2 id=\"predictions\">\(html(t("Predictions as of {date}", ["date": f.date(list.asOf)])))</h2>"
        out += "<p>" + html(t("CLV over {months} months, discounted {discount} % a month,", ["months": f.int(list.options.horizonMonths), "discount": f.decimal(list.options.monthlyDiscountRate * 100, digits: 2)])) + " "
        out += html(list.options.margin.map { t("at a {margin} margin (profit).", ["margin": f.percent($0)]) } ?? t("as revenue (no margin set)."))
        out += " " + html(t("P(alive) is the chance the customer has not silently left; expected purchases count purchase days in the next {days} days.", ["days": f.int(window)])) + "</p>"
        out += "<section class=\"cards\" aria-label=\"\(html(t("Prediction totals")))\">"
        out += CustomersPage.card(t("Customers"), f.int(list.customers), language: r.language)
        out += CustomersPage.card(t("Mean P(alive)"), f.percent(list.meanProbabilityAlive), language: r.language)
        out += CustomersPage.card(t("Expected purchases, next {days} days", ["days": String(window)]), f.decimal(list.expectedPurchases), language: r.language)
        out += CustomersPage.card(t("Total predicted CLV"), money(list.totalCLV), language: r.language)
        out += "</section>"
        if list.spend == nil { out += "<p>\(html(t("No spend model: order values and CLV are not shown; customers are ranked by expected purchases.")))</p>" }
        let csv = "/api/v1/predictions.csv?" + r.query.with(["top": "0", "lang": nil])
        out += "<p class=\"download\"><a href=\"\(html(csv))\" download>\(html(t("Download every customer as CSV")))</a></p>"
        let by = ["clv": t("predicted CLV"), "alive": "P(alive)", "next": t("next order date")][list.sort.rawValue] ?? list.sort.rawValue
        let title = t("Top {count} customers by {ranking}", ["count": f.int(list.rows.count), "ranking": by])
        let asOf = r.query["asOf"]
        out += tables.add(DataTable(id: "predictions", title: title,
            columns: [.number("#"), .text(t("Customer")), .number(t("Repeat days")), .text(t("Last purchase")), .number("P(alive)"),
                      .number(t("Purchases {days}d", ["days": String(window)])), .number(t("Order value")), .number(t("Predicted CLV")), .text(t("Next order"))],
            rows: list.rows.map { row in
                let p = row.prediction
                var link = "/customers/" + QueryParameters.encode(row.customer)
                if let asOf { link += "?asOf=" + QueryParameters.encode(asOf) }
                return TableRow([.int(row.rank), TableCell.text(row.customer).linked(r.href(link)), .int(row.frequency), .date(row.lastPurchase),
                                 .percent(p.probabilityAlive), .decimal(p.expectedPurchases, 2),
                                 TableCell(.decimal(p.expectedOrderValue, digits: digits)).withUnit(code),
                                 TableCell(.decimal(p.clv, digits: digits)).withUnit(code),
                                 p.nextOrderDate.map { .date($0) } ?? .text(t("after 10 years"))], cssClass: "prediction")
            }, caption: true, emptyText: t("No customer has an order by this date.")))
        return out
    }

    /// The digits `parameter` shows for `v`: four significant digits (as the CLI's table).
    static func parameterDigits(_ v: Double) -> Int {
        guard v.isFinite else { return 0 }
        let magnitude = v == 0 ? 0 : Int((abs(v)).log10Floor)
        return max(0, min(8, 3 - magnitude))
    }

    /// A parameter value with four significant digits (as the CLI's table).
    static func parameter(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let magnitude = v == 0 ? 0 : Int((abs(v)).log10Floor)
        let digits = max(0, min(8, 3 - magnitude))
        return Format.decimal(v, digits: digits)
    }

    /// A line chart of `series` over `labels` (one point per label), scaled from 0 to the largest value, with an
    /// optional dashed vertical marker at index `marker`.
    static func lineChart(title: String, labels: [String], series: [(label: String, colour: String, values: [Double], dashed: Bool)],
                          marker: Int?, language: Language = .en) -> String {
        let f = language.format
        let width = 720, height = 260, left = 56, right = 12, top = 12, bottom = 40
        let plotW = width - left - right, plotH = height - top - bottom
        let maxValue = max(1, series.flatMap(\.values).filter(\.isFinite).max() ?? 1)
        let n = labels.count
        func x(_ i: Int) -> Double { Double(left) + (n <= 1 ? 0 : Double(i) * Double(plotW) / Double(n - 1)) }
        func y(_ v: Double) -> Double { Double(top + plotH) - (v.isFinite ? v : 0) / maxValue * Double(plotH) }
        func fmt(_ v: Double) -> String { String((v * 10).rounded() / 10) }
        var out = "<figure><svg role=\"img\" aria-label=\"\(html(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(html(title))</title>"
        out += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(width - right)\" y2=\"\(top + plotH)\" stroke=\"#4a4a4a\"/>"
        out += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"#4a4a4a\"/>"
        out += "<text x=\"\(left - 6)\" y=\"\(top + 10)\" text-anchor=\"end\">\(html(f.int(Int(maxValue.rounded()))))</text>"
        out += "<text x=\"\(left - 6)\" y=\"\(top + plotH)\" text-anchor=\"end\">0</text>"
        if let first = labels.first, let last = labels.last {
            out += "<text x=\"\(left)\" y=\"\(top + plotH + 16)\" text-anchor=\"start\">\(html(first))</text>"
            out += "<text x=\"\(width - right)\" y=\"\(top + plotH + 16)\" text-anchor=\"end\">\(html(last))</text>"
        }
        if let marker, labels.indices.contains(marker) {
            out += "<line class=\"marker\" x1=\"\(fmt(x(marker)))\" y1=\"\(top)\" x2=\"\(fmt(x(marker)))\" y2=\"\(top + plotH)\" stroke=\"#7a5a00\" stroke-dasharray=\"4 3\"><title>\(html(language.t("Calibration end"))) \(html(labels[marker]))</title></line>"
            out += "<text x=\"\(fmt(x(marker)))\" y=\"\(top + plotH + 32)\" text-anchor=\"middle\">\(html(labels[marker]))</text>"
        }
        for s in series {
            let points = s.values.enumerated().map { i, v in "\(fmt(x(i))),\(fmt(y(v)))" }.joined(separator: " ")
            out += "<polyline class=\"series\" points=\"\(points)\" fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 3\"" : "")><title>\(html(s.label))</title></polyline>"
        }
        out += "</svg><figcaption class=\"legend\">"
        out += series.map { "<span style=\"--c:\($0.colour)\">\(html($0.label))\($0.dashed ? " (" + html(language.t("dashed")) + ")" : "")</span>" }.joined()
        return out + "</figcaption></figure>"
    }

    /// Side-by-side bars of predicted and actual per label, each bar with its value as a tooltip title.
    static func groupedBars(title: String, labels: [String], predicted: [Double], actual: [Double], language: Language = .en) -> String {
        let f = language.format, t = language.translator
        let barWidth = 16, gap = 14, left = 56, bottom = 30, top = 12, height = 200
        let width = left + labels.count * (2 * barWidth + gap) + gap
        let plot = height - bottom - top
        let maxValue = max(1, (predicted + actual).filter(\.isFinite).max() ?? 1)
        func h(_ v: Double) -> Int { v > 0 ? max(1, Int((v / maxValue * Double(plot)).rounded())) : 0 }
        var out = "<figure><svg role=\"img\" aria-label=\"\(html(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(html(title))</title>"
        out += "<line x1=\"\(left - 4)\" y1=\"\(top + plot)\" x2=\"\(width)\" y2=\"\(top + plot)\" stroke=\"#4a4a4a\"/>"
        out += "<text x=\"\(left - 8)\" y=\"\(top + 10)\" text-anchor=\"end\">\(html(f.int(Int(maxValue.rounded()))))</text>"
        out += "<text x=\"\(left - 8)\" y=\"\(top + plot)\" text-anchor=\"end\">0</text>"
        for (i, label) in labels.enumerated() {
            let x = left + gap + i * (2 * barWidth + gap)
            let p = i < predicted.count ? predicted[i] : 0, a = i < actual.count ? actual[i] : 0
            out += "<g class=\"bar\"><title>\(html(label)): \(html(t("predicted {predicted}, actual {actual}", ["predicted": f.decimal(p), "actual": f.decimal(a, digits: 0)])))</title>"
            out += "<rect x=\"\(x)\" y=\"\(top + plot - h(p))\" width=\"\(barWidth)\" height=\"\(h(p))\" fill=\"#0b5cad\"/>"
            out += "<rect x=\"\(x + barWidth)\" y=\"\(top + plot - h(a))\" width=\"\(barWidth)\" height=\"\(h(a))\" fill=\"#1a1a1a\"/></g>"
            out += "<text x=\"\(x + barWidth)\" y=\"\(top + plot + 16)\" text-anchor=\"middle\">\(html(label))</text>"
        }
        out += "</svg><figcaption class=\"legend\"><span style=\"--c:#0b5cad\">\(html(t("Predicted")))</span><span style=\"--c:#1a1a1a\">\(html(t("Actual")))</span></figcaption></figure>"
        return out
    }
}

extension Double {
    /// ⌊log₁₀ |self|⌋ for a finite non-zero value.
    fileprivate var log10Floor: Double {
        var v = abs(self), e = 0.0
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 && v > 0 { v *= 10; e -= 1 }
        return e
    }
}
