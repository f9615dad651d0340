import ArgumentParser
import ClienteleCore

/// `clientele report groups`: one-time buyers, loyal, frequent and VIP customers (METRICS.md, "Groups").
struct GroupsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "One-time buyers, loyal, frequent and VIP customers: lifetime value, orders, basket size, annual figures, lost %.",
        discussion: """
        Examples:
          clientele report groups --db shop.sqlite
          clientele report groups --db shop.sqlite --as-of 2025-06-30 --format json
        Thresholds (VIP share, frequent orders per year, minimum tenure) are the shop's settings. See docs/lifecycle.md.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: "Output: table, json, csv (one row per group).") var format: OutputFormat = .table

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let report = GroupsReport.compute(snapshot: shop.snapshot, asOf: asOf.date(calendar: shop.calendar),
                                          thresholds: shop.settings.thresholds, currency: shop.currency,
                                          timeZone: shop.settings.timeZone)
        switch format {
        case .json: print(report.json(), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        case .table: print(report.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
