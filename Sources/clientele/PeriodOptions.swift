import ArgumentParser
import ClienteleCore
import Foundation

extension Period.Preset: ExpressibleByArgument {}
extension Period.Comparison: ExpressibleByArgument {}

/// The period options every report over a period shares (METRICS.md, "Period").
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A preset period: \(Period.Preset.allCases.map(\.rawValue).joined(separator: ", ")). Default: last-12-months.", valueName: "PRESET"))
    var period: Period.Preset?

    @Option(help: ArgumentHelp("First day of a custom period (shop date, inclusive).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last day of a custom period (shop date, inclusive).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the report is made as of (shop date). Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: ArgumentHelp("Also show a comparison period: previous (the equal-length window before) or last-year (the same period a year earlier).", valueName: "previous|last-year"))
    var compare: Period.Comparison?

    func validate() throws {
        if period != nil && (from != nil || to != nil) {
            throw ValidationError("Give either --period or --from/--to, not both.")
        }
        if (from == nil) != (to == nil) {
            throw ValidationError("A custom period needs both --from and --to (both inclusive), e.g. --from 2025-01-01 --to 2025-03-31.")
        }
        for (flag, value) in [("--from", from), ("--to", to), ("--as-of", asOf)] {
            if let value, ShopDate(iso: value) == nil {
                throw ValidationError("\(flag) \"\(value)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
            }
        }
        if let from, let to, let a = ShopDate(iso: from), let b = ShopDate(iso: to), b < a {
            throw ValidationError("--to \(to) is before --from \(from).")
        }
    }

    /// The as-of date: the flag, else today in the shop's calendar.
    func asOfDate(calendar: ShopCalendar) -> ShopDate {
        if let asOf, let d = ShopDate(iso: asOf) { return d }
        return calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
    }

    /// The period, the as-of date and the comparison period, resolved in the shop's calendar.
    func resolve(calendar: ShopCalendar) -> (period: Period, asOf: ShopDate, comparison: Period?) {
        let asOf = asOfDate(calendar: calendar)
        let p: Period
        if let from, let to, let a = ShopDate(iso: from), let b = ShopDate(iso: to) {
            p = Period(from: a, through: b)
        } else {
            p = Period.preset(period ?? .last12Months, asOf: asOf)
        }
        return (p, asOf, compare.map { p.comparison($0) })
    }
}

/// Output formats of reports.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}
