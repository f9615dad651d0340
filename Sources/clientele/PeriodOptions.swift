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

    /// The request as written, resolved by the same rules as the server's query parameters.
    var request: PeriodRequest {
        PeriodRequest(preset: period, from: from, to: to, asOf: asOf, comparison: compare)
    }

    func validate() throws {
        if let problem = request.problem(names: .flags) { throw ValidationError(problem) }
    }

    /// Today in the shop's calendar.
    static func today(_ calendar: ShopCalendar) -> ShopDate {
        calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
    }

    /// The as-of date: the flag, else today in the shop's calendar.
    func asOfDate(calendar: ShopCalendar) -> ShopDate {
        request.asOfDate(today: Self.today(calendar))
    }

    /// The period, the as-of date and the comparison period, resolved in the shop's calendar.
    func resolve(calendar: ShopCalendar) -> (period: Period, asOf: ShopDate, comparison: Period?) {
        request.resolve(today: Self.today(calendar))
    }
}

/// Output formats of reports.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}
