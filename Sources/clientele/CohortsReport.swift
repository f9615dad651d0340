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
          clientele report cohorts --db shop.sqlite --filter "group = vip"
          clientele report cohorts --db shop.sqlite --audience loyal-slipping-away --metric ltv
        --filter and --audience keep the customers in the audience as of --as-of (with --first-product and
        --country, those in both).
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
    @OptionGroup var audienceOptions: ReportAudienceOptions
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
        let selected = try await audienceOptions.resolve(shop: shop, store: store, asOf: date)
        let result = Cohorts.compute(snapshot: shop.snapshot, asOf: date, granularity: by, count: cohorts,
                                     filter: Cohorts.Filter(firstProduct: firstProduct, country: country),
                                     members: selected?.mask, currency: shop.currency, timeZone: shop.settings.timeZone)
        switch format {
        case .json:
            // The audience joins the JSON after "filter" (null without one).
            guard case .object(var members) = result.jsonValue else { print(result.json(), terminator: ""); return }
            let at = (members.firstIndex { $0.0 == "filter" } ?? members.count - 1) + 1
            members.insert(("audience", selected?.json ?? .null), at: at)
            print(JSONValue.object(members).rendered(), terminator: "")
        case .csv: print(result.csv(metric: metric), terminator: "")
        case .table:
            var lines = result.table(shopName: shop.settings.name, locale: shop.settings.locale, metric: metric)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // The audience line goes under the header (shop name, title, cohort definition).
            if let selected { lines.insert("Customers: " + selected.printableDescription, at: min(3, lines.count)) }
            print(lines.joined(separator: "\n"), terminator: "")
        }
    }
}
