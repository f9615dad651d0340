import ArgumentParser
import ClienteleCore

/// `clientele report products`: best sellers and what the top customers buy (METRICS.md, "Best sellers and
/// best customers").
struct ProductsReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products",
        abstract: "Best sellers by units and revenue, and what the top customers buy.",
        discussion: """
        Revenue here is line revenue: quantity × unit price in the shop currency (shipping not included).
        With --audience or --filter, "what they buy" is over that audience's customers (judged as of --as-of)
        instead of the top customers; --top-customers is then how many of them are listed.
        Examples:
          clientele report products --db shop.sqlite
          clientele report products --db shop.sqlite --period this-year --top 50 --top-customers 100
          clientele report products --db shop.sqlite --top 0 --format csv > products.csv
          clientele report products --db shop.sqlite --audience lost-vips --top 10
          clientele report products --db shop.sqlite --filter "stage = slipping-away and orders >= 3"
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: ArgumentHelp("How many products per list; 0 lists every product.", valueName: "N")) var top: Int = 20
    @Option(name: .customLong("top-customers"), help: ArgumentHelp("How many top customers (by revenue in the period) to show with what they buy. Default: the shop's setting (20).", valueName: "N"))
    var topCustomers: Int?
    @OptionGroup var audienceOptions: ReportAudienceOptions
    @Option(help: "Output: table (for people), json (every figure), csv (the best sellers by revenue).") var format: OutputFormat = .table

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 (every product) or more.") }
        if let topCustomers, topCustomers < 0 { throw ValidationError("--top-customers must be 0 or more.") }
        if periodOptions.compare != nil { throw ValidationError("report products has no comparison period; leave out --compare.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let (period, asOf, _) = periodOptions.resolve(calendar: shop.calendar)
        let listed = topCustomers ?? shop.settings.thresholds.topCustomers
        let selected = try await audienceOptions.resolve(shop: shop, store: store, asOf: asOf)
        var result = BestSellers.compute(snapshot: shop.snapshot, period: period, asOf: asOf, currency: shop.currency,
                                         timeZone: shop.settings.timeZone, top: top, topCustomers: listed,
                                         customers: selected?.mask, audience: selected?.description)
        // Every customer of the audience with an order in the period counts; the first N are listed.
        if selected != nil && result.groupCustomers.count > listed { result.groupCustomers.removeSubrange(listed...) }
        switch format {
        case .json: print(result.json(), terminator: "")
        case .csv: print(result.csv(), terminator: "")
        case .table: print(result.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
