import ClienteleCore

extension WeeklySummary {
    /// The weekly numbers sheet as a workbook: "Key figures" (this week, the previous week, the same week last
    /// year and the two changes: percentages, or percentage points as plain numbers for a rate), "Top
    /// customers" and "Top products"; numbers as numbers.
    public func workbook() -> Workbook {
        let digits = currency.minorDigits
        func cell(_ v: Value?) -> SheetCell {
            switch v {
            case .money(let m)?: return .money(m.minorUnits, digits: digits)
            case .count(let n)?: return .integer(Int64(n))
            case .fraction(let f)?: return .percent(f)
            case nil: return .empty
            }
        }
        let key = Sheet(name: "Key figures",
                        header: ["Figure", week.week.description, previousWeek.week.description, lastYear.week.description,
                                 "Change since previous week", "Change since last year"],
                        rows: rows.map { row in
                            [.text(row.figure)] + row.values.map(cell) + row.changes.map { c in
                                c.map { row.isRate ? SheetCell.number(($0 * 1000).rounded() / 10) : SheetCell.percent($0) } ?? .empty
                            }
                        })
        let customers = Sheet(name: "Top customers", header: ["Rank", "Customer", "E-mail", "Orders", "Revenue (\(currency.code))"],
                              rows: topCustomers.map { t in
                                  [.integer(Int64(t.rank)), .text(t.customer), t.email.map(SheetCell.text) ?? .empty,
                                   .integer(Int64(t.orders)), .money(t.revenue.minorUnits, digits: digits)]
                              })
        let products = Sheet(name: "Top products", header: ["Rank", "Product id", "Name", "Quantity", "Orders", "Revenue (\(currency.code))"],
                             rows: topProducts.map { p in
                                 [.integer(Int64(p.rank)), .text(p.productId), .text(p.name), .integer(p.quantity),
                                  .integer(Int64(p.orders)), .money(p.revenue.minorUnits, digits: digits)]
                             })
        return Workbook(sheets: [key, customers, products])
    }

    /// The weekly numbers sheet as an e-mail-ready HTML page: one table per section, inline styles only (mail
    /// programs drop style sheets), no images or scripts; shop data escaped.
    public func emailHTML(shopName: String) -> String {
        let cellStyle = "padding:4px 10px;border-bottom:1px solid #ddd;text-align:right;font-variant-numeric:tabular-nums"
        let headStyle = "padding:4px 10px;border-bottom:2px solid #333;text-align:right"
        func text(_ v: Value?) -> String {
            switch v {
            case .money(let m)?: return Self.grouped(m.decimalString) + " " + m.currency.code
            case .count(let n)?: return Self.grouped(String(n))
            case .fraction(let f)?: return Self.percent(f)
            case nil: return "–"
            }
        }
        func change(_ c: Double?, _ rate: Bool) -> String {
            guard let c else { return "–" }
            let colour = c > 0 ? "#1a7f37" : c < 0 ? "#b42318" : "#333"
            let shown = rate ? String(Self.percent(c).dropLast(2)) + " pp" : Self.percent(c)
            return "<span style=\"color:\(colour)\">\(c > 0 ? "+" : "")\(shown)</span>"
        }
        func table(_ header: [String], _ rows: [[String]]) -> String {
            var out = "<table style=\"border-collapse:collapse;margin:8px 0 24px;font-size:14px\"><thead><tr>"
            for (i, h) in header.enumerated() {
                out += "<th scope=\"col\" style=\"\(headStyle)\(i == 0 ? ";text-align:left" : "")\">\(Self.escape(h))</th>"
            }
            out += "</tr></thead><tbody>"
            for row in rows {
                out += "<tr>"
                for (i, cell) in row.enumerated() {
                    out += i == 0 ? "<th scope=\"row\" style=\"\(cellStyle);text-align:left;font-weight:normal\">\(cell)</th>"
                        : "<td style=\"\(cellStyle)\">\(cell)</td>"
                }
                out += "</tr>"
            }
            return out + "</tbody></table>"
        }
        let keyRows = rows.map { row in
            [Self.escape(row.figure)] + row.values.map(text) + row.changes.map { change($0, row.isRate) }
        }
        let customerRows = topCustomers.map { t in
            [String(t.rank), Self.escape(t.email ?? t.customer), Self.grouped(String(t.orders)),
             Self.grouped(t.revenue.decimalString) + " " + currency.code]
        }
        let productRows = topProducts.map { p in
            [String(p.rank), Self.escape(p.name), Self.grouped(String(p.quantity)), Self.grouped(p.revenue.decimalString) + " " + currency.code]
        }
        let title = "\(shopName): week \(week.week.description)"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title></head>
        <body style="font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#222;max-width:760px;margin:0 auto;padding:16px">
        <h1 style="font-size:20px">\(Self.escape(shopName)) · week \(week.week.description)</h1>
        <p style="color:#555">\(week.week.monday) – \(week.week.sunday) (\(Self.escape(timeZone))), compared with the week before \
        (\(previousWeek.week.monday) – \(previousWeek.week.sunday)) and the same week last year (\(lastYear.week.monday) – \(lastYear.week.sunday)).</p>
        <h2 style="font-size:16px">Key figures</h2>
        \(table(["Figure", week.week.description, previousWeek.week.description, lastYear.week.description, "vs previous week", "vs last year"], keyRows))
        <h2 style="font-size:16px">Top \(Self.topCustomerCount) customers (last 12 months)</h2>
        \(customerRows.isEmpty ? "<p>No customers in the last 12 months.</p>" : table(["#", "Customer", "Orders", "Revenue"], customerRows))
        <h2 style="font-size:16px">Top \(Self.topProductCount) products this week</h2>
        \(productRows.isEmpty ? "<p>No products sold this week.</p>" : table(["#", "Product", "Quantity", "Revenue"], productRows))
        <p style="color:#777;font-size:12px">Figures as defined in Clientele's docs/metrics.md; revenue includes anonymous orders, cancelled orders are left out.</p>
        </body></html>
        """
    }

    /// A plain decimal with thousands grouped by commas: `1234567.50` → `1,234,567.50`.
    static func grouped(_ decimal: String) -> String {
        let negative = decimal.hasPrefix("-")
        let body = negative ? String(decimal.dropFirst()) : decimal
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = Array(parts[0])
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        if parts.count > 1 { out += "." + parts[1] }
        return (negative ? "−" : "") + out
    }

    /// A fraction as a percentage with one decimal: 0.125 → `12.5 %`.
    static func percent(_ f: Double) -> String {
        guard f.isFinite else { return "–" }
        let tenths = Int64((abs(f) * 1000).rounded())
        return (f < 0 && tenths != 0 ? "−" : "") + grouped(String(tenths / 10)) + "." + String(tenths % 10) + " %"
    }

    /// Text escaped for HTML.
    static func escape(_ text: String) -> String { Markup.escaped(text) }
}
