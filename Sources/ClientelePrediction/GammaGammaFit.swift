import RealModule

/// The Gamma-Gamma parameters (Fader & Hardie 2013): a purchase's value is Gamma(p, ν), and ν varies over
/// customers as Gamma(q, γ); γ is in the amounts' major currency units.
public struct GammaGammaParameters: Sendable, Hashable, Codable {
    /// Shape of a purchase's value given the customer.
    public var p: Double
    /// Shape of the customers' scale distribution.
    public var q: Double
    /// Rate of the customers' scale distribution (major currency units).
    public var gamma: Double

    /// Parameters p, q, γ.
    public init(p: Double, q: Double, gamma: Double) {
        self.p = p
        self.q = q
        self.gamma = gamma
    }
}

/// A fitted Gamma-Gamma spend model (METRICS.md, "Predictive models"), on the repeat customers' mean repeat spend.
public struct GammaGammaFit: Sendable, Hashable {
    /// The maximum-likelihood parameters.
    public var parameters: GammaGammaParameters
    /// How the fit ended.
    public var diagnostics: FitDiagnostics
    /// Repeat customers fitted on.
    public var customers: Int
    /// Pearson correlation of frequency and mean repeat spend over those customers: the model assumes the two
    /// are independent; |ρ| above 0.3 is a reason for doubt. Nil when either does not vary.
    public var frequencySpendCorrelation: Double?

    /// A fit with the given parameters (e.g. read back from a file).
    public init(parameters: GammaGammaParameters, diagnostics: FitDiagnostics, customers: Int, frequencySpendCorrelation: Double?) {
        self.parameters = parameters
        self.diagnostics = diagnostics
        self.customers = customers
        self.frequencySpendCorrelation = frequencySpendCorrelation
    }

    /// The population's mean value of a purchase, pγ/(q − 1).
    public var populationMeanSpend: Double { parameters.p * parameters.gamma / (parameters.q - 1) }

    /// Expected value of a customer's future purchase (a purchase day's total) given x repeat purchase days
    /// with mean value `meanSpend`: p(γ + x z̄)/(px + q − 1); the population mean for x = 0.
    @inline(__always)
    public func expectedAverageSpend(frequency x: Int, meanSpend: Double?) -> Double {
        let p = parameters
        guard x > 0, let z = meanSpend else { return populationMeanSpend }
        let xd = Double(x)
        return p.p * (p.gamma + xd * z) / (p.p * xd + p.q - 1)
    }

    /// Fits Gamma-Gamma by maximum likelihood to the customers of `summaries` with at least one repeat purchase
    /// day. Throws `FitError` for fewer than 20 such customers, a zero or negative mean repeat spend, q ≤ 1 (an
    /// infinite mean spend) or a run that does not converge.
    public static func fit(_ summaries: PurchaseSummaries) throws(FitError) -> GammaGammaFit {
        let data = try SpendData(summaries)
        // Fitted on spend ÷ its mean (so γ's scale does not depend on the currency), then scaled back:
        // γ = scale × γ′ and the log-likelihood gains −N ln(scale).
        let start = [0, Double.log(2), 0]
        let result = Optimizer().minimize(start: start) { theta, gradient in
            data.negativeMeanLogLikelihood(logParameters: theta, gradient: &gradient)
        }
        var values = result.x.map { Double.exp($0) }
        values[2] *= data.scale
        let names = ["p", "q", "γ"]
        for (i, v) in result.x.enumerated() where abs(v) > 18 {
            throw FitError(.degenerate, "The Gamma-Gamma fit did not settle: parameter \(names[i]) ran off to \(values[i]) (the spend data cannot pin it down).")
        }
        guard result.converged, result.value.isFinite else {
            throw FitError(.notConverged, "The Gamma-Gamma fit did not converge after \(result.iterations) iterations (largest gradient component \(result.gradient.map(abs).max() ?? .nan)).")
        }
        if values[1] <= 1 {
            throw FitError(.infiniteMeanSpend, "The Gamma-Gamma fit gives q = \(values[1]) ≤ 1, which means an infinite expected spend per purchase: the spend data are too heavy-tailed (a few very large purchases?) for this model, so no spend or CLV prediction is made.")
        }
        let diagnostics = FitDiagnostics(
            iterations: result.iterations,
            logLikelihood: -result.value * data.totalWeight - data.totalWeight * Double.log(data.scale),
            gradientNorm: result.gradient.map(abs).max() ?? 0,
            standardErrors: standardErrors(result.hessian, values: values, count: data.totalWeight))
        return GammaGammaFit(parameters: GammaGammaParameters(p: values[0], q: values[1], gamma: values[2]),
                             diagnostics: diagnostics, customers: data.customers, frequencySpendCorrelation: data.correlation)
    }
}

/// The repeat customers' (x, z̄) grouped by x, identical pairs once with a weight.
struct SpendData: Sendable {
    /// Distinct frequencies, ascending.
    var xs: [Double] = []
    /// Customers per distinct frequency.
    var xWeight: [Double] = []
    /// Σ over the group's customers of ln z̄.
    var xLogSpend: [Double] = []
    /// `groupStart[g] ..< groupStart[g + 1]` are the pairs with frequency `xs[g]`.
    var groupStart: [Int] = [0]
    /// x z̄ (the sum of the repeat purchases' values) of each distinct pair.
    var total: [Double] = []
    /// Customers with each distinct pair.
    var weight: [Double] = []
    var customers = 0
    var totalWeight: Double { Double(customers) }
    var meanSpend = 0.0
    /// The spend unit of the fit: the mean of z̄ (totals and log-spends are stored divided by it).
    var scale = 1.0
    var correlation: Double?

    init(_ s: PurchaseSummaries) throws(FitError) {
        var keys: [(x: Int32, spend: Int64)] = []
        for c in 0..<s.customerCount where s.frequency[c] > 0 {
            let spend = s.repeatSpend[c]
            guard spend > 0 else {
                let who = s.customerKeys.isEmpty ? "" : " (customer \(s.customerKeys[c]))"
                throw FitError(.nonPositiveSpend, "A repeat customer\(who) has a mean repeat spend of \(Double(spend) / Double(s.minorUnitsPerMajor)); Gamma-Gamma needs every repeat customer's spend to be positive. Remove zero-value and refund rows, or fit without spend.")
            }
            keys.append((s.frequency[c], spend))
        }
        customers = keys.count
        if customers < RepeatPurchaseModel.minimumRepeatCustomers {
            throw FitError(.tooFewCustomers, "Only \(customers) customer\(customers == 1 ? "" : "s") bought again before \(s.calibrationEnd); Gamma-Gamma needs at least \(RepeatPurchaseModel.minimumRepeatCustomers) repeat customers to be fitted.")
        }
        keys.sort { $0.x != $1.x ? $0.x < $1.x : $0.spend < $1.spend }
        let minorPerMajor = Double(s.minorUnitsPerMajor)
        var sx = 0.0, sz = 0.0, sxx = 0.0, szz = 0.0, sxz = 0.0
        var i = 0
        while i < keys.count {
            let k = keys[i]
            var j = i + 1
            while j < keys.count && keys[j] == k { j += 1 }
            let x = Double(k.x), sum = Double(k.spend) / minorPerMajor, z = sum / x, w = Double(j - i)
            if xs.last != x {
                if !xs.isEmpty { groupStart.append(weight.count) }
                xs.append(x)
                xWeight.append(0)
                xLogSpend.append(0)
            }
            xWeight[xWeight.count - 1] += w
            xLogSpend[xLogSpend.count - 1] += w * Double.log(z)
            total.append(sum)
            weight.append(w)
            sx += w * x; sz += w * z; sxx += w * x * x; szz += w * z * z; sxz += w * x * z
            i = j
        }
        groupStart.append(weight.count)
        let n = Double(customers)
        meanSpend = sz / n
        scale = meanSpend
        let logScale = Double.log(scale)
        for i in total.indices { total[i] /= scale }
        for g in xLogSpend.indices { xLogSpend[g] -= xWeight[g] * logScale }
        let vx = sxx / n - (sx / n) * (sx / n), vz = szz / n - meanSpend * meanSpend
        correlation = vx > 1e-12 && vz > 1e-12 ? (sxz / n - sx / n * meanSpend) / (vx * vz).squareRoot() : nil
    }

    /// −(1/N) Σ log-likelihood at exp(`logParameters`) = (p, q, γ), and its gradient in the log-parameters:
    /// ℓ = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
    func negativeMeanLogLikelihood(logParameters theta: [Double], gradient: inout [Double]) -> Double {
        let p = Double.exp(theta[0]), q = Double.exp(theta[1]), gamma = Double.exp(theta[2])
        guard p.isFinite, q.isFinite, gamma.isFinite, p > 0, q > 0, gamma > 0 else { return .infinity }
        let lnGamma = Double.log(gamma)
        let lgQ = ClientelePrediction.logGamma(q), psiQ = ClientelePrediction.digamma(q)
        var ll = 0.0, gp = 0.0, gq = 0.0, gg = 0.0
        total.withUnsafeBufferPointer { total in
        weight.withUnsafeBufferPointer { weight in
            for g in xs.indices {
                let x = xs[g], w = xWeight[g], px = p * x, lnX = Double.log(x)
                let psiPXQ = ClientelePrediction.digamma(px + q), psiPX = ClientelePrediction.digamma(px)
                ll += w * (ClientelePrediction.logGamma(px + q) - ClientelePrediction.logGamma(px) - lgQ + q * lnGamma + px * lnX)
                    + (px - 1) * xLogSpend[g]
                gp += w * x * (psiPXQ - psiPX + lnX) + x * xLogSpend[g]
                gq += w * (psiPXQ - psiQ + lnGamma)
                gg += w * q / gamma
                var sLog = 0.0, sInv = 0.0
                for i in groupStart[g]..<groupStart[g + 1] {
                    let e = gamma + total[i]
                    sLog += weight[i] * Double.log(e)
                    sInv += weight[i] / e
                }
                ll -= (px + q) * sLog
                gp -= x * sLog
                gq -= sLog
                gg -= (px + q) * sInv
            }
        }}
        let n = totalWeight
        gradient[0] = -gp * p / n
        gradient[1] = -gq * q / n
        gradient[2] = -gg * gamma / n
        let value = -ll / n
        return value.isFinite ? value : .infinity
    }
}
