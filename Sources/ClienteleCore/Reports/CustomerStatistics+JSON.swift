extension CustomerStatistics {
    /// The page as JSON text (METRICS.md, "Customer statistics page"): money as decimal strings, rates as
    /// fractions, days as numbers, every key present with `null` for an average over nothing.
    public func json() -> String { jsonValue.rendered() }

    /// The page as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("asOf", .string(asOf.description)),
            ("period", Self.json(period)),
            ("currency", .string(currency.code)),
            ("timeZone", .string(timeZone)),
        ]
        members += Self.cards(summary)
        members.append(("segments", .array(segments.map { s in
            .object([
                ("segment", .string(s.segment.rawValue)),
                ("customers", .int(s.customers)),
                ("share", .double(s.share)),
                ("revenue", .money(s.revenue)),
                ("revenueShare", .double(s.revenueShare)),
            ])
        })))
        members.append(("months", .array(months.map { m in
            .object([
                ("month", .string(m.label)),
                ("customers", .int(m.customers)),
                ("new", .int(m.new)),
                ("returning", .int(m.returning)),
                ("returningShare", .double(m.returningShare)),
                ("colour", .string(m.colour?.rawValue)),
            ])
        })))
        members.append(("topCustomers", .array(topCustomers.map { t in
            .object([
                ("rank", .int(t.rank)),
                ("customer", .string(t.customer)),
                ("email", .string(t.email)),
                ("orders", .int(t.orders)),
                ("revenue", .money(t.revenue)),
                ("averageOrderValue", .money(t.averageOrderValue)),
                ("firstOrder", .string(t.firstOrderText)),
                ("lastOrder", .string(t.lastOrderText)),
            ])
        })))
        if let c = comparison {
            var cm: [(String, JSONValue)] = [("period", Self.json(c.summary.period))]
            cm += Self.cards(c.summary)
            cm.append(("change", .object([
                ("orders", Self.json(c.orders) { .int($0) }),
                ("anonymousOrders", Self.json(c.anonymousOrders) { .int($0) }),
                ("revenue", Self.json(c.revenue) { .money($0) }),
                ("netRevenue", Self.json(c.netRevenue) { .money($0) }),
                ("uniqueCustomers", Self.json(c.uniqueCustomers) { .int($0) }),
                ("repeatRate", Self.json(c.repeatRate) { .double($0) }),
                ("averageCLV", Self.json(c.averageCLV) { .money($0) }),
                ("averageDaysBetweenFirstAndSecondOrder", Self.json(c.averageDaysBetweenFirstAndSecondOrder) { .double($0) }),
            ])))
            members.append(("comparison", .object(cm)))
        } else {
            members.append(("comparison", .null))
        }
        return .object(members)
    }

    static func json(_ p: Period) -> JSONValue {
        .object([("from", .string(p.start.description)), ("to", .string(p.lastDay.description))])
    }

    static func cards(_ s: Summary) -> [(String, JSONValue)] {
        [
            ("totals", .object([
                ("orders", .int(s.totals.orders)),
                ("anonymousOrders", .int(s.totals.anonymousOrders)),
                ("revenue", .money(s.totals.revenue)),
                ("netRevenue", .money(s.totals.netRevenue)),
                ("cancelledOrders", .int(s.totals.cancelledOrders)),
            ])),
            ("uniqueCustomers", .int(s.uniqueCustomers)),
            ("repeatRate", .double(s.repeatRate)),
            ("repeatRateColour", .string(s.repeatRateColour?.rawValue)),
            ("averageCLV", .money(s.averageCLV)),
            ("averageDaysBetweenFirstAndSecondOrder", .double(s.averageDaysBetweenFirstAndSecondOrder)),
        ]
    }

    static func json<V>(_ c: Change<V>, _ value: (V) -> JSONValue) -> JSONValue {
        .object([("absolute", c.absolute.map(value) ?? .null), ("relative", .double(c.relative))])
    }
}
