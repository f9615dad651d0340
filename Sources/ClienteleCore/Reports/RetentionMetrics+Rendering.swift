extension RetentionMetrics {
    /// The metrics as JSON text: rates as fractions, days as numbers, `null` for an average over nothing.
    public func json() -> String { jsonValue.rendered() }

    /// The metrics as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        let r = retention, rp = repeatPurchase, t = timeBetweenPurchases, pr = productReturns
        return .object([
            ("asOf", .string(asOf.description)),
            ("period", CustomerStatistics.json(period)),
            ("previousPeriod", CustomerStatistics.json(previousPeriod)),
            ("currency", .string(currency.code)),
            ("timeZone", .string(timeZone)),
            ("customerRetention", .object([
                ("S", .int(r.customersPrevious)),
                ("E", .int(r.customersCurrent)),
                ("N", .int(r.newCustomers)),
                ("retained", .int(r.retained)),
                ("churned", .int(r.churned)),
                ("rate", .double(r.rate)),
                ("churnRate", .double(r.churnRate)),
            ])),
            ("repeatPurchase", .object([
                ("customers", .int(rp.customers)),
                ("repeatCustomers", .int(rp.repeatCustomers)),
                ("ratio", .double(rp.ratio)),
            ])),
            ("timeBetweenPurchases", .object([
                ("customers", .int(t.customers)),
                ("meanDays", .double(t.meanDays)),
            ])),
            ("productReturns", .object([
                ("soldQuantity", .int(Int(pr.soldQuantity))),
                ("returnedQuantity", .int(Int(pr.returnedQuantity))),
                ("rate", .double(pr.rate)),
                ("minimumQuantity", .int(Int(pr.minimumQuantity))),
                ("productsBelowMinimum", .int(pr.productsBelowMinimum)),
                ("products", .array(pr.products.map { p in
                    .object([
                        ("productId", .string(p.productId)),
                        ("productName", .string(p.productName)),
                        ("soldQuantity", .int(Int(p.soldQuantity))),
                        ("returnedQuantity", .int(Int(p.returnedQuantity))),
                        ("rate", .double(p.rate)),
                    ])
                })),
            ])),
        ])
    }

    /// The per-product return rates as CSV (worst first; header row, RFC 4180 quoting, CRLF line ends).
    public func csv() -> String {
        var out = "product_id,product_name,sold_quantity,returned_quantity,return_rate\r\n"
        for p in productReturns.products {
            let fields = [p.productId, p.productName, String(p.soldQuantity), String(p.returnedQuantity),
                          p.rate.map { String($0) } ?? ""]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The metrics as an aligned terminal report; numbers in `locale`, "–" for an average over nothing.
    /// `top` limits the per-product list.
    public func table(shopName: String, locale: String, top: Int = 20) -> String {
        let f = LocaleNumbers(locale: locale)
        let dash = "–"
        func percent(_ d: Double?) -> String { d.map { f.percent($0) } ?? dash }
        func range(_ p: Period) -> String { "\(p.start) – \(p.lastDay)" }
        let r = retention
        var out: [String] = []
        out.append("Retention — " + TextTable.printable(shopName))
        out.append("Period P \(range(period)) (\(period.dayCount) days) · previous P' \(range(previousPeriod)) · as of \(asOf) · \(timeZone)")
        out.append("")
        var t = TextTable([("", .left), ("", .right)])
        t.add("S: customers with an order in P'", f.integer(r.customersPrevious))
        t.add("E: customers with an order in P", f.integer(r.customersCurrent))
        t.add("N: customers whose first order ever is in P", f.integer(r.newCustomers))
        t.add("Customer retention rate (E − N) ÷ S", percent(r.rate))
        t.add("Churned: in S, no order in P", f.integer(r.churned))
        t.add("Churn rate", percent(r.churnRate))
        t.add("Repeat purchase ratio (≥ 2 orders ÷ ≥ 1, as of the end of P)",
              percent(repeatPurchase.ratio) + " (" + f.integer(repeatPurchase.repeatCustomers) + " of " + f.integer(repeatPurchase.customers) + ")")
        t.add("Time between purchases (days, \(f.integer(timeBetweenPurchases.customers)) repeat customers)",
              timeBetweenPurchases.meanDays.map { f.decimal($0, digits: 1) } ?? dash)
        t.add("Product return rate (units returned ÷ sold in P)",
              percent(productReturns.rate) + " (" + f.integer(Int(productReturns.returnedQuantity)) + " of " + f.integer(Int(productReturns.soldQuantity)) + ")")
        out += t.lines(colour: false).dropFirst(2)
        out.append("")
        out.append("Return rate per product, worst first (at least \(f.integer(Int(productReturns.minimumQuantity))) units sold; \(f.integer(productReturns.productsBelowMinimum)) products below that not listed)")
        if productReturns.products.isEmpty {
            out.append("No product sold that many units in the period.")
        } else {
            var pt = TextTable([("Product", .left), ("Name", .left), ("Sold", .right), ("Returned", .right), ("Return rate", .right)])
            for p in productReturns.products.prefix(max(0, top)) {
                pt.add(p.productId, p.productName, f.integer(Int(p.soldQuantity)), f.integer(Int(p.returnedQuantity)), percent(p.rate))
            }
            out += pt.lines(colour: false)
            if productReturns.products.count > top {
                out.append("… \(f.integer(productReturns.products.count - top)) more (--format csv lists them all)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
