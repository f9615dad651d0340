import ArgumentParser
import ClienteleCore
import Foundation

/// `clientele report clv`: formula CLV with what-if inputs (METRICS.md, "CLV (seed 002) and retention metrics (seed 004)").
struct CLVReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clv",
        abstract: "Formula CLV = average order value × orders per customer per year × lifespan, with affordable CAC and the CLV ≥ 3 × CAC rule.",
        discussion: """
        The inputs come from the 12 months up to --as-of; lifespan = 1 ÷ annual churn, capped at 10 years.
        Give any input to see what CLV would be with it (what-if).
        Examples:
          clientele report clv --db shop.sqlite --as-of 2025-09-14
          clientele report clv --db shop.sqlite --margin 0.35 --cac 300
          clientele report clv --db shop.sqlite --order-value 500 --orders-per-year 3 --lifespan-years 2 --format json
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the trailing 12 months end on (shop date). Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: ArgumentHelp("Gross margin as a fraction, e.g. 0.4 for 40 % (default 0.4).", valueName: "FRACTION")) var margin: Double = FormulaCLV.defaultMargin
    @Option(help: ArgumentHelp("Your customer acquisition cost in the shop currency, judged against CLV ≥ 3 × CAC.", valueName: "AMOUNT")) var cac: String?
    @Option(name: .customLong("order-value"), help: ArgumentHelp("What-if average order value in the shop currency.", valueName: "AMOUNT")) var orderValue: String?
    @Option(name: .customLong("orders-per-year"), help: ArgumentHelp("What-if orders per customer per year.", valueName: "N")) var ordersPerYear: Double?
    @Option(name: .customLong("lifespan-years"), help: ArgumentHelp("What-if average customer lifespan in years (not capped).", valueName: "YEARS")) var lifespanYears: Double?
    @Option(help: "Output: table (for people) or json (every figure).") var format: OutputFormat = .table

    func validate() throws {
        if let asOf, ShopDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
        }
        if !(margin >= 0 && margin <= 1) {
            throw ValidationError("--margin \(margin) is not a fraction between 0 and 1: write 40 % as 0.4.")
        }
        if let ordersPerYear, !(ordersPerYear >= 0 && ordersPerYear.isFinite) {
            throw ValidationError("--orders-per-year must be 0 or more.")
        }
        if let lifespanYears, !(lifespanYears >= 0 && lifespanYears.isFinite) {
            throw ValidationError("--lifespan-years must be 0 or more.")
        }
        if format == .csv { throw ValidationError("report clv has no list to export: use --format table or json.") }
    }

    /// `text` as minor units of `currency`, or a validation error naming `flag`.
    static func amount(_ text: String, flag: String, currency: Currency) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let v = Money.parseMinorUnits(Substring(trimmed), digits: currency.minorDigits), v >= 0 else {
            throw ValidationError("\(flag) \"\(text)\" is not an amount in \(currency.code): write it like 300 or 299.95.")
        }
        return v
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let date = RetentionCommandSupport.asOf(asOf, calendar: shop.calendar)
        let overrides = FormulaCLV.Overrides(
            averageOrderValue: try orderValue.map { try Self.amount($0, flag: "--order-value", currency: shop.currency) },
            ordersPerYear: ordersPerYear, lifespanYears: lifespanYears)
        let cacMinor = try cac.map { try Self.amount($0, flag: "--cac", currency: shop.currency) }
        let result = FormulaCLV.compute(snapshot: shop.snapshot, asOf: date, overrides: overrides, margin: margin,
                                        cac: cacMinor, currency: shop.currency)
        switch format {
        case .json, .csv: print(result.json(), terminator: "")
        case .table: print(result.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
