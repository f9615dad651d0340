import RealModule

extension RepeatPurchaseModel {
    /// The fewest repeat customers a fit accepts: below this the drop-out process is not identified.
    public static let minimumRepeatCustomers = 20

    /// Fits the model to the included customers of `summaries` by maximum likelihood (METRICS.md, "Predictive
    /// models"): BFGS on the log-parameters with the analytic gradient, then Newton steps; identical
    /// (x, tₓ, T) triples are evaluated once with their count as weight. Throws `FitError` for thin data, a
    /// run that does not converge, or parameters that run off to 0 or infinity.
    public func fit(_ summaries: PurchaseSummaries) throws(FitError) -> RepeatPurchaseFit {
        let data = try RepeatData(summaries)
        if data.repeatCustomers < RepeatPurchaseModel.minimumRepeatCustomers {
            throw FitError(.tooFewCustomers, "Only \(data.repeatCustomers) customer\(data.repeatCustomers == 1 ? "" : "s") bought again before \(summaries.calibrationEnd) (of \(data.customers)); \(displayName) needs at least \(RepeatPurchaseModel.minimumRepeatCustomers) repeat customers to be fitted. Use a later calibration end or more data.")
        }
        // Start: r = 1 and α from the mean purchase rate (so days and weeks start alike), a = b = 1.
        let meanRate = max(data.meanFrequency, 0.05) / max(data.meanAge, 1e-9)
        let start = [0, Double.log(1 / meanRate), 0, 0]
        let model = self
        let result = Optimizer().minimize(start: start) { theta, gradient in
            data.negativeMeanLogLikelihood(model: model, logParameters: theta, gradient: &gradient)
        }
        let values = result.x.map { Double.exp($0) }
        let names = ["r", "α", "a", "b"]
        for (i, v) in result.x.enumerated() where abs(v) > 18 {
            throw FitError(.degenerate, "The \(displayName) fit did not settle: parameter \(names[i]) ran off to \(values[i]) (the data cannot pin it down). Try a longer calibration period or more customers.")
        }
        guard result.converged, result.value.isFinite else {
            throw FitError(.notConverged, "The \(displayName) fit did not converge after \(result.iterations) iterations (largest gradient component \(result.gradient.map(abs).max() ?? .nan)). Try a longer calibration period or more customers.")
        }
        let diagnostics = FitDiagnostics(
            iterations: result.iterations, logLikelihood: -result.value * data.totalWeight,
            gradientNorm: result.gradient.map(abs).max() ?? 0,
            standardErrors: standardErrors(result.hessian, values: values, count: data.totalWeight))
        return RepeatPurchaseFit(model: self, unit: summaries.unit,
                                 parameters: RepeatPurchaseParameters(r: values[0], alpha: values[1], a: values[2], b: values[3]),
                                 diagnostics: diagnostics, customers: data.customers, repeatCustomers: data.repeatCustomers)
    }

    /// The log-likelihood of `parameters` over the included customers of `summaries` (summed).
    public func logLikelihood(_ parameters: RepeatPurchaseParameters, _ summaries: PurchaseSummaries) throws(FitError) -> Double {
        let data = try RepeatData(summaries)
        var gradient = [0.0, 0, 0, 0]
        let theta = [parameters.r, parameters.alpha, parameters.a, parameters.b].map { Double.log($0) }
        return -data.negativeMeanLogLikelihood(model: self, logParameters: theta, gradient: &gradient) * data.totalWeight
    }
}

/// Standard errors of `values` from the Hessian of the mean negative log-likelihood in the log-parameters:
/// Cov(log θ) = (N H)⁻¹, SE(θᵢ) = θᵢ √Cov(log θ)ᵢᵢ (delta method).
func standardErrors(_ hessian: [[Double]]?, values: [Double], count: Double) -> [Double]? {
    guard let hessian, let inv = Optimizer().inverse(hessian.map { $0.map { $0 * count } }) else { return nil }
    var out: [Double] = []
    for i in values.indices {
        guard inv[i][i] > 0, inv[i][i].isFinite else { return nil }
        out.append(values[i] * inv[i][i].squareRoot())
    }
    return out
}

/// The customers' (x, tₓ, T) compressed: identical triples once with a weight, grouped by x (the terms that
/// depend on x alone are evaluated once per distinct x).
struct RepeatData: Sendable {
    /// Distinct frequencies, ascending.
    var xs: [Double] = []
    /// Customers per distinct frequency.
    var xWeight: [Double] = []
    /// `groupStart[g] ..< groupStart[g + 1]` are the triples with frequency `xs[g]`.
    var groupStart: [Int] = [0]
    /// Recency of each distinct triple.
    var recency: [Double] = []
    /// T of each distinct triple.
    var age: [Double] = []
    /// Customers with each distinct triple.
    var weight: [Double] = []
    /// Recency of each distinct triple in whole days (the index into the per-evaluation tables).
    var recencyDay: [Int32] = []
    /// T of each distinct triple in whole days.
    var ageDay: [Int32] = []
    /// The largest T in days (the tables' last index).
    var maxDay = 0
    /// Days per time unit.
    var unitDays = 1.0
    var customers = 0
    var repeatCustomers = 0
    var totalWeight: Double { Double(customers) }
    var meanFrequency = 0.0
    var meanAge = 0.0

    init(_ s: PurchaseSummaries) throws(FitError) {
        var keys: [UInt64] = []
        keys.reserveCapacity(s.customerCount)
        var sumX = 0.0, sumT = 0.0
        for c in 0..<s.customerCount where s.isIncluded(c) {
            let x = UInt64(s.frequency[c]), tx = UInt64(s.recencyDays[c]), t = UInt64(s.ageDays[c])
            guard x < 1 << 20, tx < 1 << 22, t < 1 << 22 else {
                throw FitError(.invalidInput, "A customer's history is too long to fit (over 11,000 years or a million repeat purchase days).")
            }
            keys.append(x << 44 | tx << 22 | t)
            sumX += Double(x)
            sumT += Double(t)
            if x > 0 { repeatCustomers += 1 }
        }
        customers = keys.count
        guard customers > 0 else {
            throw FitError(.tooFewCustomers, "No customer bought on or before \(s.calibrationEnd); there is nothing to fit.")
        }
        meanFrequency = sumX / Double(customers)
        meanAge = sumT / Double(customers) / s.unit.days
        keys.sort()
        let unitDays = s.unit.days
        self.unitDays = unitDays
        var i = 0
        while i < keys.count {
            let k = keys[i]
            var j = i + 1
            while j < keys.count && keys[j] == k { j += 1 }
            let x = Double(k >> 44)
            if xs.last != x {
                if !xs.isEmpty { groupStart.append(weight.count) }
                xs.append(x)
                xWeight.append(0)
            }
            xWeight[xWeight.count - 1] += Double(j - i)
            recency.append(Double((k >> 22) & 0x3F_FFFF) / unitDays)
            age.append(Double(k & 0x3F_FFFF) / unitDays)
            recencyDay.append(Int32((k >> 22) & 0x3F_FFFF))
            ageDay.append(Int32(k & 0x3F_FFFF))
            maxDay = max(maxDay, Int(k & 0x3F_FFFF))
            weight.append(Double(j - i))
            i = j
        }
        groupStart.append(weight.count)
    }

    /// −(1/N) Σ log-likelihood at exp(`logParameters`) = (r, α, a, b), and its gradient in the log-parameters.
    /// Per customer, with k = 0 (BG/NBD) or 1 (MBG/NBD):
    /// ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+k) − ln B(a, b) + ln[(α+T)^−(r+x) + δ a/(b+x+k−1) (α+tₓ)^−(r+x)],
    /// δ = 1 when x > 0 or k = 1; the last term by log-sum-exp.
    func negativeMeanLogLikelihood(model: RepeatPurchaseModel, logParameters theta: [Double], gradient: inout [Double]) -> Double {
        let r = Double.exp(theta[0]), alpha = Double.exp(theta[1]), a = Double.exp(theta[2]), b = Double.exp(theta[3])
        guard r.isFinite, alpha.isFinite, a.isFinite, b.isFinite, r > 0, alpha > 0, a > 0, b > 0 else { return .infinity }
        let k = model.offset
        let lnAlpha = Double.log(alpha), lnA = Double.log(a)
        let lgR = ClientelePrediction.logGamma(r), lgB = ClientelePrediction.logGamma(b), lgAB = ClientelePrediction.logGamma(a + b)
        let psiR = ClientelePrediction.digamma(r), psiB = ClientelePrediction.digamma(b), psiAB = ClientelePrediction.digamma(a + b)
        var ll = 0.0, gr = 0.0, gAlpha = 0.0, ga = 0.0, gb = 0.0
        // Recency and T are whole days (at most a few thousand distinct values), so ln(α + t) and 1/(α + t) are
        // tabulated once per evaluation instead of computed per distinct triple (the same expressions, so the
        // same values bit for bit).
        var lnTable = [Double](repeating: 0, count: maxDay + 1)
        var invTable = [Double](repeating: 0, count: maxDay + 1)
        for d in 0...maxDay {
            let e = alpha + Double(d) / unitDays
            lnTable[d] = Double.log(e)
            invTable[d] = 1 / e
        }
        lnTable.withUnsafeBufferPointer { lnE in
        invTable.withUnsafeBufferPointer { invE in
        recencyDay.withUnsafeBufferPointer { recency in
        ageDay.withUnsafeBufferPointer { age in
        weight.withUnsafeBufferPointer { weight in
            for g in xs.indices {
                let x = xs[g], w = xWeight[g]
                let bx = b + x + k, abx = a + b + x + k
                let lgBX = ClientelePrediction.logGamma(bx), lgABX = ClientelePrediction.logGamma(abx)
                let psiABX = ClientelePrediction.digamma(abx)
                let fixed = ClientelePrediction.logGamma(r + x) - lgR + r * lnAlpha + lgBX - lgABX - lgB + lgAB
                ll += w * fixed
                gr += w * (ClientelePrediction.digamma(r + x) - psiR + lnAlpha)
                gAlpha += w * r / alpha
                ga += w * (psiAB - psiABX)
                gb += w * (ClientelePrediction.digamma(bx) - psiABX - psiB + psiAB)
                let s = r + x
                let lo = groupStart[g], hi = groupStart[g + 1]
                if x > 0 || k > 0 {
                    let dropTerm = bx - 1
                    let c2 = lnA - Double.log(dropTerm)
                    var sLL = 0.0, sR = 0.0, sAlpha = 0.0, sW2 = 0.0
                    for i in lo..<hi {
                        let wi = weight[i]
                        let t1 = Int(age[i]), t2 = Int(recency[i])
                        let l1 = lnE[t1], l2 = lnE[t2]
                        let b1 = -s * l1, b2 = c2 - s * l2
                        // log(e^b1 + e^b2) and the shares w1, w2 of the two terms.
                        let d = b2 - b1
                        let w2: Double, lse: Double
                        if d > 0 {
                            let q = Double.exp(-d)
                            lse = b2 + Double.log(1 + q)   // q ≤ 1: ln(1 + q) is exact to 1e-16 absolute
                            w2 = 1 / (1 + q)
                        } else {
                            let q = Double.exp(d)
                            lse = b1 + Double.log(1 + q)
                            w2 = q / (1 + q)
                        }
                        let w1 = 1 - w2
                        sLL += wi * lse
                        sR += wi * (w1 * l1 + w2 * l2)
                        sAlpha += wi * (w1 * invE[t1] + w2 * invE[t2])
                        sW2 += wi * w2
                    }
                    ll += sLL
                    gr -= sR
                    gAlpha -= s * sAlpha
                    ga += sW2 / a
                    gb -= sW2 / dropTerm
                } else {
                    var sL = 0.0, sInv = 0.0
                    for i in lo..<hi {
                        let wi = weight[i]
                        let t1 = Int(age[i])
                        sL += wi * lnE[t1]
                        sInv += wi * invE[t1]
                    }
                    ll -= s * sL
                    gr -= sL
                    gAlpha -= s * sInv
                }
            }
        }}}}}
        let n = totalWeight
        // Chain rule to the log-parameters, sign flip, mean.
        gradient[0] = -gr * r / n
        gradient[1] = -gAlpha * alpha / n
        gradient[2] = -ga * a / n
        gradient[3] = -gb * b / n
        let value = -ll / n
        return value.isFinite ? value : .infinity
    }
}
