import ArgumentParser
import ClienteleCore
import ClientelePrediction
import Foundation

extension PredictionSort: ExpressibleByArgument {}

/// `clientele predict`: per-customer P(alive), expected purchases, order value, CLV and next order date
/// (METRICS.md, "Predictive models"; docs/predictive.md).
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict each customer's future: P(alive), expected purchases, order value, CLV, next order date.",
        discussion: """
        Uses the fit saved by clientele fit (PATH.model.json) when there is one, else fits BG/NBD and
        Gamma-Gamma on all orders up to the as-of date first.

        Examples:
          clientele predict --db shop.sqlite
          clientele predict --db shop.sqlite --sort alive --top 50
          clientele predict --db shop.sqlite --horizon-months 24 --discount-monthly 0.008 --margin 0.4
          clientele predict --db shop.sqlite --top 0 --format csv > predictions.csv
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("How many customers to list; 0 for all.", valueName: "N")) var top: Int = 20
    @Option(help: "Rank by clv (highest first), alive (P(alive), highest first) or next (next order date, soonest first).")
    var sort: PredictionSort = .clv
    @Option(name: .customLong("horizon-months"), help: ArgumentHelp("The CLV horizon in months.", valueName: "MONTHS"))
    var horizonMonths: Int = 12
    @Option(name: .customLong("discount-monthly"), help: ArgumentHelp("The discount rate per month (0.01 = 1 %).", valueName: "RATE"))
    var discountMonthly: Double = 0.01
    @Option(help: ArgumentHelp("Gross margin as a fraction (0.4 = 40 %); CLV is then profit, not revenue.", valueName: "M"))
    var margin: Double?
    @Option(help: ArgumentHelp("The window of the expected-purchases column, in days.", valueName: "DAYS"))
    var days: Int = 90
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the predictions are made as of (shop date). Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "The model when fitting now (ignored when a saved fit is used): bgnbd or mbgnbd.")
    var model: RepeatPurchaseModel = .bgnbd
    @Flag(help: "Fit now on all orders up to the as-of date even when a saved fit exists.") var refit = false
    @Option(help: "Output: table (for people), json or csv.") var format: OutputFormat = .table

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 (all) or more.") }
        if horizonMonths < 1 || horizonMonths > 600 { throw ValidationError("--horizon-months must be between 1 and 600.") }
        if !(discountMonthly >= 0 && discountMonthly < 1) { throw ValidationError("--discount-monthly is a fraction per month, e.g. 0.01 for 1 %; it must be at least 0 and below 1.") }
        if let margin, !(margin > 0 && margin <= 1) { throw ValidationError("--margin is a fraction, e.g. 0.4 for 40 %; it must be above 0 and at most 1.") }
        if days < 1 { throw ValidationError("--days must be 1 or more.") }
        if let asOf, ShopDate(iso: asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let asOfDate = asOf.flatMap(ShopDate.init(iso:))
            ?? shop.calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
        let options = PredictionOptions(horizonMonths: horizonMonths, monthlyDiscountRate: discountMonthly, margin: margin,
                                        purchaseWindowDays: Double(days))
        let saved = refit ? nil : try SavedFit.read(path: shop.target.modelPath)
        let unit = saved?.fit.unit ?? .days
        let summaries: PurchaseSummaries
        let fit: RepeatPurchaseFit
        let spend: GammaGammaFit?
        do {
            summaries = try PurchaseSummaries.compute(snapshot: shop.snapshot, calibrationEnd: asOfDate, unit: unit,
                                                      minorUnitsPerMajor: shop.currency.minorUnitsPerMajor)
            if let saved {
                fit = saved.fit
                spend = saved.spend
                var note = "Using the fit saved \(saved.fittedOn) (\(fit.model.displayName), data to \(saved.calibrationEnd))"
                if let v = saved.sourceVersion, v != shop.snapshot.sourceVersion { note += "; the orders have changed since — run clientele fit to refresh it" }
                printError(note + ".")
            } else {
                fit = try model.fit(summaries)
                spend = try? GammaGammaFit.fit(summaries)
            }
        } catch {
            // Only FitError is thrown in the block above.
            throw CLIError("\(error) (Predictions need a fitted model.)")
        }
        let predictions = CustomerPredictions.compute(summaries: summaries, fit: fit, spend: spend, options: options)
        let snapshot = shop.snapshot
        let list = PredictionList.compute(predictions: predictions, summaries: summaries, sort: sort, top: top,
                                          currencyCode: shop.currency.code, currencyDigits: shop.currency.minorDigits) {
            snapshot.customerKey($0)
        }
        switch format {
        case .json: print(list.json(), terminator: "")
        case .csv: print(list.csv(), terminator: "")
        case .table: print(list.table(), terminator: "")
        }
    }
}

/// The fit `clientele fit` saved beside the database (the JSON of `FitReport`).
struct SavedFit {
    var fit: RepeatPurchaseFit
    var spend: GammaGammaFit?
    var fittedOn: String
    var calibrationEnd: String
    var sourceVersion: String?

    /// The saved fit at `path`; nil when there is none. A file that cannot be read is an error that says what to do.
    static func read(path: String) throws -> SavedFit? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let broken = CLIError("The saved fit \(path) cannot be read; run clientele fit again, or use --refit.")
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let modelName = root["model"] as? String, let model = RepeatPurchaseModel(rawValue: modelName),
              let unitName = root["unit"] as? String, let unit = TimeUnit(rawValue: unitName),
              let p = root["parameters"] as? [String: Any],
              let r = (p["r"] as? NSNumber)?.doubleValue, let alpha = (p["alpha"] as? NSNumber)?.doubleValue,
              let a = (p["a"] as? NSNumber)?.doubleValue, let b = (p["b"] as? NSNumber)?.doubleValue,
              [r, alpha, a, b].allSatisfy({ $0 > 0 && $0.isFinite }) else { throw broken }
        let ll = (root["logLikelihood"] as? NSNumber)?.doubleValue ?? .nan
        let data_ = root["data"] as? [String: Any]
        let fit = RepeatPurchaseFit(model: model, unit: unit, parameters: RepeatPurchaseParameters(r: r, alpha: alpha, a: a, b: b),
                                    diagnostics: FitDiagnostics(iterations: 0, logLikelihood: ll, gradientNorm: 0, standardErrors: nil),
                                    customers: (root["customers"] as? NSNumber)?.intValue ?? 0,
                                    repeatCustomers: (root["repeatCustomers"] as? NSNumber)?.intValue ?? 0)
        var spend: GammaGammaFit?
        if let g = root["gammaGamma"] as? [String: Any], let gp = (g["p"] as? NSNumber)?.doubleValue,
           let gq = (g["q"] as? NSNumber)?.doubleValue, let gg = (g["gamma"] as? NSNumber)?.doubleValue, gp > 0, gq > 1, gg > 0 {
            spend = GammaGammaFit(parameters: GammaGammaParameters(p: gp, q: gq, gamma: gg),
                                  diagnostics: FitDiagnostics(iterations: 0, logLikelihood: (g["logLikelihood"] as? NSNumber)?.doubleValue ?? .nan,
                                                              gradientNorm: 0, standardErrors: nil),
                                  customers: (g["customers"] as? NSNumber)?.intValue ?? 0,
                                  frequencySpendCorrelation: (g["frequencySpendCorrelation"] as? NSNumber)?.doubleValue)
        }
        return SavedFit(fit: fit, spend: spend, fittedOn: root["fittedOn"] as? String ?? "?",
                        calibrationEnd: data_?["calibrationEnd"] as? String ?? "?",
                        sourceVersion: data_?["sourceVersion"] as? String)
    }
}
