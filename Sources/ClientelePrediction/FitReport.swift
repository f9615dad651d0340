import ClienteleCore

/// What `clientele fit` shows and stores: the repeat-purchase fit, the spend fit (or why there is none), the
/// data range and the holdout validation (METRICS.md, "Predictive models").
public struct FitReport: Sendable {
    /// Where the data came from (a database path or a transactions file), for the reader.
    public var source: String
    /// The day the fit was made.
    public var fittedOn: ShopDate
    /// The earliest first purchase in the calibration data.
    public var firstPurchase: ShopDate
    /// The calibration end `D`.
    public var calibrationEnd: ShopDate
    /// The holdout end, nil without a holdout.
    public var holdoutEnd: ShopDate?
    /// The repeat-purchase fit.
    public var fit: RepeatPurchaseFit
    /// The spend fit; nil when it failed (see `spendError`).
    public var spend: GammaGammaFit?
    /// Why there is no spend fit.
    public var spendError: FitError?
    /// Predicted vs actual in the holdout, by frequency, and the tracking curve.
    public var validation: HoldoutValidation
    /// The amounts' currency code ("" when unknown, e.g. a transactions file).
    public var currencyCode: String
    /// An opaque version of the data fitted on (the snapshot's source version), "" when unknown.
    public var sourceVersion: String

    /// Fits `model` and Gamma-Gamma to `summaries` and validates on its holdout. A spend fit that fails is
    /// reported in `spendError`, not thrown: the purchase predictions stand without it.
    public static func compute(summaries: PurchaseSummaries, model: RepeatPurchaseModel, source: String, fittedOn: ShopDate,
                               currencyCode: String = "", sourceVersion: String = "") throws(FitError) -> FitReport {
        let fit = try model.fit(summaries)
        var spend: GammaGammaFit?
        var spendError: FitError?
        do { spend = try GammaGammaFit.fit(summaries) } catch { spendError = error }
        return FitReport(source: source, fittedOn: fittedOn, firstPurchase: summaries.firstDay,
                         calibrationEnd: summaries.calibrationEnd, holdoutEnd: summaries.holdoutEnd, fit: fit,
                         spend: spend, spendError: spendError,
                         validation: HoldoutValidation.compute(fit: fit, summaries: summaries),
                         currencyCode: currencyCode, sourceVersion: sourceVersion)
    }
}

extension FitReport {
    /// The report as JSON text (the shape of `jsonValue`).
    public func json() -> String { jsonValue.rendered() }

    /// The report as ordered JSON: model, unit, customers, parameters, log-likelihood, Gamma-Gamma, holdout,
    /// tracking; numbers as numbers, a missing figure as `null`.
    public var jsonValue: JSONValue {
        let p = fit.parameters
        let se = fit.diagnostics.standardErrors
        var members: [(String, JSONValue)] = [
            ("model", .string(fit.model.rawValue)),
            ("unit", .string(fit.unit.rawValue)),
            ("customers", .int(fit.customers)),
            ("repeatCustomers", .int(fit.repeatCustomers)),
            ("parameters", .object([("r", .double(p.r)), ("alpha", .double(p.alpha)), ("a", .double(p.a)), ("b", .double(p.b))])),
            ("standardErrors", se.map { se in
                .object([("r", .double(se[0])), ("alpha", .double(se[1])), ("a", .double(se[2])), ("b", .double(se[3]))])
            } ?? .null),
            ("logLikelihood", .double(fit.diagnostics.logLikelihood)),
            ("diagnostics", .object([("iterations", .int(fit.diagnostics.iterations)),
                                     ("gradientNorm", .double(fit.diagnostics.gradientNorm))])),
            ("data", .object([
                ("source", .string(source)),
                ("firstPurchase", .string(firstPurchase.description)),
                ("calibrationEnd", .string(calibrationEnd.description)),
                ("holdoutEnd", .string(holdoutEnd?.description)),
                ("currency", .string(currencyCode.isEmpty ? nil : currencyCode)),
                ("sourceVersion", .string(sourceVersion.isEmpty ? nil : sourceVersion)),
            ])),
            ("fittedOn", .string(fittedOn.description)),
        ]
        if let g = spend {
            let gse = g.diagnostics.standardErrors
            members.append(("gammaGamma", .object([
                ("p", .double(g.parameters.p)), ("q", .double(g.parameters.q)), ("gamma", .double(g.parameters.gamma)),
                ("customers", .int(g.customers)),
                ("standardErrors", gse.map { .object([("p", .double($0[0])), ("q", .double($0[1])), ("gamma", .double($0[2]))]) } ?? .null),
                ("logLikelihood", .double(g.diagnostics.logLikelihood)),
                ("iterations", .int(g.diagnostics.iterations)),
                ("gradientNorm", .double(g.diagnostics.gradientNorm)),
                ("populationMeanSpend", .double(g.populationMeanSpend)),
                ("frequencySpendCorrelation", .double(g.frequencySpendCorrelation)),
            ])))
        } else {
            members.append(("gammaGamma", .null))
        }
        members.append(("gammaGammaError", spendError.map { .object([("code", .string($0.code.rawValue)), ("message", .string($0.description))]) } ?? .null))
        let v = validation
        members.append(("holdout", holdoutEnd == nil ? .null : .object([
            ("from", .string(calibrationEnd.adding(days: 1).description)),
            ("to", .string(holdoutEnd?.description)),
            ("length", .double(v.holdoutLength)),
            ("predicted", .double(PlainText.rounded(v.predicted, 4))),
            ("actual", .int(v.actual)),
            ("buckets", .array(v.buckets.map { b in
                .object([("frequency", .string(b.label)), ("customers", .int(b.customers)),
                         ("predicted", .double(PlainText.rounded(b.predicted, 4))), ("actual", .int(b.actual))])
            })),
        ])))
        members.append(("tracking", .array(v.tracking.map { t in
            .object([("date", .string(t.date.description)), ("week", .double(PlainText.rounded(t.week, 4))),
                     ("actual", .int(t.actual)), ("predicted", .double(PlainText.rounded(t.predicted, 4)))])
        })))
        return .object(members)
    }

    /// The report for people: the parameters with their standard errors, the spend model, the holdout
    /// comparison by calibration frequency and the weekly tracking curve (every k-th week beyond 60 rows).
    public func table() -> String {
        let f = fit, d = fit.diagnostics, p = fit.parameters
        var out: [String] = []
        out.append("\(f.model.displayName) fitted on \(f.customers) customers (\(f.repeatCustomers) bought again) from \(PlainText.printable(source))")
        out.append("Data: first purchases from \(firstPurchase), calibration to \(calibrationEnd)"
                   + (holdoutEnd.map { ", holdout to \($0) (\(PlainText.fixed(validation.holdoutLength, 2)) \(f.unit.rawValue))" } ?? ", no holdout")
                   + "; time unit: \(f.unit.rawValue)")
        out.append("Fitted \(fittedOn): \(d.iterations) iterations, log-likelihood \(PlainText.fixed(d.logLikelihood, 2)), largest gradient component \(d.gradientNorm)")
        out.append("")
        let se = d.standardErrors
        let rows: [[String]] = [("r", p.r), ("α (\(f.unit.rawValue))", p.alpha), ("a", p.a), ("b", p.b)].enumerated().map { i, e in
            [e.0, PlainText.parameter(e.1), se.map { PlainText.parameter($0[i]) } ?? "–"]
        }
        out += PlainText.table(["Parameter", "Value", "Std. error"], right: [false, true, true], rows)
        out.append("")
        if let g = spend {
            let cur = currencyCode.isEmpty ? "" : " " + currencyCode
            out.append("Spend (Gamma-Gamma on \(g.customers) repeat customers): p \(PlainText.parameter(g.parameters.p)), q \(PlainText.parameter(g.parameters.q)), γ \(PlainText.parameter(g.parameters.gamma)); mean value of a purchase day \(PlainText.fixed(g.populationMeanSpend, 2))\(cur)")
            if let rho = g.frequencySpendCorrelation {
                out.append("Frequency–spend correlation \(PlainText.fixed(rho, 2))" + (abs(rho) > 0.3 ? ": high — the spend model assumes independence, treat CLV with care." : " (the spend model assumes it is near 0)."))
            }
        } else if let e = spendError {
            out.append("No spend model: \(e.description)")
        }
        if holdoutEnd != nil {
            let v = validation
            let diff = v.actual == 0 ? nil : (v.predicted - Double(v.actual)) / Double(v.actual)
            out.append("")
            out.append("Holdout \(calibrationEnd.adding(days: 1)) … \(holdoutEnd!): predicted \(PlainText.fixed(v.predicted, 1)) repeat purchase days, actual \(v.actual)"
                       + (diff.map { " (predicted − actual: \(PlainText.fixed($0 * 100, 1)) %)" } ?? ""))
            out.append("")
            out += PlainText.table(["Repeat days to \(calibrationEnd)", "Customers", "Predicted", "Actual", "Predicted/customer", "Actual/customer"],
                                   right: [false, true, true, true, true, true],
                                   v.buckets.map { b in
                [b.label, String(b.customers), PlainText.fixed(b.predicted, 1), String(b.actual),
                 b.predictedPerCustomer.map { PlainText.fixed($0, 3) } ?? "–", b.actualPerCustomer.map { PlainText.fixed($0, 3) } ?? "–"]
            })
        }
        let points = validation.tracking
        if !points.isEmpty {
            let every = max(1, (points.count + 59) / 60)
            out.append("")
            out.append("Cumulative repeat purchase days since \(firstPurchase)" + (every > 1 ? " (every \(every) weeks)" : "") + ":")
            var rows: [[String]] = []
            for (i, t) in points.enumerated() where i % every == every - 1 || i == points.count - 1 || t.date == calibrationEnd {
                let mark = t.date == calibrationEnd ? " ← calibration end" : ""

                rows.append([PlainText.fixed(t.week, t.week == t.week.rounded() ? 0 : 1), t.date.description, String(t.actual), PlainText.fixed(t.predicted, 1) + mark])
            }
            out += PlainText.table(["Week", "To", "Actual", "Predicted"], right: [true, false, true, false], rows)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
