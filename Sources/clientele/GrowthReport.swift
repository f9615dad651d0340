import ArgumentParser
import ClienteleCore

extension GrowthReport.Step: ExpressibleByArgument {}

/// `clientele report growth`: lifecycle stage counts at the end of each month or week (METRICS.md, "Customer base growth").
struct GrowthReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth",
        abstract: "Customer base growth: new, active, slipping-away and lost customers at the end of each month or week.",
        discussion: """
        Without --from/--to: by month from the first order's month, by week the last 52 weeks, up to the as-of date.
        Examples:
          clientele report growth --db shop.sqlite
          clientele report growth --db shop.sqlite --from 2024-01-01 --to 2025-12-31
          clientele report growth --db shop.sqlite --by week --format csv > growth.csv
        See docs/lifecycle.md.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("First day of the range (shop date).", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Last day of the range (shop date, inclusive). Default: the as-of date.", valueName: "YYYY-MM-DD")) var to: String?
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: "Cut the range by month or week.") var by: GrowthReport.Step = .month
    @Option(help: "Output: table (stacked bars and numbers), json, csv.") var format: OutputFormat = .table

    func validate() throws {
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let value, ShopDate(iso: value) == nil {
                throw ValidationError("\(flag) \"\(value)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
            }
        }
        if let from, let to, let a = ShopDate(iso: from), let b = ShopDate(iso: to), b < a {
            throw ValidationError("--to \(to) is before --from \(from).")
        }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let end = to.flatMap { ShopDate(iso: $0) } ?? asOf.date(calendar: shop.calendar)
        let start: ShopDate
        if let from, let d = ShopDate(iso: from) {
            start = d
        } else if by == .week {
            start = end.adding(days: -7 * 51)
        } else {
            let s = shop.snapshot
            let first = s.identifiedOrderCount == 0 ? end.dayNumber : Int(s.orderDay[0..<s.identifiedOrderCount].min() ?? Int32(end.dayNumber))
            start = min(ShopDate(dayNumber: first), end)
        }
        guard start <= end else {
            throw CLIError("The range ends (\(end)) before it starts (\(start)); give --from and --to.")
        }
        let report = GrowthReport.compute(snapshot: shop.snapshot, from: start, to: end, step: by,
                                          thresholds: shop.settings.thresholds, timeZone: shop.settings.timeZone)
        switch format {
        case .json: print(report.json(), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        case .table: print(report.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
