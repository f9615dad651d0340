import ArgumentParser
import ClienteleCore
import Foundation

/// The `--as-of` option of the lifecycle, groups and audience commands.
struct LifecycleAsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Judge as of this date (shop date); later orders are ignored. Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?

    func validate() throws {
        if let asOf, ShopDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
        }
    }

    /// The flag's date, else today in the shop's calendar.
    func date(calendar: ShopCalendar) -> ShopDate {
        if let asOf, let d = ShopDate(iso: asOf) { return d }
        return calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
    }
}

/// `clientele report lifecycle`: every customer's stage judged against their own rhythm (METRICS.md, "Lifecycle and groups").
struct LifecycleReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Lifecycle stages (new, active, slipping away, lost) and active customers now and 1, 3, 6, 12 months ago.",
        discussion: """
        Examples:
          clientele report lifecycle --db shop.sqlite
          clientele report lifecycle --db shop.sqlite --as-of 2025-06-30 --format json
          clientele report lifecycle --db shop.sqlite --format csv > stages.csv
        See docs/lifecycle.md.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: "Output: table (counts and active customers), json (the same; add --customers for every customer), csv (every customer's stage and reason).")
    var format: OutputFormat = .table
    @Flag(help: "With --format json: include every customer's stage and reason.") var customers = false

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let report = LifecycleReport.compute(snapshot: shop.snapshot, asOf: asOf.date(calendar: shop.calendar),
                                             thresholds: shop.settings.thresholds, timeZone: shop.settings.timeZone)
        switch format {
        case .json: print(report.json(customers: customers), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        case .table: print(report.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
