/// The weekly numbers sheet (docs/summary.md): the key figures of one shop week (Monday to Sunday in the
/// shop's time zone) beside the previous week and the same week a year earlier, with the lists an owner
/// checks every week (top customers, best sellers). Every figure is one the reports define in METRICS.md,
/// computed over the week's period by the same core functions.
public struct WeeklySummary: Sendable, Equatable {
    /// An ISO 8601 week: Monday to Sunday, week 1 the week holding 4 January.
    public struct Week: Sendable, Equatable, CustomStringConvertible {
        /// The ISO week-numbering year.
        public var year: Int
        /// The week number, 1…53.
        public var number: Int
        /// Its Monday.
        public var monday: ShopDate
        /// Its Sunday.
        public var sunday: ShopDate { monday.adding(days: 6) }
        /// The period Monday through Sunday.
        public var period: Period { Period(from: monday, through: sunday) }
        /// `2026-W47`.
        public var description: String { ShopDate.pad(year, 4) + "-W" + ShopDate.pad(number, 2) }

        /// The ISO week holding `date`.
        public init(containing date: ShopDate) {
            let monday = date.adding(days: -Self.weekdayIndex(date))
            let thursday = monday.adding(days: 3)
            let year = thursday.year
            let firstMonday = Self.mondayOfWeekOne(year)
            self.year = year
            self.number = (monday.dayNumber - firstMonday.dayNumber) / 7 + 1
            self.monday = monday
        }

        /// Week `number` of ISO year `year`; nil when the year has no such week.
        public init?(year: Int, number: Int) {
            guard (1...9998).contains(year), number >= 1 else { return nil }
            let monday = Self.mondayOfWeekOne(year).adding(days: 7 * (number - 1))
            guard monday.adding(days: 3).year == year else { return nil }
            self.year = year
            self.number = number
            self.monday = monday
        }

        /// Parses `2026-W47` (also `2026W47`, `2026-w47`).
        public init?(iso text: String) {
            let parts = text.uppercased().split(separator: "W", omittingEmptySubsequences: false)
                .map { $0.hasSuffix("-") ? $0.dropLast() : $0 }
            guard parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count),
                  let y = Int(parts[0]), let w = Int(parts[1]) else { return nil }
            self.init(year: y, number: w)
        }

        /// The week `weeks` weeks later (earlier when negative).
        public func adding(weeks: Int) -> Week { Week(containing: monday.adding(days: 7 * weeks)) }

        /// Monday = 0 … Sunday = 6 (day 0, 1970-01-01, was a Thursday).
        static func weekdayIndex(_ d: ShopDate) -> Int { ((d.dayNumber + 3) % 7 + 7) % 7 }

        /// The Monday of ISO week 1 of `year`: the Monday on or before 4 January.
        static func mondayOfWeekOne(_ year: Int) -> ShopDate {
            let jan4 = ShopDate(year: year, month: 1, day: 4)!
            return jan4.adding(days: -weekdayIndex(jan4))
        }

        /// The last full week before `today`: the week whose Sunday is the most recent one before today.
        public static func lastComplete(before today: ShopDate) -> Week {
            Week(containing: today.adding(days: -weekdayIndex(today) - 1))
        }
    }

    /// The key figures of one week.
    public struct Figures: Sendable, Equatable {
        /// The week.
        public var week: Week
        /// Revenue of the week's orders (METRICS.md, "Revenue"), anonymous orders included.
        public var revenue: Money
        /// Orders placed in the week (cancelled ones left out).
        public var orders: Int
        /// Revenue ÷ orders, rounded to the minor unit; nil without orders.
        public var averageOrderValue: Money?
        /// Identified customers with an order in the week.
        public var customers: Int
        /// Of those, customers whose first order ever is in the week.
        public var newCustomers: Int
        /// Of those, customers who had ordered before the week.
        public var returningCustomers: Int
        /// The repeat rate of the week's customers (METRICS.md, "Repeat rate").
        public var repeatRate: Double?
        /// Customers in lifecycle stage Active at the week's end (METRICS.md, "Lifecycle and groups").
        public var activeCustomers: Int
    }

    /// The week summarised.
    public var week: Figures
    /// The week before.
    public var previousWeek: Figures
    /// The week 52 weeks earlier (same weekdays, so a Monday is compared with a Monday).
    public var lastYear: Figures
    /// The top customers by revenue over the 12 months (364 days) ending with the week.
    public var topCustomers: [CustomerStatistics.TopCustomer]
    /// The week's best sellers by revenue.
    public var topProducts: [BestSellers.Product]
    /// The reporting currency.
    public var currency: Currency
    /// The shop's time zone.
    public var timeZone: String

    /// How many top customers and products the sheet lists.
    public static let topCustomerCount = 10, topProductCount = 5

    /// The summary of `week` (METRICS.md definitions per figure; docs/summary.md for the sheet's choices).
    public static func compute(snapshot: ShopSnapshot, week: Week, thresholds: ShopSettings.Thresholds,
                               currency: Currency, timeZone: String) -> WeeklySummary {
        func figures(_ w: Week) -> Figures {
            let stats = CustomerStatistics.compute(snapshot: snapshot, period: w.period, asOf: w.sunday, top: 0, comparison: nil,
                                                   thresholds: thresholds, currency: currency, timeZone: timeZone)
            let (customers, new) = newAndReturning(snapshot: snapshot, week: w)
            let lifecycle = LifecycleReport.compute(snapshot: snapshot, asOf: w.sunday, thresholds: thresholds, timeZone: timeZone)
            let revenue = stats.totals.revenue
            return Figures(week: w, revenue: revenue, orders: stats.totals.orders,
                           averageOrderValue: Money.roundedQuotient(revenue.minorUnits, Int64(stats.totals.orders))
                               .map { Money(minorUnits: $0, currency: currency) },
                           customers: customers, newCustomers: new, returningCustomers: customers - new,
                           repeatRate: stats.repeatRate, activeCustomers: lifecycle.counts.active)
        }
        let year = Period(start: week.sunday.adding(days: -363), end: week.sunday.adding(days: 1))
        let top = CustomerStatistics.compute(snapshot: snapshot, period: year, asOf: week.sunday, top: topCustomerCount, comparison: nil,
                                             thresholds: thresholds, currency: currency, timeZone: timeZone)
        let sellers = BestSellers.compute(snapshot: snapshot, period: week.period, asOf: week.sunday, currency: currency,
                                          timeZone: timeZone, top: topProductCount, topCustomers: 0)
        return WeeklySummary(week: figures(week), previousWeek: figures(week.adding(weeks: -1)), lastYear: figures(week.adding(weeks: -52)),
                             topCustomers: top.topCustomers, topProducts: sellers.byRevenue, currency: currency, timeZone: timeZone)
    }

    /// Identified customers with an order in `week`, and how many of them placed their first order ever in it.
    /// Orders are sorted by (customer, instant), so a customer's first order is the first of its range.
    static func newAndReturning(snapshot s: ShopSnapshot, week: Week) -> (customers: Int, new: Int) {
        let first = Int32(week.monday.dayNumber), last = Int32(week.sunday.dayNumber)
        var customers = 0, new = 0
        for c in 0..<s.customerCount {
            let start = Int(s.customerOrderStart[c]), end = Int(s.customerOrderStart[c + 1])
            guard start < end else { continue }
            var ordered = false
            for o in start..<end where s.orderDay[o] >= first && s.orderDay[o] <= last {
                ordered = true
                break
            }
            guard ordered else { continue }
            customers += 1
            if s.orderDay[start] >= first { new += 1 }
        }
        return (customers, new)
    }

    /// One row of the key-figures table: a figure's value this week, the previous week and last year.
    public struct Row: Sendable, Equatable {
        /// The figure's name.
        public var figure: String
        /// This week, the previous week, the same week last year (nil: not defined, e.g. an average over nothing).
        public var values: [Value?]
        /// The change against the previous week and against last year (nil: not defined): relative
        /// ((now − before) ÷ before) for money and counts, in percentage points (now − before) for a rate.
        public var changes: [Double?]
        /// Whether the figure is a rate, whose changes are in percentage points.
        public var isRate: Bool
    }

    /// A figure's value: money, a count or a fraction.
    public enum Value: Sendable, Equatable {
        /// An amount.
        case money(Money)
        /// A count.
        case count(Int)
        /// A fraction shown as a percentage.
        case fraction(Double)

        var comparable: Double {
            switch self {
            case .money(let m): return Double(m.minorUnits)
            case .count(let n): return Double(n)
            case .fraction(let f): return f
            }
        }
    }

    /// The key figures as rows, in the sheet's order. A rate's change is in percentage points (20 % → 25 % is
    /// +5 points), every other figure's relative (100 → 125 is +25 %).
    public var rows: [Row] {
        let weeks = [week, previousWeek, lastYear]
        func row(_ name: String, _ value: (Figures) -> Value?) -> Row {
            let values = weeks.map(value)
            let isRate: Bool
            if case .fraction? = values.compactMap({ $0 }).first { isRate = true } else { isRate = false }
            let changes = [values[1], values[2]].map { before -> Double? in
                guard let now = values[0]?.comparable, let b = before?.comparable else { return nil }
                if isRate { return now - b }
                return b == 0 ? nil : (now - b) / b
            }
            return Row(figure: name, values: values, changes: changes, isRate: isRate)
        }
        return [
            row("Revenue") { .money($0.revenue) },
            row("Orders") { .count($0.orders) },
            row("Average order value") { $0.averageOrderValue.map(Value.money) },
            row("Customers") { .count($0.customers) },
            row("New customers") { .count($0.newCustomers) },
            row("Returning customers") { .count($0.returningCustomers) },
            row("Repeat rate") { $0.repeatRate.map(Value.fraction) },
            row("Active customers (week end)") { .count($0.activeCustomers) },
        ]
    }
}

extension WeeklySummary {
    /// The summary as JSON: the three weeks' figures, the rows with their changes, and the two lists. Money as
    /// decimal strings, a figure over nothing as null.
    public var jsonValue: JSONValue {
        func figures(_ f: Figures) -> JSONValue {
            .object([
                ("week", .string(f.week.description)), ("from", .string(f.week.monday.description)),
                ("to", .string(f.week.sunday.description)), ("revenue", .string(f.revenue.decimalString)),
                ("orders", .int(f.orders)), ("averageOrderValue", f.averageOrderValue.map { .string($0.decimalString) } ?? .null),
                ("customers", .int(f.customers)), ("newCustomers", .int(f.newCustomers)),
                ("returningCustomers", .int(f.returningCustomers)), ("repeatRate", f.repeatRate.map(JSONValue.double) ?? .null),
                ("activeCustomers", .int(f.activeCustomers)),
            ])
        }
        return .object([
            ("currency", .string(currency.code)), ("timeZone", .string(timeZone)),
            ("week", figures(week)), ("previousWeek", figures(previousWeek)), ("sameWeekLastYear", figures(lastYear)),
            ("changes", .array(rows.map { row in
                .object([("figure", .string(row.figure)),
                         ("changeIn", .string(row.isRate ? "percentage points" : "relative")),
                         ("sincePreviousWeek", row.changes[0].map(JSONValue.double) ?? .null),
                         ("sinceLastYear", row.changes[1].map(JSONValue.double) ?? .null)])
            })),
            ("topCustomers", .array(topCustomers.map { t in
                .object([("rank", .int(t.rank)), ("customer", .string(t.customer)), ("email", t.email.map(JSONValue.string) ?? .null),
                         ("orders", .int(t.orders)), ("revenue", .string(t.revenue.decimalString))])
            })),
            ("topProducts", .array(topProducts.map { p in
                .object([("rank", .int(p.rank)), ("productId", .string(p.productId)), ("name", .string(p.name)),
                         ("quantity", .int(Int(p.quantity))), ("orders", .int(p.orders)), ("revenue", .string(p.revenue.decimalString))])
            })),
        ])
    }

    /// The summary as JSON text.
    public func json() -> String { jsonValue.rendered() }
}

extension WeeklySummary {
    /// The sheet as text tables for a terminal: the key figures, then the two lists.
    public func table(shopName: String) -> String {
        func percent(_ f: Double) -> String {
            let tenths = Int64((abs(f) * 1000).rounded())
            return (f < 0 && tenths != 0 ? "-" : "") + String(tenths / 10) + "." + String(tenths % 10) + " %"
        }
        func value(_ v: Value?) -> String {
            switch v {
            case .money(let m)?: return m.decimalString
            case .count(let n)?: return String(n)
            case .fraction(let f)?: return percent(f)
            case nil: return "–"
            }
        }
        func change(_ c: Double?, _ rate: Bool) -> String {
            guard let c else { return "–" }
            let shown = percent(c)
            return (c > 0 ? "+" : "") + (rate ? String(shown.dropLast(2)) + " pp" : shown)
        }
        var key = TextTable([("Figure", .left), (week.week.description, .right), (previousWeek.week.description, .right),
                             (lastYear.week.description, .right), ("vs prev. week", .right), ("vs last year", .right)])
        for row in rows { key.add(([row.figure] + row.values.map(value) + row.changes.map { change($0, row.isRate) }).map { TextTable.Cell($0) }) }
        var customers = TextTable([("#", .right), ("Customer", .left), ("Orders", .right), ("Revenue", .right)])
        for t in topCustomers { customers.add(String(t.rank), t.email ?? t.customer, String(t.orders), t.revenue.decimalString) }
        var products = TextTable([("#", .right), ("Product", .left), ("Quantity", .right), ("Revenue", .right)])
        for p in topProducts { products.add(String(p.rank), p.name, String(p.quantity), p.revenue.decimalString) }
        var out = [TextTable.printable(shopName) + " · week \(week.week) (\(week.week.monday) – \(week.week.sunday), \(timeZone)); money in \(currency.code)", ""]
        out += key.lines(colour: false)
        out += ["", "Top customers (last 12 months)"] + (topCustomers.isEmpty ? ["none"] : customers.lines(colour: false))
        out += ["", "Top products this week"] + (topProducts.isEmpty ? ["none"] : products.lines(colour: false))
        return out.joined(separator: "\n") + "\n"
    }
}
