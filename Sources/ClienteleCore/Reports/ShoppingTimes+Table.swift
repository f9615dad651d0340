extension ShoppingTimes {
    /// The shade characters of the heat map, from no orders to the busiest hour.
    static let shades: [Character] = ["·", "░", "▒", "▓", "█"]

    /// The report for a terminal (METRICS.md, "When customers shop"): a heat map of orders by weekday ×
    /// hour in shade characters (each cell's orders ÷ the busiest cell's, in quarters), the same grid in
    /// numbers, and tables by weekday, month of year and year. Numbers and money in `locale`.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        let code = currency.code
        var out: [String] = []
        out.append("When customers shop — " + TextTable.printable(shopName))
        out.append("Period \(period.start) – \(period.lastDay) (\(period.dayCount) days) · as of \(asOf) · \(timeZone) · \(code)")
        out.append("Orders: " + (audience.map { TextTable.printable($0) } ?? "all orders (anonymous included)")
                   + " · \(f.integer(orders)) orders · revenue \(f.money(revenue)) \(code)")
        out.append("")
        let maxOrders = grid.map(\.orders).max() ?? 0
        out.append("Orders by weekday and hour (shop time); █ = the busiest hour (\(f.integer(maxOrders)) orders), ░ ▒ ▓ quarters of it, · none")
        let hourHeader = (0..<24).map { ($0 < 10 ? " 0" : " ") + String($0) }.joined()
        out.append("    " + hourHeader)
        for w in 1...7 {
            var line = Self.weekdayNames[w - 1] + " "
            for h in 0..<24 {
                let n = slot(weekday: w, hour: h).orders
                let level = n == 0 || maxOrders == 0 ? 0 : max(1, min(4, (4 * n + maxOrders - 1) / maxOrders))
                line += " " + String(repeating: Self.shades[level], count: 2)
            }
            out.append(line)
        }
        out.append("")
        out.append("Orders by weekday and hour, in numbers")
        var numbers = TextTable([("", .left)] + (0..<24).map { (String($0), TextTable.Alignment.right) })
        for w in 1...7 {
            numbers.add([TextTable.Cell(Self.weekdayNames[w - 1])] + (0..<24).map { TextTable.Cell(String(slot(weekday: w, hour: $0).orders)) })
        }
        out += numbers.lines(colour: false)
        out.append("")

        func share(_ n: Int) -> String { orders == 0 ? "–" : f.percent(Double(n) / Double(orders)) }
        func average(_ s: Slot) -> String {
            Money.roundedQuotient(s.revenue.minorUnits, Int64(s.orders)).map { f.money(Money(minorUnits: $0, currency: currency)) } ?? "–"
        }
        let columns: [(String, TextTable.Alignment)] = [("Orders", .right), ("Share", .right),
                                                        ("Revenue (\(code))", .right), ("Average order", .right)]
        var byWeekday = TextTable([("Weekday", .left)] + columns)
        for s in weekdays {
            byWeekday.add(Self.weekdayNames[s.weekday - 1], f.integer(s.orders), share(s.orders), f.money(s.revenue), average(s))
        }
        out += byWeekday.lines(colour: false)
        out.append("")
        var byHour = TextTable([("Hour", .left)] + columns)
        for s in hours {
            byHour.add(ShopDate.pad(s.hour, 2) + ":00", f.integer(s.orders), share(s.orders), f.money(s.revenue), average(s))
        }
        out += byHour.lines(colour: false)
        out.append("")
        var byMonth = TextTable([("Month", .left)] + columns)
        for s in monthsOfYear {
            byMonth.add(Self.monthNames[s.month - 1], f.integer(s.orders), share(s.orders), f.money(s.revenue), average(s))
        }
        out += byMonth.lines(colour: false)
        out.append("")
        var byYear = TextTable([("Year", .left)] + columns)
        for s in years {
            byYear.add(String(s.year), f.integer(s.orders), share(s.orders), f.money(s.revenue), average(s))
        }
        out += byYear.lines(colour: false)
        return out.joined(separator: "\n") + "\n"
    }

    /// The 7 × 24 grid as CSV (weekday, hour, orders, revenue), Monday 00 first; CRLF line ends.
    public func csv() -> String {
        var out = "weekday,hour,orders,revenue\r\n"
        for s in grid {
            out += "\(Self.weekdayNames[s.weekday - 1]),\(s.hour),\(s.orders),\(s.revenue.decimalString)\r\n"
        }
        return out
    }
}
