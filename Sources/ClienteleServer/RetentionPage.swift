import ClienteleCore

/// The *Retention & CLV* page (METRICS.md, "CLV (seed 002) and retention metrics (seed 004)" and "Cohorts
/// and RFM"): the retention metrics of a period, the formula CLV calculator and the cohort retention triangle.
enum RetentionPage {
    /// The page for the request's period, CLV inputs and cohort parameters.
    static func render(_ r: ShopReports) throws -> String { try content(r).html }

    /// The page and its tables.
    static func content(_ r: ShopReports) throws -> RenderedPage {
        let m = try r.retention()
        let clv = try r.clv()
        let cohorts = try r.cohorts()
        let c = m.retention
        let f = r.format, t = r.language.translator, language = r.language
        var tables = PageTables(r, downloadPath: "/retention")
        var body = PeriodPicker.form(action: "/retention", query: r.query, comparison: false, language: language)
        body += "<p class=\"period\">" + html(t("{from} to {to} (as of {asOf})", ["from": f.date(m.period.start), "to": f.date(m.period.lastDay), "asOf": f.date(m.asOf)]))
        body += " · " + html(t("previous period {from} to {to}", ["from": f.date(m.previousPeriod.start), "to": f.date(m.previousPeriod.lastDay)])) + "</p>"

        body += "<section class=\"cards\" aria-label=\"\(html(t("Retention figures")))\">"
        body += CustomersPage.card(t("Customer retention rate"), f.percent(c.rate), language: language)
        body += CustomersPage.card(t("Churn rate"), f.percent(c.churnRate), language: language)
        body += CustomersPage.card(t("Repeat purchase ratio"), f.percent(m.repeatPurchase.ratio), language: language)
        body += CustomersPage.card(t("Days between purchases"), f.decimal(m.timeBetweenPurchases.meanDays), language: language)
        body += CustomersPage.card(t("Product return rate"), f.percent(m.productReturns.rate), language: language)
        body += "</section>"

        body += "<h2 id=\"retention\">\(html(t("Retention")))</h2>"
        let rows: [(String, String, TableCell, String)] = [
            ("s", t("S: customers in the previous period"), .int(c.customersPrevious), t("customers with an order in P′")),
            ("e", t("E: customers in the period"), .int(c.customersCurrent), t("customers with an order in P")),
            ("n", t("N: new customers"), .int(c.newCustomers), t("first order ever in P")),
            ("retained", t("Retained"), .int(c.retained), t("of S, with an order in P")),
            ("churned", t("Churned"), .int(c.churned), t("of S, without an order in P")),
            ("crr", t("Customer retention rate (CRR)"), .percent(c.rate), "(E − N) ÷ S"),
            ("churn", t("Churn rate"), .percent(c.churnRate), t("churned ÷ S")),
            ("repeat", t("Repeat purchase ratio"), .percent(m.repeatPurchase.ratio),
             t("{repeat} of {customers} customers with 2 or more orders by the end of P",
               ["repeat": f.int(m.repeatPurchase.repeatCustomers), "customers": f.int(m.repeatPurchase.customers)])),
            ("gap", t("Time between purchases (days)"), .decimal(m.timeBetweenPurchases.meanDays),
             t("mean over {n} repeat customers of their mean gap", ["n": f.int(m.timeBetweenPurchases.customers)])),
            ("returns", t("Product return rate"), .percent(m.productReturns.rate),
             t("{returned} of {sold} units sold in P returned", ["returned": f.int(Int(m.productReturns.returnedQuantity)), "sold": f.int(Int(m.productReturns.soldQuantity))])),
        ]
        body += tables.add(DataTable(id: "retention", title: t("Retention"),
                                     columns: [.text(t("Figure")), .number(t("Value")), .text(t("How"))],
                                     rows: rows.map { TableRow([.text($0.1), $0.2.classed($0.0), .text($0.3)]) }))

        let pr = m.productReturns
        body += "<h2 id=\"returns\">\(html(t("Products by return rate")))</h2>"
        body += "<p>\(html(t("Products with at least {minimum} units sold in the period, worst first; {below} products sold fewer units and are not listed.", ["minimum": f.int(Int(pr.minimumQuantity)), "below": f.int(pr.productsBelowMinimum)])))</p>"
        body += tables.add(DataTable(id: "returns", title: t("Products by return rate"),
            columns: [.text(t("Product")), .number(t("Sold")), .number(t("Returned")), .number(t("Return rate"))],
            rows: pr.products.prefix(20).map { p in
                TableRow([TableCell.text(p.productName).noted(p.productId), .int64(p.soldQuantity), .int64(p.returnedQuantity), .percent(p.rate)],
                         cssClass: "return")
            }, emptyText: t("No product sold enough units in this period.")))

        body += calculator(r, clv, tables: &tables)
        body += triangle(cohorts, r, tables: &tables)
        body += ltvCurves(cohorts, r, tables: &tables)
        return RenderedPage(html: r.page(title: t("Retention & CLV"), path: "/retention", body: body).rendered, tables: tables.all)
    }

    /// The formula CLV calculator: a GET form with the inputs (empty = from the data, shown as placeholder)
    /// that keeps the period's parameters, and the result.
    static func calculator(_ r: ShopReports, _ clv: FormulaCLV, tables: inout PageTables) -> String {
        let f = r.format, t = r.language.translator
        var out = "<h2 id=\"clv\">\(html(t("Customer lifetime value (formula)")))</h2>"
        out += "<p>\(html(t("From the 12 months {from} to {to}; fill in a field to try another value, leave it empty to use the data.", ["from": f.date(clv.window.start), "to": f.date(clv.window.lastDay)])))</p>"
        out += "<form class=\"picker\" method=\"get\" action=\"/retention#clv\" aria-label=\"\(html(t("CLV calculator")))\">"
        for name in ["period", "from", "to", "asOf", "minQuantity", "by", "cohorts", "firstProduct", "country", "lang"] {
            if let v = r.query[name] { out += "<input type=\"hidden\" name=\"\(name)\" value=\"\(html(v))\">" }
        }
        func field(_ name: String, _ label: String, placeholder: String) -> String {
            "<label for=\"\(name)\">\(html(label))<input id=\"\(name)\" name=\"\(name)\" inputmode=\"decimal\" value=\"\(html(r.query[name] ?? ""))\" placeholder=\"\(html(placeholder))\"></label>"
        }
        // Placeholders are what the field takes (a dot for decimals), not formatted figures.
        out += field("orderValue", t("Average order value ({currency})", ["currency": clv.currency.code]), placeholder: clv.averageOrderValue.fromData?.decimalString ?? "")
        out += field("ordersPerYear", t("Orders per customer per year"), placeholder: clv.ordersPerCustomerPerYear.fromData.map { Format.decimal($0, digits: 2) } ?? "")
        out += field("lifespanYears", t("Lifespan (years)"), placeholder: clv.lifespanYears.fromData.map { Format.decimal($0, digits: 2) } ?? "")
        out += field("margin", t("Gross margin (0.4 = 40 %)"), placeholder: String(FormulaCLV.defaultMargin))
        out += field("cac", t("Acquisition cost, CAC ({currency})", ["currency": clv.currency.code]), placeholder: "")
        out += "<button type=\"submit\">\(html(t("Calculate")))</button></form>"

        func source(_ isOverride: Bool) -> TableCell { .text(isOverride ? t("what-if") : t("from the data")) }
        let capped = clv.data.lifespanCapped && !clv.lifespanYears.isOverride
            ? t(", capped at {years}", ["years": f.decimal(FormulaCLV.maximumLifespanYears, digits: 0)]) : ""
        var lifespanSource = source(clv.lifespanYears.isOverride)
        lifespanSource.value = .text(t(clv.lifespanYears.isOverride ? "what-if" : "from the data") + capped + " " + t("(annual churn {rate})", ["rate": f.percent(clv.data.annualChurnRate)]))
        var rows: [TableRow] = [
            TableRow([.text(t("Average order value")), TableCell.money(clv.averageOrderValue.value).classed("aov"), source(clv.averageOrderValue.isOverride)]),
            TableRow([.text(t("× orders per customer per year")), .decimal(clv.ordersPerCustomerPerYear.value, 2), source(clv.ordersPerCustomerPerYear.isOverride)]),
            TableRow([.text(t("× lifespan (years)")), .decimal(clv.lifespanYears.value, 2), lifespanSource]),
            TableRow([.text(t("= CLV")), TableCell.money(clv.clv).classed("clv").bold(), .empty]),
            TableRow([.text(t("Affordable CAC at {margin} margin", ["margin": f.percent(clv.margin)])), TableCell.money(clv.affordableCAC).classed("affordable"), .text(t("CLV × margin"))]),
            TableRow([.text(t("Highest CAC for CLV ≥ 3 × CAC")), .money(clv.maximumCACForRule), .text(t("CLV ÷ 3"))]),
        ]
        if let cac = clv.cac {
            let verdict = clv.meetsRule.map { $0 ? t("meets CLV ≥ 3 × CAC") : t("does not meet CLV ≥ 3 × CAC") } ?? ""
            rows.append(TableRow([.text(t("CLV ÷ CAC (CAC {cac})", ["cac": f.money(cac)])), TableCell.decimal(clv.clvToCACRatio, 2).classed("ratio"), .text(verdict)]))
        }
        out += tables.add(DataTable(id: "clv", title: t("Customer lifetime value (formula)"),
                                    columns: [.text(t("Figure")), .number(t("Value")), .text(t("Source"))], rows: rows, rowHeaders: true))
        return out
    }

    /// The cohort retention triangle as a table: one row per cohort, one `<td class="num cohort-cell">` per
    /// period after it, its background darker for a larger share.
    static func triangle(_ cohorts: Cohorts, _ r: ShopReports, tables: inout PageTables) -> String {
        let f = r.format, t = r.language.translator
        let width = cohorts.cohorts.map(\.cells.count).max() ?? 0
        let byMonth = cohorts.granularity == .month
        var out = "<h2 id=\"cohorts\">\(html(t("Cohort retention")))</h2>"
        let explanation = byMonth
            ? "Share of each month's new customers who ordered again months later (as of {date}); italic: the period is not over yet."
            : "Share of each quarter's new customers who ordered again quarters later (as of {date}); italic: the period is not over yet."
        out += "<p>\(html(t(explanation, ["date": f.date(cohorts.asOf)])))</p>"
        let columns: [TableColumn] = [.text(t("Cohort")), .number(t("Customers"))]
            + (0..<width).map { k in .number(t(byMonth ? "Month {k}" : "Quarter {k}", ["k": String(k)])) }
        let rows = cohorts.cohorts.map { cohort -> TableRow in
            let cells = cohort.cells.map { cell -> TableCell in
                let share = cell.retention ?? 0
                let background = cell.retention == nil ? "#ffffff" : BehaviourPage.colour(share)
                let text = share > 0.7 ? "#ffffff" : "#1a1a1a"
                var out = TableCell.percent(cell.retention).classed("cohort-cell")
                out.style = "background:\(background);color:\(text)\(cell.isComplete ? "" : ";font-style:italic")"
                out.title = t("{active} of {customers} customers", ["active": f.int(cell.activeCustomers), "customers": f.int(cohort.customers)])
                return out
            }
            return TableRow([.text(cohort.label), .int(cohort.customers)] + cells
                            + Array(repeating: TableCell.empty, count: width - cohort.cells.count))
        }
        out += tables.add(DataTable(id: "cohorts", title: t("Cohort retention"), columns: columns, rows: rows, cssClass: "triangle", rowHeaders: true))
        return out
    }

    /// The LTV curves: per cohort a `<polyline class="ltv">` of its cumulative revenue per customer through
    /// each period, with the same numbers in a table.
    static func ltvCurves(_ cohorts: Cohorts, _ r: ShopReports, tables: inout PageTables) -> String {
        let f = r.format, t = r.language.translator
        let rows = cohorts.cohorts.filter { $0.customers > 0 }
        let width = rows.map(\.cells.count).max() ?? 0
        var out = "<h2 id=\"ltv\">\(html(t("LTV curves")))</h2>"
        guard width > 0 else { return out + "<p>\(html(t("No cohort has customers yet.")))</p>" }
        let maxValue = max(1, rows.flatMap { $0.cells.compactMap { $0.cumulativeRevenuePerCustomer?.minorUnits } }.max() ?? 1)
        let left = 80, top = 12, plotW = max(1, width - 1) * 40, plotH = 200, bottom = 30
        let w = left + plotW + 20, h = top + plotH + bottom
        let palette = ["#0b5cad", "#1b6e20", "#a4161a", "#7a5a00", "#5b2a86", "#00695c"]
        func x(_ k: Int) -> Int { left + (width == 1 ? 0 : k * plotW / (width - 1)) }
        func y(_ v: Int64) -> Int { top + plotH - Int(Double(v) / Double(maxValue) * Double(plotH)) }
        var svg = "<figure><svg role=\"img\" aria-label=\"\(html(t("Cumulative revenue per cohort customer")))\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(html(t(cohorts.granularity == .month ? "Cumulative revenue per cohort customer by months since the first order" : "Cumulative revenue per cohort customer by quarters since the first order")))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#4a4a4a\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 10)\" text-anchor=\"end\">\(html(f.decimal(Double(maxValue) / pow10(cohorts.currency.minorDigits), digits: cohorts.currency.minorDigits)))</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + plotH)\" text-anchor=\"end\">0</text>"
        svg += "<text x=\"\(left)\" y=\"\(top + plotH + 18)\">0</text><text x=\"\(left + plotW)\" y=\"\(top + plotH + 18)\" text-anchor=\"end\">\(width - 1)</text>"
        for (i, cohort) in rows.enumerated() {
            let points = cohort.cells.compactMap { cell -> String? in
                cell.cumulativeRevenuePerCustomer.map { "\(x(cell.offset)),\(y($0.minorUnits))" }
            }.joined(separator: " ")
            let values = cohort.cells.map { cell -> String in f.money(cell.cumulativeRevenuePerCustomer) }.joined(separator: ", ")
            svg += "<polyline class=\"ltv\" points=\"\(points)\" fill=\"none\" stroke=\"\(palette[i % palette.count])\" stroke-width=\"2\"><title>\(html(cohort.label)): \(html(values))</title></polyline>"
        }
        svg += "</svg><figcaption class=\"legend\">"
        svg += rows.enumerated().map { (i, c) -> String in "<span style=\"--c:\(palette[i % palette.count])\">\(html(c.label))</span>" }.joined()
        out += svg + "</figcaption></figure>"
        out += tables.add(DataTable(id: "ltv", title: t("LTV curves"),
            columns: [.text(t("Cohort"))] + (0..<width).map { k in .number(String(k)) },
            rows: rows.map { cohort in
                TableRow([.text(cohort.label)] + cohort.cells.map { .money($0.cumulativeRevenuePerCustomer) }
                         + Array(repeating: TableCell.empty, count: width - cohort.cells.count))
            }, rowHeaders: true))
        return out
    }

    /// 10^`digits` as a Double.
    static func pow10(_ digits: Int) -> Double {
        var v = 1.0
        for _ in 0..<max(0, digits) { v *= 10 }
        return v
    }
}
