import ClienteleCore

/// The *Retention & CLV* page (METRICS.md, "CLV (seed 002) and retention metrics (seed 004)" and "Cohorts
/// and RFM"): the retention metrics of a period, the formula CLV calculator and the cohort retention triangle.
enum RetentionPage {
    /// The page for the request's period, CLV inputs and cohort parameters.
    static func render(_ r: ShopReports) throws -> String {
        let m = try r.retention()
        let clv = try r.clv()
        let cohorts = try r.cohorts()
        let c = m.retention
        var body = PeriodPicker.form(action: "/retention", query: r.query, comparison: false, language: r.language)
        body += "<p class=\"period\">\(html(m.period.start.description)) to \(html(m.period.lastDay.description)) (as of \(html(m.asOf.description))) · "
        body += "previous period \(html(m.previousPeriod.start.description)) to \(html(m.previousPeriod.lastDay.description))</p>"

        body += "<section class=\"cards\" aria-label=\"Retention figures\">"
        body += CustomersPage.card("Customer retention rate", Format.percent(c.rate))
        body += CustomersPage.card("Churn rate", Format.percent(c.churnRate))
        body += CustomersPage.card("Repeat purchase ratio", Format.percent(m.repeatPurchase.ratio))
        body += CustomersPage.card("Days between purchases", Format.decimal(m.timeBetweenPurchases.meanDays))
        body += CustomersPage.card("Product return rate", Format.percent(m.productReturns.rate))
        body += "</section>"

        body += "<h2 id=\"retention\">Retention</h2><div class=\"table-wrap\"><table aria-labelledby=\"retention\"><thead><tr><th scope=\"col\">Figure</th><th scope=\"col\" class=\"num\">Value</th><th scope=\"col\">How</th></tr></thead><tbody>"
        let rows: [(String, String, String, String)] = [
            ("s", "S: customers in the previous period", Format.int(c.customersPrevious), "customers with an order in P′"),
            ("e", "E: customers in the period", Format.int(c.customersCurrent), "customers with an order in P"),
            ("n", "N: new customers", Format.int(c.newCustomers), "first order ever in P"),
            ("retained", "Retained", Format.int(c.retained), "of S, with an order in P"),
            ("churned", "Churned", Format.int(c.churned), "of S, without an order in P"),
            ("crr", "Customer retention rate (CRR)", Format.percent(c.rate), "(E − N) ÷ S"),
            ("churn", "Churn rate", Format.percent(c.churnRate), "churned ÷ S"),
            ("repeat", "Repeat purchase ratio", Format.percent(m.repeatPurchase.ratio),
             "\(Format.int(m.repeatPurchase.repeatCustomers)) of \(Format.int(m.repeatPurchase.customers)) customers with 2 or more orders by the end of P"),
            ("gap", "Time between purchases (days)", Format.decimal(m.timeBetweenPurchases.meanDays),
             "mean over \(Format.int(m.timeBetweenPurchases.customers)) repeat customers of their mean gap"),
            ("returns", "Product return rate", Format.percent(m.productReturns.rate),
             "\(m.productReturns.returnedQuantity) of \(m.productReturns.soldQuantity) units sold in P returned"),
        ]
        body += rows.map { row -> String in
            "<tr><td>\(html(row.1))</td><td class=\"num \(row.0)\">\(html(row.2))</td><td>\(html(row.3))</td></tr>"
        }.joined()
        body += "</tbody></table></div>"

        let pr = m.productReturns
        body += "<h2 id=\"returns\">Products by return rate</h2>"
        body += "<p>Products with at least \(pr.minimumQuantity) units sold in the period, worst first; \(Format.int(pr.productsBelowMinimum)) products sold fewer units and are not listed.</p>"
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"returns\"><thead><tr><th scope=\"col\">Product</th><th scope=\"col\" class=\"num\">Sold</th><th scope=\"col\" class=\"num\">Returned</th><th scope=\"col\" class=\"num\">Return rate</th></tr></thead><tbody>"
        for p in pr.products.prefix(20) {
            body += "<tr class=\"return\"><td>\(html(p.productName)) <small>(\(html(p.productId)))</small></td><td class=\"num\">\(Format.int(Int(p.soldQuantity)))</td><td class=\"num\">\(Format.int(Int(p.returnedQuantity)))</td><td class=\"num\">\(Format.percent(p.rate))</td></tr>"
        }
        if pr.products.isEmpty { body += "<tr><td colspan=\"4\">No product sold enough units in this period.</td></tr>" }
        body += "</tbody></table></div>"

        body += calculator(r, clv)
        body += triangle(cohorts)
        body += ltvCurves(cohorts)
        return r.page(title: r.t("Retention & CLV"), path: "/retention", body: body).rendered
    }

    /// The formula CLV calculator: a GET form with the inputs (empty = from the data, shown as placeholder)
    /// that keeps the period's parameters, and the result.
    static func calculator(_ r: ShopReports, _ clv: FormulaCLV) -> String {
        var out = "<h2 id=\"clv\">Customer lifetime value (formula)</h2>"
        out += "<p>From the 12 months \(html(clv.window.start.description)) to \(html(clv.window.lastDay.description)); fill in a field to try another value, leave it empty to use the data.</p>"
        out += "<form class=\"picker\" method=\"get\" action=\"/retention#clv\" aria-label=\"CLV calculator\">"
        for name in ["period", "from", "to", "asOf", "minQuantity", "by", "cohorts", "firstProduct", "country"] {
            if let v = r.query[name] { out += "<input type=\"hidden\" name=\"\(name)\" value=\"\(html(v))\">" }
        }
        func field(_ name: String, _ label: String, placeholder: String) -> String {
            "<label for=\"\(name)\">\(html(label))<input id=\"\(name)\" name=\"\(name)\" inputmode=\"decimal\" value=\"\(html(r.query[name] ?? ""))\" placeholder=\"\(html(placeholder))\"></label>"
        }
        out += field("orderValue", "Average order value (\(clv.currency.code))", placeholder: clv.averageOrderValue.fromData?.decimalString ?? "")
        out += field("ordersPerYear", "Orders per customer per year", placeholder: clv.ordersPerCustomerPerYear.fromData.map { Format.decimal($0, digits: 2) } ?? "")
        out += field("lifespanYears", "Lifespan (years)", placeholder: clv.lifespanYears.fromData.map { Format.decimal($0, digits: 2) } ?? "")
        out += field("margin", "Gross margin (0.4 = 40 %)", placeholder: String(FormulaCLV.defaultMargin))
        out += field("cac", "Acquisition cost, CAC (\(clv.currency.code))", placeholder: "")
        out += "<button type=\"submit\">Calculate</button></form>"

        func source(_ isOverride: Bool) -> String { isOverride ? "what-if" : "from the data" }
        out += "<div class=\"table-wrap\"><table aria-labelledby=\"clv\"><tbody>"
        out += "<tr><th scope=\"row\">Average order value</th><td class=\"num aov\">\(html(Format.money(clv.averageOrderValue.value)))</td><td>\(source(clv.averageOrderValue.isOverride))</td></tr>"
        out += "<tr><th scope=\"row\">× orders per customer per year</th><td class=\"num\">\(Format.decimal(clv.ordersPerCustomerPerYear.value, digits: 2))</td><td>\(source(clv.ordersPerCustomerPerYear.isOverride))</td></tr>"
        let capped = clv.data.lifespanCapped && !clv.lifespanYears.isOverride ? ", capped at \(Format.decimal(FormulaCLV.maximumLifespanYears, digits: 0))" : ""
        out += "<tr><th scope=\"row\">× lifespan (years)</th><td class=\"num\">\(Format.decimal(clv.lifespanYears.value, digits: 2))</td><td>\(source(clv.lifespanYears.isOverride))\(capped) (annual churn \(Format.percent(clv.data.annualChurnRate)))</td></tr>"
        out += "<tr><th scope=\"row\">= CLV</th><td class=\"num clv\"><strong>\(html(Format.money(clv.clv)))</strong></td><td></td></tr>"
        out += "<tr><th scope=\"row\">Affordable CAC at \(Format.percent(clv.margin)) margin</th><td class=\"num affordable\">\(html(Format.money(clv.affordableCAC)))</td><td>CLV × margin</td></tr>"
        out += "<tr><th scope=\"row\">Highest CAC for CLV ≥ 3 × CAC</th><td class=\"num\">\(html(Format.money(clv.maximumCACForRule)))</td><td>CLV ÷ 3</td></tr>"
        if let cac = clv.cac {
            let verdict = clv.meetsRule.map { $0 ? "meets CLV ≥ 3 × CAC" : "does not meet CLV ≥ 3 × CAC" } ?? ""
            out += "<tr><th scope=\"row\">CLV ÷ CAC (CAC \(html(Format.money(cac))))</th><td class=\"num ratio\">\(Format.decimal(clv.clvToCACRatio, digits: 2))</td><td>\(verdict)</td></tr>"
        }
        out += "</tbody></table></div>"
        return out
    }

    /// The cohort retention triangle as a table: one row per cohort, one `<td class="cohort-cell">` per
    /// period after it, its background darker for a larger share.
    static func triangle(_ cohorts: Cohorts) -> String {
        let width = cohorts.cohorts.map(\.cells.count).max() ?? 0
        let unit = cohorts.granularity == .month ? "Month" : "Quarter"
        var out = "<h2 id=\"cohorts\">Cohort retention</h2>"
        out += "<p>Share of each \(cohorts.granularity.rawValue)'s new customers who ordered again \(cohorts.granularity.rawValue)s later (as of \(html(cohorts.asOf.description))); italic: the period is not over yet.</p>"
        out += "<div class=\"table-wrap\"><table class=\"triangle\" aria-labelledby=\"cohorts\"><thead><tr><th scope=\"col\">Cohort</th><th scope=\"col\" class=\"num\">Customers</th>"
        out += (0..<width).map { k -> String in "<th scope=\"col\" class=\"num\">\(unit) \(k)</th>" }.joined()
        out += "</tr></thead><tbody>"
        for cohort in cohorts.cohorts {
            out += "<tr><th scope=\"row\">\(html(cohort.label))</th><td class=\"num\">\(Format.int(cohort.customers))</td>"
            out += cohort.cells.map { cell -> String in
                let share = cell.retention ?? 0
                let background = cell.retention == nil ? "#ffffff" : BehaviourPage.colour(share)
                let text = share > 0.7 ? "#ffffff" : "#1a1a1a"
                let style = "background:\(background);color:\(text)\(cell.isComplete ? "" : ";font-style:italic")"
                return "<td class=\"cohort-cell num\" style=\"\(style)\" title=\"\(cell.activeCustomers) of \(cohort.customers) customers\">\(Format.percent(cell.retention))</td>"
            }.joined()
            out += String(repeating: "<td></td>", count: width - cohort.cells.count)
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        return out
    }

    /// The LTV curves: per cohort a `<polyline class="ltv">` of its cumulative revenue per customer through
    /// each period, with the same numbers in a table.
    static func ltvCurves(_ cohorts: Cohorts) -> String {
        let rows = cohorts.cohorts.filter { $0.customers > 0 }
        let width = rows.map(\.cells.count).max() ?? 0
        var out = "<h2 id=\"ltv\">LTV curves</h2>"
        guard width > 0 else { return out + "<p>No cohort has customers yet.</p>" }
        let maxValue = max(1, rows.flatMap { $0.cells.compactMap { $0.cumulativeRevenuePerCustomer?.minorUnits } }.max() ?? 1)
        let left = 80, top = 12, plotW = max(1, width - 1) * 40, plotH = 200, bottom = 30
        let w = left + plotW + 20, h = top + plotH + bottom
        let palette = ["#0b5cad", "#1b6e20", "#a4161a", "#7a5a00", "#5b2a86", "#00695c"]
        func x(_ k: Int) -> Int { left + (width == 1 ? 0 : k * plotW / (width - 1)) }
        func y(_ v: Int64) -> Int { top + plotH - Int(Double(v) / Double(maxValue) * Double(plotH)) }
        var svg = "<figure><svg role=\"img\" aria-label=\"Cumulative revenue per cohort customer\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>Cumulative revenue per cohort customer by \(cohorts.granularity.rawValue)s since the first order</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#4a4a4a\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 10)\" text-anchor=\"end\">\(html(Money(minorUnits: maxValue, currency: cohorts.currency).decimalString))</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + plotH)\" text-anchor=\"end\">0</text>"
        svg += "<text x=\"\(left)\" y=\"\(top + plotH + 18)\">0</text><text x=\"\(left + plotW)\" y=\"\(top + plotH + 18)\" text-anchor=\"end\">\(width - 1)</text>"
        for (i, cohort) in rows.enumerated() {
            let points = cohort.cells.compactMap { cell -> String? in
                cell.cumulativeRevenuePerCustomer.map { "\(x(cell.offset)),\(y($0.minorUnits))" }
            }.joined(separator: " ")
            let values = cohort.cells.map { cell -> String in Format.money(cell.cumulativeRevenuePerCustomer) }.joined(separator: ", ")
            svg += "<polyline class=\"ltv\" points=\"\(points)\" fill=\"none\" stroke=\"\(palette[i % palette.count])\" stroke-width=\"2\"><title>\(html(cohort.label)): \(html(values))</title></polyline>"
        }
        svg += "</svg><figcaption class=\"legend\">"
        svg += rows.enumerated().map { (i, c) -> String in "<span style=\"--c:\(palette[i % palette.count])\">\(html(c.label))</span>" }.joined()
        out += svg + "</figcaption></figure>"
        out += "<div class=\"table-wrap\"><table aria-labelledby=\"ltv\"><thead><tr><th scope=\"col\">Cohort</th>"
        out += (0..<width).map { k -> String in "<th scope=\"col\" class=\"num\">\(k)</th>" }.joined()
        out += "</tr></thead><tbody>"
        for cohort in rows {
            out += "<tr><th scope=\"row\">\(html(cohort.label))</th>"
            out += cohort.cells.map { cell -> String in "<td class=\"num\">\(html(Format.money(cell.cumulativeRevenuePerCustomer)))</td>" }.joined()
            out += String(repeating: "<td></td>", count: width - cohort.cells.count) + "</tr>"
        }
        return out + "</tbody></table></div>"
    }
}
