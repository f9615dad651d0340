extension AudienceOverview {
    /// The page as JSON text.
    public func json(name: String? = nil, filter: String? = nil) -> String { jsonValue(name: name, filter: filter).rendered() }

    /// The page as an ordered JSON value: overview (each figure, all customers' figure and the share),
    /// per-customer insights beside all customers', and the product list.
    public func jsonValue(name: String? = nil, filter: String? = nil) -> JSONValue {
        let a = audience, b = all
        func shared(_ key: String, _ x: JSONValue, _ y: JSONValue, _ share: Double?) -> (String, JSONValue) {
            (key, .object([("audience", x), ("allCustomers", y), ("share", .double(share))]))
        }
        func pair(_ key: String, _ x: JSONValue, _ y: JSONValue) -> (String, JSONValue) {
            (key, .object([("audience", x), ("allCustomers", y)]))
        }
        let priceRatio: Double? = {
            guard let x = a.averageItemPrice, let y = b.averageItemPrice, y.minorUnits != 0 else { return nil }
            return Double(x.minorUnits) / Double(y.minorUnits)
        }()
        return .object([
            ("name", .string(name)),
            ("filter", .string(filter)),
            ("asOf", .string(asOf.description)),
            ("currency", .string(currency.code)),
            ("overview", .object([
                shared("revenue", .money(a.revenue), .money(b.revenue), Self.share(a.revenue.minorUnits, b.revenue.minorUnits)),
                shared("customers", .int(a.customers), .int(b.customers), Self.share(Int64(a.customers), Int64(b.customers))),
                shared("orders", .int(a.orders), .int(b.orders), Self.share(Int64(a.orders), Int64(b.orders))),
                shared("items", .int(Int(a.items)), .int(Int(b.items)), Self.share(a.items, b.items)),
                shared("averageItemPrice", .money(a.averageItemPrice), .money(b.averageItemPrice), priceRatio),
            ])),
            ("perCustomer", .object([
                pair("lifetimeValue", .money(a.lifetimeValue), .money(b.lifetimeValue)),
                pair("orderValue", .money(a.orderValue), .money(b.orderValue)),
                pair("basketSize", .double(a.basketSize), .double(b.basketSize)),
                pair("revenuePerYear", .money(a.revenuePerYear), .money(b.revenuePerYear)),
                pair("lifetimeDays", .double(a.lifetimeDays), .double(b.lifetimeDays)),
                pair("daysBetweenOrders", .double(a.daysBetweenOrders), .double(b.daysBetweenOrders)),
                pair("ordersPerYear", .double(a.ordersPerYear), .double(b.ordersPerYear)),
            ])),
            ("productSort", .string(productSort.rawValue)),
            ("productCount", .int(productCount)),
            ("products", .array(products.map { p in
                .object([("productId", .string(p.productId)), ("name", .string(p.name)), ("timesBought", .int(p.timesBought)),
                         ("quantity", .int(Int(p.quantity))), ("revenue", .money(p.revenue)), ("customers", .int(p.customers))])
            })),
        ])
    }

    /// The page for a terminal: overview with shares of all customers, per-customer insights, products.
    public func table(title: String, filter: String?, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        let code = currency.code
        let dash = "–"
        func money(_ m: Money?) -> String { m.map { f.money($0) } ?? dash }
        func pct(_ d: Double?) -> String { d.map { f.percent($0) } ?? dash }
        func dec(_ d: Double?, _ digits: Int = 1) -> String { d.map { f.decimal($0, digits: digits) } ?? dash }
        let a = audience, b = all
        var out = ["Audience — " + TextTable.printable(title)]
        if let filter { out.append("Filter: " + TextTable.printable(filter)) }
        out.append("As of \(asOf) · \(code)")
        out.append("")
        out.append("Overview")
        var o = TextTable([("", .left), ("Audience", .right), ("All customers", .right), ("Share", .right)])
        o.add("Total revenue (\(code))", f.money(a.revenue), f.money(b.revenue), pct(Self.share(a.revenue.minorUnits, b.revenue.minorUnits)))
        o.add("Customers", f.integer(a.customers), f.integer(b.customers), pct(Self.share(Int64(a.customers), Int64(b.customers))))
        o.add("Orders", f.integer(a.orders), f.integer(b.orders), pct(Self.share(Int64(a.orders), Int64(b.orders))))
        o.add("Items", f.integer(Int(a.items)), f.integer(Int(b.items)), pct(Self.share(a.items, b.items)))
        let ratio: Double? = {
            guard let x = a.averageItemPrice, let y = b.averageItemPrice, y.minorUnits != 0 else { return nil }
            return Double(x.minorUnits) / Double(y.minorUnits)
        }()
        o.add("Average item price (\(code))", money(a.averageItemPrice), money(b.averageItemPrice), pct(ratio))
        out += o.lines(colour: false)
        out.append("")
        out.append("Per customer")
        var p = TextTable([("", .left), ("Audience", .right), ("All customers", .right)])
        p.add("Lifetime value (\(code))", money(a.lifetimeValue), money(b.lifetimeValue))
        p.add("Order value (\(code))", money(a.orderValue), money(b.orderValue))
        p.add("Basket size (items)", dec(a.basketSize, 2), dec(b.basketSize, 2))
        p.add("Revenue per year (\(code))", money(a.revenuePerYear), money(b.revenuePerYear))
        p.add("Lifetime (days, first to last order)", dec(a.lifetimeDays), dec(b.lifetimeDays))
        p.add("Days between orders", dec(a.daysBetweenOrders), dec(b.daysBetweenOrders))
        p.add("Orders per year", dec(a.ordersPerYear, 2), dec(b.ordersPerYear, 2))
        out += p.lines(colour: false)
        out.append("")
        out.append("Most bought products (by \(productSort.rawValue == "times" ? "times bought" : productSort.rawValue); \(f.integer(productCount)) products)")
        if products.isEmpty {
            out.append("No products.")
        } else {
            var t = TextTable([("#", .right), ("Product", .left), ("Name", .left), ("Times bought", .right), ("Quantity", .right),
                               ("Revenue (\(code))", .right), ("Customers", .right)])
            for (i, pr) in products.enumerated() {
                t.add(String(i + 1), pr.productId, pr.name, f.integer(pr.timesBought), f.integer(Int(pr.quantity)),
                      f.money(pr.revenue), f.integer(pr.customers))
            }
            out += t.lines(colour: false)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The audience's customers as CSV for an e-mail tool (RFC 4180, CRLF): customer, e-mail, orders,
    /// revenue, average order value, first and last order (shop dates), stage, group, country; in customer
    /// key order.
    public static func exportCSV(context ctx: AudienceContext, mask: [Bool]) -> String {
        var out = "customer,email,orders,revenue,average_order_value,first_order,last_order,stage,group,country\r\n"
        let digits = ctx.currency.minorDigits
        for c in 0..<ctx.snapshot.customerCount where c < mask.count && mask[c] && ctx.isCustomer(c) {
            let fields = [ctx.snapshot.customerKey(c), ctx.email(ofCustomer: c) ?? "", String(ctx.profiles.orders[c]),
                          Money.decimalString(ctx.profiles.revenue[c], digits: digits),
                          Money.decimalString(ctx.averageOrderValue(c) ?? 0, digits: digits),
                          ShopDate(dayNumber: ctx.firstOrderDay(c)).description, ShopDate(dayNumber: ctx.lastOrderDay(c)).description,
                          ctx.profiles.stage[c].rawValue, ctx.profiles.group[c].rawValue, ctx.country(ofCustomer: c) ?? ""]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The audience's customers as JSON, the same fields as `exportCSV`.
    public static func exportJSON(context ctx: AudienceContext, mask: [Bool], name: String?) -> String {
        var list: [JSONValue] = []
        let cur = ctx.currency
        for c in 0..<ctx.snapshot.customerCount where c < mask.count && mask[c] && ctx.isCustomer(c) {
            list.append(.object([
                ("customer", .string(ctx.snapshot.customerKey(c))),
                ("email", .string(ctx.email(ofCustomer: c))),
                ("orders", .int(Int(ctx.profiles.orders[c]))),
                ("revenue", .money(Money(minorUnits: ctx.profiles.revenue[c], currency: cur))),
                ("averageOrderValue", .money(ctx.averageOrderValue(c).map { Money(minorUnits: $0, currency: cur) })),
                ("firstOrder", .string(ShopDate(dayNumber: ctx.firstOrderDay(c)).description)),
                ("lastOrder", .string(ShopDate(dayNumber: ctx.lastOrderDay(c)).description)),
                ("stage", .string(ctx.profiles.stage[c].rawValue)),
                ("group", .string(ctx.profiles.group[c].rawValue)),
                ("country", .string(ctx.country(ofCustomer: c))),
            ]))
        }
        return JSONValue.object([("name", .string(name)), ("asOf", .string(ctx.asOf.description)),
                                 ("customers", .array(list))]).rendered()
    }
}
