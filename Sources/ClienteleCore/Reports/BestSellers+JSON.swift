extension BestSellers {
    /// The report as JSON text (METRICS.md, "Best sellers and best customers"): totals, the lists by
    /// quantity and by revenue, and the group of customers with what they buy; money as decimal strings.
    public func json() -> String { jsonValue.rendered() }

    /// The report as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        func products(_ list: [Product]) -> JSONValue {
            .array(list.map { p in
                .object([
                    ("rank", .int(p.rank)),
                    ("productId", .string(p.productId)),
                    ("name", .string(p.name)),
                    ("quantity", .int(Int(p.quantity))),
                    ("returnedQuantity", .int(Int(p.returnedQuantity))),
                    ("revenue", .money(p.revenue)),
                    ("revenueShare", .double(p.revenueShare)),
                    ("orders", .int(p.orders)),
                    ("customers", .int(p.customers)),
                ])
            })
        }
        return .object([
            ("asOf", .string(asOf.description)),
            ("period", .object([("from", .string(period.start.description)), ("to", .string(period.lastDay.description))])),
            ("currency", .string(currency.code)),
            ("timeZone", .string(timeZone)),
            ("orders", .int(orders)),
            ("products", .int(self.products)),
            ("quantity", .int(Int(quantity))),
            ("lineRevenue", .money(lineRevenue)),
            ("byQuantity", products(byQuantity)),
            ("byRevenue", products(byRevenue)),
            ("group", .object([
                ("description", .string(group)),
                ("customers", .array(groupCustomers.map { c in
                    .object([
                        ("rank", .int(c.rank)),
                        ("customer", .string(c.customer)),
                        ("email", .string(c.email)),
                        ("orders", .int(c.orders)),
                        ("revenue", .money(c.revenue)),
                    ])
                })),
                ("lineRevenue", .money(groupLineRevenue)),
                ("products", products(groupProducts)),
            ])),
        ])
    }
}
