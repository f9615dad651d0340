extension ShoppingTimes {
    /// The report as JSON text (METRICS.md, "When customers shop"): the 7 × 24 grid as arrays (Monday
    /// first, hours 0–23), then the totals by weekday, hour, month of year and year; money as decimal strings.
    public func json() -> String { jsonValue.rendered() }

    /// The report as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        func slot(_ s: Slot, _ key: String, _ label: JSONValue) -> JSONValue {
            .object([(key, label), ("orders", .int(s.orders)), ("revenue", .money(s.revenue))])
        }
        var gridOrders: [JSONValue] = []
        var gridRevenue: [JSONValue] = []
        for w in 1...7 {
            let row = grid[(w - 1) * 24 ..< w * 24]
            gridOrders.append(.array(row.map { JSONValue.int($0.orders) }))
            gridRevenue.append(.array(row.map { JSONValue.money($0.revenue) }))
        }
        let period: JSONValue = .object([("from", .string(self.period.start.description)),
                                         ("to", .string(self.period.lastDay.description))])
        let byWeekday: [JSONValue] = weekdays.map { slot($0, "weekday", .string(Self.weekdayNames[$0.weekday - 1])) }
        let byHour: [JSONValue] = hours.map { slot($0, "hour", .int($0.hour)) }
        let byMonth: [JSONValue] = monthsOfYear.map { slot($0, "month", .int($0.month)) }
        let byYear: [JSONValue] = years.map { slot($0, "year", .int($0.year)) }
        var members: [(String, JSONValue)] = []
        members.append(("asOf", .string(asOf.description)))
        members.append(("period", period))
        members.append(("currency", .string(currency.code)))
        members.append(("timeZone", .string(timeZone)))
        members.append(("audience", .string(audience)))
        members.append(("orders", .int(orders)))
        members.append(("revenue", .money(revenue)))
        members.append(("weekdays", .array(Self.weekdayNames.map { JSONValue.string($0) })))
        members.append(("hourWeekday", .object([("orders", .array(gridOrders)), ("revenue", .array(gridRevenue))])))
        members.append(("byWeekday", .array(byWeekday)))
        members.append(("byHour", .array(byHour)))
        members.append(("byMonthOfYear", .array(byMonth)))
        members.append(("byYear", .array(byYear)))
        return .object(members)
    }
}
