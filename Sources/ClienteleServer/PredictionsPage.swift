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
    static func render(_ r: ShopReports, fits: FitCache) async throws -> String {
        let request = try r.fitRequest()
        _ = try r.predictionOptions()
        _ = try r.query.choice("sort", PredictionSort.self)
        _ = try r.query.int("top", in: 1...ShopReports.maximumPredictionRows)
        var body = form(r)
        switch try await r.fit(fits) {
        case .failure(let error):
            body += "<p class=\"error\" role=\"status\">No model could be fitted: \(html(error.description))</p>"
            body += "<p>The models need customers who bought more than once (and, for the spend model, their order values). Import more orders, or choose an earlier calibration end when a holdout leaves too little data.</p>"
        case .success(let report):
            body += model(report, request: request, currency: r.state.currency)
            body += quality(report, request: request)
            body += try predictions(r, report)
        }
        return r.page(title: r.t("Predictions"), path: "/predictions", body: body).rendered
    }

    /// The GET form: fit options, as-of date and prediction options (works without JavaScript).
    static func form(_ r: ShopReports) -> String {
        let q = r.query
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
        var out = "<form class=\"picker\" method=\"get\" action=\"/predictions\" aria-label=\"Model and predictions\">"
        out += select("model", "Model", [("bgnbd", "BG/NBD"), ("mbgnbd", "MBG/NBD")])
        out += select("unit", "Time unit", [("days", "days"), ("weeks", "weeks")])
        out += input("calibrationEnd", "Calibration end", type: "date")
        out += input("holdoutEnd", "Holdout end", type: "date")
        out += input("asOf", "Predict as of", type: "date")
        out += select("sort", "Rank by", [("clv", "Predicted CLV"), ("alive", "P(alive)"), ("next", "Next order")])
        out += input("top", "Customers listed", type: "number", placeholder: "20")
        out += input("horizonMonths", "CLV horizon (months)", type: "number", placeholder: "12")
        out += input("discountMonthly", "Discount per month", placeholder: "0.01")
        out += input("margin", "Gross margin (0.4 = 40 %)", placeholder: "revenue")
        out += input("days", "Purchases window (days)", type: "number", placeholder: "90")
        out += "<button type=\"submit\">Show</button></form>"
        return out
    }

    /// The fitted model: what it was fitted on and each parameter with its standard error and meaning.
    static func model(_ report: FitReport, request: FitRequest, currency: Currency) -> String {
        let f = report.fit, p = f.parameters, se = f.diagnostics.standardErrors
        let unit = f.unit.singular
        var out = "<p class=\"period\">\(html(f.model.displayName)) fitted on <span class=\"fit-customers\">\(Format.int(f.customers))</span> customers "
        out += "(\(Format.int(f.repeatCustomers)) bought again) · first purchases from \(html(report.firstPurchase.description)) · "
        out += "calibration to \(html(report.calibrationEnd.description))"
        out += report.holdoutEnd.map { " · holdout to \(html($0.description))" } ?? " · no holdout"
        out += " · time unit: \(html(f.unit.rawValue)) · fitted \(html(report.fittedOn.description))</p>"

        out += "<h2 id=\"parameters\">The model's parameters</h2>"
        out += "<p>While a customer is active, purchases come at a personal rate λ; after each repeat purchase the customer may leave for good, with a personal probability p"
        out += f.model == .mbgnbd ? " (MBG/NBD: also right after the first purchase)." : "."
        out += " The parameters describe how λ and p vary between customers.</p>"
        out += "<div class=\"table-wrap\"><table aria-labelledby=\"parameters\"><thead><tr><th scope=\"col\">Parameter</th><th scope=\"col\" class=\"num\">Value</th><th scope=\"col\" class=\"num\">Std. error</th><th scope=\"col\">Meaning</th></tr></thead><tbody>"
        let meanRate = p.r / p.alpha
        let meanDropOut = p.a / (p.a + p.b)
        let rows: [(String, Double, String)] = [
            ("r", p.r, "shape of the purchase rates λ ~ Gamma(r, α): the smaller r, the more customers differ in how often they buy"),
            ("α (\(f.unit.rawValue))", p.alpha, "scale of the purchase rates: an active customer buys r ÷ α = \(Format.decimal(meanRate, digits: 4)) times a \(unit) on average (one purchase every \(Format.decimal(meanRate > 0 ? 1 / meanRate : nil)) \(f.unit.rawValue))"),
            ("a", p.a, "drop-out probability p ~ Beta(a, b): a customer leaves after a purchase with mean probability a ÷ (a + b) = \(Format.percent(meanDropOut))"),
            ("b", p.b, "second shape of p: the larger a + b, the more alike customers are in how likely they are to leave"),
        ]
        for (i, row) in rows.enumerated() {
            out += "<tr><th scope=\"row\">\(html(row.0))</th><td class=\"num parameter\">\(html(parameter(row.1)))</td>"
            out += "<td class=\"num\">\(se.map { html(parameter($0[i])) } ?? "–")</td><td>\(html(row.2))</td></tr>"
        }
        out += "</tbody></table></div>"

        out += "<h2 id=\"spend\">Spend model (Gamma-Gamma)</h2>"
        if let g = report.spend {
            let gp = g.parameters
            out += "<p>Fitted on \(Format.int(g.customers)) repeat customers: the value of a customer's purchase days varies around the customer's own mean, which varies between customers. "
            out += "p \(html(parameter(gp.p))), q \(html(parameter(gp.q))), γ \(html(parameter(gp.gamma))): the mean value of a purchase day is p·γ ÷ (q − 1) = "
            out += "<strong class=\"mean-spend\">\(html(Format.decimal(g.populationMeanSpend, digits: currency.minorDigits))) \(html(currency.code))</strong>; "
            out += "a customer's expected order value moves from that mean towards the customer's own average the more purchases they have made.</p>"
            if let rho = g.frequencySpendCorrelation {
                out += "<p>Correlation between how often and how much customers buy: \(Format.decimal(rho, digits: 2))"
                out += abs(rho) > 0.3 ? " — high: the spend model assumes they are independent, so treat the CLV figures with care.</p>" : " (the spend model assumes it is near 0).</p>"
            }
        } else if let e = report.spendError {
            out += "<p class=\"error\" role=\"status\">No spend model: \(html(e.description)) Without it there are no order values or CLV, only P(alive) and expected purchases.</p>"
        }
        return out
    }

    /// How well the model fits: the optimizer's figures, the holdout comparison and the tracking chart.
    static func quality(_ report: FitReport, request: FitRequest) -> String {
        let d = report.fit.diagnostics, v = report.validation
        var out = "<h2 id=\"quality\">Fit quality</h2>"
        out += "<p>Log-likelihood \(html(Format.decimal(d.logLikelihood, digits: 2))) after \(d.iterations) iterations (largest gradient component \(html(String(format: "%.1e", d.gradientNorm))); near 0 means the optimizer reached the maximum).</p>"
        if let holdoutEnd = report.holdoutEnd {
            let diff = v.actual == 0 ? nil : (v.predicted - Double(v.actual)) / Double(v.actual)
            out += "<section class=\"cards\" aria-label=\"Holdout\">"
            out += CustomersPage.card("Predicted repeat purchases", Format.decimal(v.predicted))
            out += CustomersPage.card("Actual repeat purchases", Format.int(v.actual))
            out += CustomersPage.card("Predicted − actual", Format.change(diff))
            out += "</section>"
            out += "<p>Holdout \(html(report.calibrationEnd.adding(days: 1).description)) to \(html(holdoutEnd.description)): the model, fitted on the orders up to \(html(report.calibrationEnd.description)), predicted \(html(Format.decimal(v.predicted))) repeat purchase days; the customers made \(Format.int(v.actual)).</p>"
            out += "<h3 id=\"buckets\">By repeat purchases before the holdout</h3>"
            out += groupedBars(title: "Predicted and actual repeat purchase days in the holdout by repeat purchase days up to \(report.calibrationEnd)",
                               labels: v.buckets.map(\.label), predicted: v.buckets.map(\.predicted), actual: v.buckets.map { Double($0.actual) })
            out += "<div class=\"table-wrap\"><table aria-labelledby=\"buckets\"><thead><tr><th scope=\"col\">Repeat days to \(html(report.calibrationEnd.description))</th><th scope=\"col\" class=\"num\">Customers</th><th scope=\"col\" class=\"num\">Predicted</th><th scope=\"col\" class=\"num\">Actual</th><th scope=\"col\" class=\"num\">Predicted per customer</th><th scope=\"col\" class=\"num\">Actual per customer</th></tr></thead><tbody>"
            for b in v.buckets {
                out += "<tr class=\"bucket\"><th scope=\"row\">\(html(b.label))</th><td class=\"num\">\(Format.int(b.customers))</td><td class=\"num\">\(Format.decimal(b.predicted))</td>"
                out += "<td class=\"num\">\(Format.int(b.actual))</td><td class=\"num\">\(Format.decimal(b.predictedPerCustomer, digits: 3))</td><td class=\"num\">\(Format.decimal(b.actualPerCustomer, digits: 3))</td></tr>"
            }
            out += "</tbody></table></div>"
        } else {
            let suggested = report.calibrationEnd.adding(days: -182)
            var link = QueryParameters(query: nil).with(["calibrationEnd": suggested.description])
            if request.model != .bgnbd { link += "&model=" + request.model.rawValue }
            if request.unit != .days { link += "&unit=" + request.unit.rawValue }
            out += "<p>No holdout: the model was fitted on every order up to \(html(report.calibrationEnd.description)). To see how well it predicts orders it has not seen, fit it on the orders up to an earlier date and compare with what happened after it: "
            out += "<a href=\"/predictions?\(html(link))\">check it on the last 26 weeks</a> (or pick a calibration end above).</p>"
        }
        out += tracking(report)
        return out
    }

    /// The tracking chart: cumulative repeat purchase days, actual and predicted, week by week, with the
    /// calibration end marked, and the same numbers in a table (every k-th week beyond 60 rows, as the CLI).
    static func tracking(_ report: FitReport) -> String {
        let points = report.validation.tracking
        guard !points.isEmpty else { return "" }
        var out = "<h3 id=\"tracking\">Cumulative repeat purchases: actual and predicted</h3>"
        out += "<p>Every repeat purchase day since \(html(report.firstPurchase.description)), counted week by week, beside what the model expects for customers arriving when they did; the dashed line marks the calibration end.</p>"
        let marker = points.firstIndex { $0.date == report.calibrationEnd && report.holdoutEnd != nil }
        out += lineChart(title: "Cumulative repeat purchase days, actual and predicted, by week since \(report.firstPurchase)",
                         labels: points.map(\.date.description),
                         series: [("Actual", "#1a1a1a", points.map { Double($0.actual) }, false),
                                  ("Predicted", "#0b5cad", points.map(\.predicted), true)],
                         marker: marker)
        let every = max(1, (points.count + 59) / 60)
        out += "<div class=\"table-wrap\"><table aria-labelledby=\"tracking\"><thead><tr><th scope=\"col\" class=\"num\">Week</th><th scope=\"col\">To</th><th scope=\"col\" class=\"num\">Actual</th><th scope=\"col\" class=\"num\">Predicted</th></tr></thead><tbody>"
        for (i, t) in points.enumerated() where i % every == every - 1 || i == points.count - 1 || t.date == report.calibrationEnd {
            let mark = t.date == report.calibrationEnd && report.holdoutEnd != nil ? " <small>(calibration end)</small>" : ""
            out += "<tr class=\"track\"><td class=\"num\">\(Format.decimal(t.week, digits: t.week == t.week.rounded() ? 0 : 1))</td><td>\(html(t.date.description))\(mark)</td>"
            out += "<td class=\"num\">\(Format.int(t.actual))</td><td class=\"num\">\(Format.decimal(t.predicted))</td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    /// The ranked customers with the totals, and the CSV download.
    static func predictions(_ r: ShopReports, _ report: FitReport) throws -> String {
        let list = try r.predictions(report)
        let code = r.state.currency.code
        let window = Int(list.options.purchaseWindowDays)
        func money(_ v: Double?) -> String {
            v.map { Format.decimal($0, digits: r.state.currency.minorDigits) + " " + code } ?? "–"
        }
        var out = "<h2 id=\"predictions\">Predictions as of \(html(list.asOf.description))</h2>"
        out += "<p>CLV over \(list.options.horizonMonths) months, discounted \(html(Format.decimal(list.options.monthlyDiscountRate * 100, digits: 2))) % a month, "
        out += list.options.margin.map { "at a \(html(Format.percent($0))) margin (profit)." } ?? "as revenue (no margin set)."
        out += " P(alive) is the chance the customer has not silently left; expected purchases count purchase days in the next \(window) days.</p>"
        out += "<section class=\"cards\" aria-label=\"Prediction totals\">"
        out += CustomersPage.card("Customers", Format.int(list.customers))
        out += CustomersPage.card("Mean P(alive)", Format.percent(list.meanProbabilityAlive))
        out += CustomersPage.card("Expected purchases, next \(window) days", Format.decimal(list.expectedPurchases))
        out += CustomersPage.card("Total predicted CLV", money(list.totalCLV))
        out += "</section>"
        if list.spend == nil { out += "<p>No spend model: order values and CLV are not shown; customers are ranked by expected purchases.</p>" }
        let csv = "/api/v1/predictions.csv?" + r.query.with(["top": "0"])
        out += "<p class=\"download\"><a href=\"\(html(csv))\" download>Download every customer as CSV</a></p>"
        let by = ["clv": "predicted CLV", "alive": "P(alive)", "next": "next order date"][list.sort.rawValue] ?? list.sort.rawValue
        out += "<div class=\"table-wrap\"><table aria-labelledby=\"predictions\"><caption>Top \(list.rows.count) customers by \(html(by))</caption><thead><tr>"
        out += "<th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Customer</th><th scope=\"col\" class=\"num\">Repeat days</th><th scope=\"col\">Last purchase</th>"
        out += "<th scope=\"col\" class=\"num\">P(alive)</th><th scope=\"col\" class=\"num\">Purchases \(window)d</th><th scope=\"col\" class=\"num\">Order value</th>"
        out += "<th scope=\"col\" class=\"num\">Predicted CLV</th><th scope=\"col\">Next order</th></tr></thead><tbody>"
        for row in list.rows {
            let p = row.prediction
            let link = "/customers/" + QueryParameters.encode(row.customer) + (r.query["asOf"].map { "?asOf=" + QueryParameters.encode($0) } ?? "")
            out += "<tr class=\"prediction\"><td class=\"num\">\(row.rank)</td><td><a href=\"\(html(link))\">\(html(row.customer))</a></td>"
            out += "<td class=\"num\">\(Format.int(row.frequency))</td><td>\(html(row.lastPurchase.description))</td>"
            out += "<td class=\"num\">\(Format.percent(p.probabilityAlive))</td><td class=\"num\">\(Format.decimal(p.expectedPurchases, digits: 2))</td>"
            out += "<td class=\"num\">\(money(p.expectedOrderValue))</td><td class=\"num\">\(money(p.clv))</td>"
            out += "<td>\(html(p.nextOrderDate?.description ?? "after 10 years"))</td></tr>"
        }
        if list.rows.isEmpty { out += "<tr><td colspan=\"9\">No customer has an order by this date.</td></tr>" }
        return out + "</tbody></table></div>"
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
                          marker: Int?) -> String {
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
        out += "<text x=\"\(left - 6)\" y=\"\(top + 10)\" text-anchor=\"end\">\(html(Format.int(Int(maxValue.rounded()))))</text>"
        out += "<text x=\"\(left - 6)\" y=\"\(top + plotH)\" text-anchor=\"end\">0</text>"
        if let first = labels.first, let last = labels.last {
            out += "<text x=\"\(left)\" y=\"\(top + plotH + 16)\" text-anchor=\"start\">\(html(first))</text>"
            out += "<text x=\"\(width - right)\" y=\"\(top + plotH + 16)\" text-anchor=\"end\">\(html(last))</text>"
        }
        if let marker, labels.indices.contains(marker) {
            out += "<line class=\"marker\" x1=\"\(fmt(x(marker)))\" y1=\"\(top)\" x2=\"\(fmt(x(marker)))\" y2=\"\(top + plotH)\" stroke=\"#7a5a00\" stroke-dasharray=\"4 3\"><title>Calibration end \(html(labels[marker]))</title></line>"
            out += "<text x=\"\(fmt(x(marker)))\" y=\"\(top + plotH + 32)\" text-anchor=\"middle\">\(html(labels[marker]))</text>"
        }
        for s in series {
            let points = s.values.enumerated().map { i, v in "\(fmt(x(i))),\(fmt(y(v)))" }.joined(separator: " ")
            out += "<polyline class=\"series\" points=\"\(points)\" fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 3\"" : "")><title>\(html(s.label))</title></polyline>"
        }
        out += "</svg><figcaption class=\"legend\">"
        out += series.map { "<span style=\"--c:\($0.colour)\">\(html($0.label))\($0.dashed ? " (dashed)" : "")</span>" }.joined()
        return out + "</figcaption></figure>"
    }

    /// Side-by-side bars of predicted and actual per label, each bar with its value as a tooltip title.
    static func groupedBars(title: String, labels: [String], predicted: [Double], actual: [Double]) -> String {
        let barWidth = 16, gap = 14, left = 56, bottom = 30, top = 12, height = 200
        let width = left + labels.count * (2 * barWidth + gap) + gap
        let plot = height - bottom - top
        let maxValue = max(1, (predicted + actual).filter(\.isFinite).max() ?? 1)
        func h(_ v: Double) -> Int { v > 0 ? max(1, Int((v / maxValue * Double(plot)).rounded())) : 0 }
        var out = "<figure><svg role=\"img\" aria-label=\"\(html(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(html(title))</title>"
        out += "<line x1=\"\(left - 4)\" y1=\"\(top + plot)\" x2=\"\(width)\" y2=\"\(top + plot)\" stroke=\"#4a4a4a\"/>"
        out += "<text x=\"\(left - 8)\" y=\"\(top + 10)\" text-anchor=\"end\">\(html(Format.int(Int(maxValue.rounded()))))</text>"
        out += "<text x=\"\(left - 8)\" y=\"\(top + plot)\" text-anchor=\"end\">0</text>"
        for (i, label) in labels.enumerated() {
            let x = left + gap + i * (2 * barWidth + gap)
            let p = i < predicted.count ? predicted[i] : 0, a = i < actual.count ? actual[i] : 0
            out += "<g class=\"bar\"><title>\(html(label)): predicted \(html(Format.decimal(p))), actual \(html(Format.decimal(a, digits: 0)))</title>"
            out += "<rect x=\"\(x)\" y=\"\(top + plot - h(p))\" width=\"\(barWidth)\" height=\"\(h(p))\" fill=\"#0b5cad\"/>"
            out += "<rect x=\"\(x + barWidth)\" y=\"\(top + plot - h(a))\" width=\"\(barWidth)\" height=\"\(h(a))\" fill=\"#1a1a1a\"/></g>"
            out += "<text x=\"\(x + barWidth)\" y=\"\(top + plot + 16)\" text-anchor=\"middle\">\(html(label))</text>"
        }
        out += "</svg><figcaption class=\"legend\"><span style=\"--c:#0b5cad\">Predicted</span><span style=\"--c:#1a1a1a\">Actual</span></figcaption></figure>"
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
