extension BoughtTogether {
    /// The report as JSON text (METRICS.md, "Bought together"): counts, the threshold, and the pairs with
    /// support, confidence both ways and lift as numbers.
    public func json() -> String { jsonValue.rendered() }

    /// The report as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        .object([
            ("asOf", .string(asOf.description)),
            ("period", .object([("from", .string(period.start.description)), ("to", .string(period.lastDay.description))])),
            ("timeZone", .string(timeZone)),
            ("orders", .int(orders)),
            ("products", .int(products)),
            ("minSupportCount", .int(minSupportCount)),
            ("frequentProducts", .int(frequentProducts)),
            ("pairCount", .int(pairCount)),
            ("product", focus.map { f in
                .object([("productId", .string(f.productId)), ("name", .string(f.name)), ("orders", .int(f.orders))])
            } ?? .null),
            ("pairs", .array(pairs.map { p in
                .object([
                    ("rank", .int(p.rank)),
                    ("productA", .string(p.productA)),
                    ("nameA", .string(p.nameA)),
                    ("productB", .string(p.productB)),
                    ("nameB", .string(p.nameB)),
                    ("supportCount", .int(p.supportCount)),
                    ("support", .double(p.support)),
                    ("ordersWithA", .int(p.ordersWithA)),
                    ("ordersWithB", .int(p.ordersWithB)),
                    ("confidenceAB", .double(p.confidenceAB)),
                    ("confidenceBA", .double(p.confidenceBA)),
                    ("lift", .double(p.lift)),
                ])
            })),
        ])
    }
}
