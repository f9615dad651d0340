import ArgumentParser
import ClienteleCore

/// `clientele report together`: products bought together (METRICS.md, "Bought together").
struct TogetherReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "together",
        abstract: "Products bought together: support count, support, confidence both ways and lift per pair.",
        discussion: """
        Counts the orders in the period (anonymous ones included); a product on two lines of one order counts once.
        Examples:
          clientele report together --db shop.sqlite
          clientele report together --db shop.sqlite --product P00078
          clientele report together --db shop.sqlite --min-support-count 5 --top 0 --format csv > pairs.csv
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(name: .customLong("min-support-count"), help: ArgumentHelp("Only pairs bought together in at least N orders.", valueName: "N"))
    var minSupportCount: Int = 2
    @Option(help: ArgumentHelp("List what is bought with this one product (its id as in the order file).", valueName: "ID"))
    var product: String?
    @Option(help: ArgumentHelp("How many pairs to list; 0 lists every pair.", valueName: "N")) var top: Int = 20
    @Option(help: "Output: table (for people), json (every figure), csv (the pairs).") var format: OutputFormat = .table

    func validate() throws {
        if minSupportCount < 1 { throw ValidationError("--min-support-count must be 1 or more.") }
        if top < 0 { throw ValidationError("--top must be 0 (every pair) or more.") }
        if periodOptions.compare != nil { throw ValidationError("report together has no comparison period; leave out --compare.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let (period, asOf, _) = periodOptions.resolve(calendar: shop.calendar)
        if let product, BoughtTogether.productIndex(snapshot: shop.snapshot, id: product) == nil {
            throw CLIError("No order line has the product id \"\(product)\". Product ids are as in the order file, e.g. from clientele report products.")
        }
        let result = BoughtTogether.compute(snapshot: shop.snapshot, period: period, asOf: asOf,
                                            timeZone: shop.settings.timeZone, minSupportCount: minSupportCount,
                                            top: top, product: product)
        switch format {
        case .json: print(result.json(), terminator: "")
        case .csv: print(result.csv(), terminator: "")
        case .table: print(result.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
