import ArgumentParser
import ClienteleCore

/// `clientele report when`: orders and revenue by hour × weekday, month of year and year (METRICS.md,
/// "When customers shop").
struct WhenReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "when",
        abstract: "When customers shop: orders and revenue by hour of day × weekday (a heat map), by month of year and by year.",
        discussion: """
        Hours, weekdays and months are taken in the shop's time zone. With --audience or --filter only the
        orders of that audience's customers (judged as of --as-of) count; with --top-customers as well, the
        top N of them by revenue in the period.
        Examples:
          clientele report when --db shop.sqlite
          clientele report when --db shop.sqlite --period last-year --top-customers 100
          clientele report when --db shop.sqlite --audience lost-vips
          clientele report when --db shop.sqlite --filter "group = vip and country = DK"
          clientele report when --db shop.sqlite --format json
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(name: .customLong("top-customers"), help: ArgumentHelp("Only the orders of the top N customers by revenue in the period (\"when do my best customers buy?\").", valueName: "N"))
    var topCustomers: Int?
    @OptionGroup var audienceOptions: ReportAudienceOptions
    @Option(help: "Output: table (a heat map and tables), json (every figure), csv (the weekday × hour grid).") var format: OutputFormat = .table

    func validate() throws {
        if let topCustomers, topCustomers < 1 { throw ValidationError("--top-customers must be 1 or more.") }
        if periodOptions.compare != nil { throw ValidationError("report when has no comparison period; leave out --compare.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let (period, asOf, _) = periodOptions.resolve(calendar: shop.calendar)
        var mask: [Bool]?
        var audience: String?
        let selected = try await audienceOptions.resolve(shop: shop, store: store, asOf: asOf)
        if let selected {
            mask = selected.mask
            audience = selected.description
        }
        if let topCustomers {
            if let selected {
                // The top N of the audience's customers by revenue in the period.
                var top = [Bool](repeating: false, count: shop.snapshot.customerCount)
                let ranked = BestSellers.topCustomers(snapshot: shop.snapshot, period: period, count: shop.snapshot.customerCount)
                for c in ranked.lazy.filter({ selected.mask[Int($0)] }).prefix(topCustomers) { top[Int(c)] = true }
                mask = top
                audience = "the top \(topCustomers) customers by revenue in the period of the " + selected.description
            } else {
                mask = BestSellers.topCustomerMask(snapshot: shop.snapshot, period: period, count: topCustomers)
                audience = "the top \(topCustomers) customers by revenue in the period"
            }
        }
        let times = ShoppingTimes.compute(snapshot: shop.snapshot, period: period, asOf: asOf, currency: shop.currency,
                                          timeZone: shop.settings.timeZone, customers: mask, audience: audience)
        switch format {
        case .json: print(times.json(), terminator: "")
        case .csv: print(times.csv(), terminator: "")
        case .table: print(times.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
