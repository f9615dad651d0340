import ClienteleCore
import ClientelePrediction

/// The predictive reports (`clientele fit`, `clientele predict`; METRICS.md, "Predictive models") for the
/// API and the pages: the query is read by the CLI's rules and the same functions are called with the same
/// defaults. The server fits the model itself (`FitCache`); it reads no saved `PATH.model.json`.
extension ShopReports {
    /// The fit options `model`, `unit`, `calibrationEnd`, `holdoutEnd`, checked as `clientele fit` checks them.
    public func fitRequest() throws -> FitRequest {
        let calibrationEnd = try query.date("calibrationEnd"), holdoutEnd = try query.date("holdoutEnd")
        if let c = calibrationEnd, let h = holdoutEnd, h <= c {
            throw APIError.badRequest("holdoutEnd \(h) must be after calibrationEnd \(c).")
        }
        if holdoutEnd != nil && calibrationEnd == nil {
            throw APIError.badRequest("holdoutEnd needs calibrationEnd (the holdout starts the day after it).")
        }
        return FitRequest(model: try query.choice("model", RepeatPurchaseModel.self) ?? .bgnbd,
                          unit: try query.choice("unit", TimeUnit.self) ?? .days,
                          calibrationEnd: calibrationEnd, holdoutEnd: holdoutEnd)
    }

    /// The fit for the request's options from `cache` (the default fit is kept per store revision).
    public func fit(_ cache: FitCache) async throws -> Result<FitReport, FitError> {
        await cache.fit(try fitRequest(), state: state, today: today)
    }

    /// The fit, or a 422 saying why there is none (for the API).
    public func requireFit(_ cache: FitCache) async throws -> FitReport {
        switch try await fit(cache) {
        case .success(let report): return report
        case .failure(let error): throw APIError.unprocessable("\(error.description) (Predictions need a fitted model.)")
        }
    }

    /// `clientele predict`'s options from `horizonMonths`, `discountMonthly`, `margin`, `days`, with its checks.
    public func predictionOptions() throws -> PredictionOptions {
        let horizon = try query.int("horizonMonths", in: 1...600) ?? 12
        let discount = try query.double("discountMonthly", maximum: 1) ?? 0.01
        if discount >= 1 {
            throw APIError.badRequest("discountMonthly is a fraction per month, e.g. 0.01 for 1 %; it must be at least 0 and below 1.")
        }
        let margin = try query.double("margin", maximum: 1)
        if let margin, margin <= 0 {
            throw APIError.badRequest("margin is a fraction, e.g. 0.4 for 40 %; it must be above 0 and at most 1.")
        }
        let days = try query.int("days", in: 1...3660) ?? 90
        return PredictionOptions(horizonMonths: horizon, monthlyDiscountRate: discount, margin: margin, purchaseWindowDays: Double(days))
    }

    /// The largest `top` of the predictions list (0, every customer, only for the CSV download).
    static let maximumPredictionRows = 10_000

    /// Per-customer predictions as of `asOf` (default today) with `report`'s fit, ranked by `sort` (`clv`,
    /// `alive`, `next`), the first `top` (default 20; `allowAll`: 0 lists every customer), as `clientele
    /// predict` computes them with a saved fit.
    public func predictions(_ report: FitReport, allowAll: Bool = false) throws -> PredictionList {
        let options = try predictionOptions()
        let sort = try query.choice("sort", PredictionSort.self) ?? .clv
        let top = try query.int("top", in: (allowAll ? 0 : 1)...Self.maximumPredictionRows) ?? 20
        let asOf = try asOf()
        let summaries: PurchaseSummaries
        do {
            summaries = try PurchaseSummaries.compute(snapshot: snapshot, calibrationEnd: asOf, unit: report.fit.unit,
                                                      minorUnitsPerMajor: state.currency.minorUnitsPerMajor)
        } catch {
            throw APIError.unprocessable("\(error.description) (predictions as of \(asOf))")
        }
        let predictions = CustomerPredictions.compute(summaries: summaries, fit: report.fit, spend: report.spend, options: options)
        let s = snapshot
        return PredictionList.compute(predictions: predictions, summaries: summaries, sort: sort, top: top,
                                      currencyCode: state.currency.code, currencyDigits: state.currency.minorDigits) {
            s.customerKey($0)
        }
    }

    /// `context` with every customer's predicted values when `filter` uses a predicted field (`p_alive`,
    /// `predicted_clv`, `expected_purchases`, `next_order`), from the server's default fit as `clientele audience`
    /// computes them from a saved fit (`clientele predict`'s defaults: 90 days, 12 months at 1 % a month, no
    /// margin); unchanged otherwise. A 422 says why when no model (or, for `predicted_clv`, no spend model)
    /// can be fitted.
    public func withPredictions(_ context: AudienceContext, for filter: AudienceFilter) async throws -> AudienceContext {
        guard filter.usesPredictions, context.predictions == nil, let fits = state.fits else { return context }
        let fields = filter.fieldNames.filter(AudienceField.predictionFields.contains)
        let what = "The field\(fields.count == 1 ? "" : "s") \(fields.joined(separator: ", ")) \(fields.count == 1 ? "needs" : "need") the predictive model"
        let report: FitReport
        switch await fits.fit(FitRequest(), state: state, today: today) {
        case .success(let r): report = r
        case .failure(let error): throw APIError.unprocessable("\(what), which cannot be fitted for this shop: \(error.description)")
        }
        if fields.contains("predicted_clv") && report.spend == nil {
            throw APIError.unprocessable("predicted_clv needs the spend model, which could not be fitted for this shop (see the Predictions page).")
        }
        var ctx = context
        ctx.predictions = try predictedValues(report, asOf: context.asOf)
        return ctx
    }

    /// Every customer's predicted values as of `asOf` with `report`'s fit, as `clientele audience` computes
    /// them (AudienceSupport.predictedValues): CLV rounded to the minor unit.
    func predictedValues(_ report: FitReport, asOf: ShopDate) throws -> PredictedValues {
        do {
            return try PredictedValues.compute(snapshot: snapshot, asOf: asOf, fit: report.fit, spend: report.spend, currency: state.currency)
        } catch {
            throw APIError.unprocessable("\(error.description) (predicted values as of \(asOf))")
        }
    }

    /// Customer `c`'s prediction as of `asOf` with `report`'s fit and `clientele predict`'s default options; nil
    /// without an order up to `asOf`. The customer's orders go through the same summaries and predictions as the
    /// whole shop's (as plain transactions of one customer), so the figures equal the shop-wide computation's.
    public func prediction(ofCustomer c: Int, asOf: ShopDate, report: FitReport) -> CustomerPrediction? {
        let s = snapshot
        let transactions = s.orders(ofCustomer: c).map {
            Transaction(customer: "c", date: ShopDate(dayNumber: Int(s.orderDay[$0])), amountMinorUnits: s.orderTotal[$0])
        }
        guard !transactions.isEmpty,
              let summaries = try? PurchaseSummaries.compute(transactions: transactions, calibrationEnd: asOf, unit: report.fit.unit,
                                                             minorUnitsPerMajor: state.currency.minorUnitsPerMajor) else { return nil }
        return CustomerPredictions.compute(summaries: summaries, fit: report.fit, spend: report.spend).customers.first ?? nil
    }
}
