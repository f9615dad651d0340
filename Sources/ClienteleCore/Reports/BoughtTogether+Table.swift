extension BoughtTogether {
    /// The pairs for a terminal (METRICS.md, "Bought together"): support as a percentage of orders,
    /// confidence both ways, lift with two decimals; numbers in `locale`.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        var out: [String] = []
        out.append("Bought together — " + TextTable.printable(shopName))
        out.append("Period \(period.start) – \(period.lastDay) (\(period.dayCount) days) · as of \(asOf) · \(timeZone)")
        out.append("\(f.integer(orders)) orders · \(f.integer(products)) products · \(f.integer(frequentProducts)) in ≥ \(minSupportCount) orders · \(f.integer(pairCount)) pairs in ≥ \(minSupportCount) orders")
        if let focus {
            out.append("Bought with \(TextTable.printable(focus.productId)) \(TextTable.printable(focus.name)) (in \(f.integer(focus.orders)) orders)")
        }
        out.append("")
        if pairs.isEmpty {
            out.append(focus == nil ? "No pair of products was bought together in \(minSupportCount) or more orders."
                                    : "Nothing was bought with it in \(minSupportCount) or more orders.")
            return out.joined(separator: "\n") + "\n"
        }
        var t = TextTable([("#", .right), ("Product A", .left), ("Product B", .left), ("Orders with both", .right),
                           ("Support", .right), ("A → B", .right), ("B → A", .right), ("Lift", .right)])
        func label(_ id: String, _ name: String) -> String { name.isEmpty ? id : id + " " + name }
        for p in pairs {
            t.add(String(p.rank), label(p.productA, p.nameA), label(p.productB, p.nameB), f.integer(p.supportCount),
                  f.percent(p.support, digits: 2), f.percent(p.confidenceAB), f.percent(p.confidenceBA),
                  f.decimal(p.lift, digits: 2))
        }
        out += t.lines(colour: false)
        out.append("")
        out.append("Support = orders with both ÷ orders; A → B = orders with both ÷ orders with A; lift = (A → B) ÷ (orders with B ÷ orders).")
        return out.joined(separator: "\n") + "\n"
    }

    /// The pairs as CSV (ratios as plain fractions); CRLF line ends.
    public func csv() -> String {
        var out = "rank,product_a,name_a,product_b,name_b,support_count,support,orders_with_a,orders_with_b,confidence_a_b,confidence_b_a,lift\r\n"
        for p in pairs {
            let fields = [String(p.rank), p.productA, p.nameA, p.productB, p.nameB, String(p.supportCount),
                          String(p.support), String(p.ordersWithA), String(p.ordersWithB), String(p.confidenceAB),
                          String(p.confidenceBA), String(p.lift)]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
