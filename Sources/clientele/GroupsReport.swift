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
        Thresholds (VIP share, frequent orders per year, minimum tenure) are the shop's settings. When clientele fit
        has saved a fit of the current orders, each group also shows Lost (model): 1 − mean P(alive). See docs/lifecycle.md.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: "Output: table, json, csv (one row per group).") var format: OutputFormat = .table

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let date = asOf.date(calendar: shop.calendar)
        var predicted: PredictedValues?
        switch try AudienceSupport.fitState(shop: shop) {
        case .current(let fit): predicted = try AudienceSupport.predictedValues(shop: shop, fit: fit, asOf: date)
        case .stale: printError("The saved fit \(shop.target.modelPath) is of older data; run clientele fit \(shop.target.arguments) to add Lost (model).")
        case .none: break
        }
        let report = GroupsReport.compute(snapshot: shop.snapshot, asOf: date, thresholds: shop.settings.thresholds,
                                          currency: shop.currency, timeZone: shop.settings.timeZone, predicted: predicted)
        switch format {
        case .json: print(report.json(), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        case .table: print(report.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
