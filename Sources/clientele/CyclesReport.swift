import ArgumentParser
import ClienteleCore
import Foundation

/// `clientele report cycles`: purchase cycles per product (METRICS.md, "Purchase cycles").
struct CyclesReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycles",
        abstract: "Purchase cycles: per product, the median days between a customer's consecutive orders with it, and when to send a reminder.",
        discussion: """
        Uses identified customers' orders up to and including the as-of date.
        Examples:
          clientele report cycles --db shop.sqlite
          clientele report cycles --db shop.sqlite --as-of 2025-09-14 --min-gaps 10 --format csv
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Orders up to and including this shop date count. Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(name: .customLong("min-gaps"), help: ArgumentHelp("Only products with at least N gaps (repeat purchases by the same customer).", valueName: "N"))
    var minGaps: Int = 4
    @Option(help: "Output: table (for people), json (every figure), csv (the products).") var format: OutputFormat = .table

    func validate() throws {
        try validateAsOf(asOf)
        if minGaps < 1 { throw ValidationError("--min-gaps must be 1 or more.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let cycles = PurchaseCycles.compute(snapshot: shop.snapshot, asOf: asOfOrToday(asOf, shop.calendar),
                                            timeZone: shop.settings.timeZone, minGaps: minGaps)
        switch format {
        case .json: print(cycles.json(), terminator: "")
        case .csv: print(cycles.csv(), terminator: "")
        case .table: print(cycles.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}

/// Rejects an `--as-of` value that is not a date.
func validateAsOf(_ asOf: String?) throws {
    if let asOf, ShopDate(iso: asOf) == nil {
        throw ValidationError("--as-of \"\(asOf)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
    }
}

/// The `--as-of` date, else today in the shop's calendar.
func asOfOrToday(_ asOf: String?, _ calendar: ShopCalendar) -> ShopDate {
    if let asOf, let d = ShopDate(iso: asOf) { return d }
    return calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
}
