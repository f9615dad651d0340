import ArgumentParser
import ClienteleCore
import ClienteleStore
import Foundation

/// `clientele report …`: the reports over a shop's orders.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports over the shop's orders.",
        subcommands: [CustomersReport.self, WhenReport.self, TogetherReport.self, CyclesReport.self, DueReport.self, ProductsReport.self,
                      RetentionReportCommand.self, CLVReportCommand.self, CohortsReportCommand.self, RFMReportCommand.self,
                      LifecycleReportCommand.self, GrowthReportCommand.self, GroupsReportCommand.self, SummaryReportCommand.self]
    )
}

/// `clientele report customers`: the customer statistics page (METRICS.md, "Customer statistics page").
struct CustomersReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers",
        abstract: "Unique customers, repeat rate, average CLV, segments, new vs returning per month and the top customers.",
        discussion: """
        Examples:
          clientele report customers --db shop.sqlite
          clientele report customers --db shop.sqlite --period this-year --compare last-year
          clientele report customers --db shop.sqlite --from 2025-01-01 --to 2025-06-30 --format json
          clientele report customers --db shop.sqlite --top 100 --format csv > top-customers.csv
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: ArgumentHelp("How many top customers to list. Default: the shop's setting (20).", valueName: "N")) var top: Int?
    @Option(help: "Output: table (for people), json (every figure), csv (the top-customers list).") var format: OutputFormat = .table

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top must be 0 or more.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let (period, asOf, comparison) = periodOptions.resolve(calendar: shop.calendar)
        let stats = CustomerStatistics.compute(
            snapshot: shop.snapshot, period: period, asOf: asOf, top: top ?? shop.settings.thresholds.topCustomers,
            comparison: comparison, thresholds: shop.settings.thresholds, currency: shop.currency,
            timeZone: shop.settings.timeZone)
        switch format {
        case .json: print(stats.json())
        case .csv: print(stats.csv(), terminator: "")
        case .table: print(stats.table(shopName: shop.settings.name, locale: shop.settings.locale, colour: stdoutIsTerminal))
        }
    }
}
