import ClienteleCore

extension PredictedValues {
    /// Every customer's predicted values as of `asOf` from a fitted model, with `clientele predict`'s default
    /// options (expected purchases in the next 90 days, CLV over 12 months at 1 % a month, no margin): what
    /// audience filters on predicted fields read, in the CLI and the dashboard alike. CLV is rounded to the
    /// minor unit (halves away from zero); a CLV too large for 64 bits is left out.
    public static func compute(snapshot: ShopSnapshot, asOf: ShopDate, fit: RepeatPurchaseFit, spend: GammaGammaFit?,
                               currency: Currency) throws(FitError) -> PredictedValues {
        let options = PredictionOptions()
        let summaries = try PurchaseSummaries.compute(snapshot: snapshot, calibrationEnd: asOf, unit: fit.unit,
                                                      minorUnitsPerMajor: currency.minorUnitsPerMajor)
        let predictions = CustomerPredictions.compute(summaries: summaries, fit: fit, spend: spend, options: options)
        var out = PredictedValues(asOf: asOf, customerCount: snapshot.customerCount, purchaseWindowDays: Int(options.purchaseWindowDays))
        let perMajor = Double(currency.minorUnitsPerMajor)
        for (c, p) in predictions.customers.enumerated() {
            guard let p else { continue }
            let clv = p.clv.flatMap { v -> Int64? in
                let minor = (v * perMajor).rounded(.toNearestOrAwayFromZero)
                return minor.isFinite && abs(minor) < 9e18 ? Int64(minor) : nil
            }
            out.set(customer: c, probabilityAlive: p.probabilityAlive, expectedPurchases: p.expectedPurchases,
                    clvMinorUnits: clv, nextOrder: p.nextOrderDate)
        }
        return out
    }
}
