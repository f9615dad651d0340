import ArgumentParser
import ClienteleCore
import Foundation

/// `clientele report retention`: the retention metrics of seed 004 (METRICS.md, "CLV (seed 002) and retention metrics (seed 004)").
struct RetentionReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Customer retention rate (S, E, N), churn rate, repeat purchase ratio, time between purchases and product return rates.",
        discussion: """
        P is the period (default: the last 12 months); P' is the window of equal length just before it.
        Examples:
          clientele report retention --db shop.sqlite
          clientele report retention --db shop.sqlite --period this-year --format json
          clientele report retention --db shop.sqlite --min-quantity 50 --format csv > return-rates.csv
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(name: .customLong("min-quantity"), help: ArgumentHelp("List a product's return rate only when at least N units of it were sold in the period (default \(RetentionMetrics.defaultMinimumQuantity)), so one returned unit does not top the list.", valueName: "N"))
    var minQuantity: Int = Int(RetentionMetrics.defaultMinimumQuantity)
    @Option(help: ArgumentHelp("How many products the table lists (csv and json list them all).", valueName: "N")) var top: Int = 20
    @Option(help: "Output: table (for people), json (every figure), csv (the per-product return rates).") var format: OutputFormat = .table

    func validate() throws {
        if minQuantity < 0 { throw ValidationError("--min-quantity must be 0 or more.") }
        if top < 0 { throw ValidationError("--top must be 0 or more.") }
        if periodOptions.compare != nil {
            throw ValidationError("report retention always compares P with the previous period P'; leave out --compare.")
        }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let (period, asOf, _) = periodOptions.resolve(calendar: shop.calendar)
        let metrics = RetentionMetrics.compute(snapshot: shop.snapshot, period: period, asOf: asOf,
                                               minimumQuantity: Int64(minQuantity), currency: shop.currency,
                                               timeZone: shop.settings.timeZone)
        switch format {
        case .json: print(metrics.json(), terminator: "")
        case .csv: print(metrics.csv(), terminator: "")
        case .table: print(metrics.table(shopName: shop.settings.name, locale: shop.settings.locale, top: top), terminator: "")
        }
    }
}

/// Helpers shared by the retention, CLV, cohort and RFM commands.
enum RetentionCommandSupport {
    /// Today in the shop's calendar (the default as-of date).
    static func today(_ calendar: ShopCalendar) -> ShopDate {
        calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
    }

    /// The `--as-of` date, else today in the shop's calendar.
    static func asOf(_ text: String?, calendar: ShopCalendar) -> ShopDate {
        text.flatMap { ShopDate(iso: $0) } ?? today(calendar)
    }
}
