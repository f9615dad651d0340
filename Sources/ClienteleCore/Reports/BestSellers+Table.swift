extension BestSellers {
    /// The best sellers for a terminal (METRICS.md, "Best sellers and best customers"): by quantity, by
    /// revenue, the group's customers and what they buy; numbers and money in `locale`.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        let code = currency.code
        var out: [String] = []
        out.append("Best sellers — " + TextTable.printable(shopName))
        out.append("Period \(period.start) – \(period.lastDay) (\(period.dayCount) days) · as of \(asOf) · \(timeZone) · \(code)")
        out.append("\(f.integer(orders)) orders · \(f.integer(products)) products · \(f.integer(Int(quantity))) units · line revenue \(f.money(lineRevenue)) \(code)")
        out.append("")
        func productTable(_ title: String, _ list: [Product]) {
            out.append(title)
            if list.isEmpty { out.append("No products."); out.append(""); return }
            var t = TextTable([("#", .right), ("Product", .left), ("Name", .left), ("Units", .right), ("Returned", .right),
                               ("Revenue (\(code))", .right), ("Share", .right), ("Orders", .right), ("Customers", .right)])
            for p in list {
                t.add(String(p.rank), p.productId, p.name, f.integer(Int(p.quantity)), f.integer(Int(p.returnedQuantity)),
                      f.money(p.revenue), p.revenueShare.map { f.percent($0) } ?? "–", f.integer(p.orders), f.integer(p.customers))
            }
            out += t.lines(colour: false)
            out.append("")
        }
        productTable("Best sellers by units", byQuantity)
        productTable("Best sellers by revenue", byRevenue)
        out.append("Customers: " + TextTable.printable(group))
        if groupCustomers.isEmpty {
            out.append("No customers in the period.")
        } else {
            var t = TextTable([("#", .right), ("Customer", .left), ("E-mail", .left), ("Orders", .right), ("Revenue (\(code))", .right)])
            for c in groupCustomers { t.add(String(c.rank), c.customer, c.email ?? "–", f.integer(c.orders), f.money(c.revenue)) }
            out += t.lines(colour: false)
        }
        out.append("")
        productTable("What they buy (line revenue \(f.money(groupLineRevenue)) \(code))", groupProducts)
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    /// The best sellers by revenue as CSV (`--top 0` for every product); CRLF line ends.
    public func csv() -> String {
        var out = "rank,product_id,name,quantity,returned_quantity,revenue,revenue_share,orders,customers\r\n"
        for p in byRevenue {
            let fields = [String(p.rank), p.productId, p.name, String(p.quantity), String(p.returnedQuantity),
                          p.revenue.decimalString, p.revenueShare.map { String($0) } ?? "", String(p.orders), String(p.customers)]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
