import ArgumentParser
import ClienteleCore

/// `clientele report rfm`: recency, frequency and monetary scores with named segments (METRICS.md, "Cohorts and RFM").
struct RFMReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfm",
        abstract: "RFM scores 1–5 by quintile, the R × FM grid and named segments; the per-customer list as CSV.",
        discussion: """
        Examples:
          clientele report rfm --db shop.sqlite --as-of 2025-09-14
          clientele report rfm --db shop.sqlite --format json
          clientele report rfm --db shop.sqlite --format csv > rfm-customers.csv
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Score as of this date (shop date); later orders are ignored. Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "Output: table (scores, grid, segments), json (the same), csv (every customer with scores and segment).") var format: OutputFormat = .table

    func validate() throws {
        if let asOf, ShopDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
        }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let date = RetentionCommandSupport.asOf(asOf, calendar: shop.calendar)
        let rfm = RFM.compute(snapshot: shop.snapshot, asOf: date, currency: shop.currency)
        switch format {
        case .json: print(rfm.json(timeZone: shop.settings.timeZone), terminator: "")
        case .csv: print(rfm.csv(snapshot: shop.snapshot), terminator: "")
        case .table: print(rfm.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
