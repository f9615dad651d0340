import ArgumentParser
import ClienteleCore

extension Cohorts.Granularity: ExpressibleByArgument {}
extension Cohorts.Metric: ExpressibleByArgument {}

/// `clientele report cohorts`: retention triangle, revenue cohorts and the LTV curve (METRICS.md, "Cohorts and RFM").
struct CohortsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohorts",
        abstract: "Cohorts by first order: the retention triangle, revenue per period and the LTV curve.",
        discussion: """
        A cohort is the month (or quarter) of a customer's first order ever; cell k is the period k months
        (quarters) later. Orders up to --as-of count; the period holding it is marked incomplete (*).
        Examples:
          clientele report cohorts --db shop.sqlite --as-of 2025-09-14
          clientele report cohorts --db shop.sqlite --by quarter --metric ltv
          clientele report cohorts --db shop.sqlite --first-product P00025 --country DK --format csv > cohorts.csv
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The last day whose orders count (shop date). Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "Cohort period: month or quarter.") var by: Cohorts.Granularity = .month
    @Option(help: "What the table and CSV show: retention (share), customers (count), revenue, ltv (cumulative revenue per customer).")
    var metric: Cohorts.Metric = .retention
    @Option(help: ArgumentHelp("How many cohorts, ending with the one holding the as-of date.", valueName: "N")) var cohorts: Int = 12
    @Option(name: .customLong("first-product"), help: ArgumentHelp("Only customers whose first order has this product id.", valueName: "ID"))
    var firstProduct: String?
    @Option(help: ArgumentHelp("Only customers whose first order was shipped to this country code.", valueName: "CC")) var country: String?
    @Option(help: "Output: table (the triangle), json (every figure of every cell), csv (the triangle of --metric).") var format: OutputFormat = .table

    func validate() throws {
        if let asOf, ShopDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
        }
        if cohorts < 1 || cohorts > 240 { throw ValidationError("--cohorts must be between 1 and 240.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let date = RetentionCommandSupport.asOf(asOf, calendar: shop.calendar)
        let result = Cohorts.compute(snapshot: shop.snapshot, asOf: date, granularity: by, count: cohorts,
                                     filter: Cohorts.Filter(firstProduct: firstProduct, country: country),
                                     currency: shop.currency, timeZone: shop.settings.timeZone)
        switch format {
        case .json: print(result.json(), terminator: "")
        case .csv: print(result.csv(metric: metric), terminator: "")
        case .table: print(result.table(shopName: shop.settings.name, locale: shop.settings.locale, metric: metric), terminator: "")
        }
    }
}
