import ClienteleCore
@testable import ClientelePrediction
import Foundation
import Testing

/// Per-customer formulas against the independent quadrature of the models' definitions (Quadrature.swift).
@Suite struct PredictionTests {
    static let cases: [(x: Int, tx: Double, T: Double, t: Double)] = [
        (0, 0, 38.86, 39), (1, 1.71, 38.86, 39), (2, 30.43, 38.86, 39), (5, 20, 30, 39),
        (15, 35, 38, 39), (3, 37, 38.86, 200), (0, 0, 5, 300), (7, 10, 52, 10), (30, 50, 52, 52),
    ]
    static let parameterSets: [RepeatPurchaseParameters] = [
        CDNOW.bgnbd,                                                   // a < 1, weeks
        RepeatPurchaseParameters(r: 0.6, alpha: 12, a: 1.7, b: 3.2),   // a > 1
        RepeatPurchaseParameters(r: 2.5, alpha: 40, a: 0.35, b: 1.4),  // r > 1, small a
    ]

    static func fit(_ p: RepeatPurchaseParameters, _ model: RepeatPurchaseModel) -> RepeatPurchaseFit {
        RepeatPurchaseFit(model: model, unit: .weeks, parameters: p,
                          diagnostics: FitDiagnostics(iterations: 0, logLikelihood: 0, gradientNorm: 0, standardErrors: nil),
                          customers: 0, repeatCustomers: 0)
    }

    @Test(arguments: [RepeatPurchaseModel.bgnbd, .mbgnbd], [0, 1, 2])
    func probabilityAliveAndExpectedPurchasesMatchTheQuadratureOfTheDefinition(model: RepeatPurchaseModel, set: Int) {
        let par = Self.parameterSets[set]
        let fit = Self.fit(par, model)
        for c in Self.cases {
            let q = Quadrature.evaluate(par, model: model, t: c.t, x: c.x, recency: c.tx, age: c.T)
            let alive = fit.probabilityAlive(frequency: c.x, recency: c.tx, age: c.T)
            let expected = fit.expectedPurchases(c.t, frequency: c.x, recency: c.tx, age: c.T)
            #expect(abs(alive - q.alive) < 1e-7, "P(alive) \(model) set \(set) \(c): \(alive) vs \(q.alive)")
            #expect(abs(expected / q.expected - 1) < 1e-6, "E[Y] \(model) set \(set) \(c): \(expected) vs \(q.expected)")
        }
    }

    @Test func publishedCDNOWCustomerExpectations() {
        // Fader, Hardie & Lee (2005), section 5: with the published parameters, a customer with x = 2,
        // tₓ = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks (the paper's worked example);
        // the quadrature above gives the same to 1e-6.
        let fit = Self.fit(CDNOW.bgnbd, .bgnbd)
        let e = fit.expectedPurchases(39, frequency: 2, recency: 30.43, age: 38.86)
        #expect(abs(e - 1.226) < 0.001)
    }

    @Test func aOneTimeBuyerIsAliveForSureInBGNBDButNotInMBGNBD() throws {
        let bg = Self.fit(CDNOW.bgnbd, .bgnbd), mbg = Self.fit(CDNOW.bgnbd, .mbgnbd)
        #expect(bg.probabilityAlive(frequency: 0, recency: 0, age: 38.86) == 1)
        // MBG/NBD: 1 / (1 + a/b (α+T)/α)^r …: 1 / (1 + 0.793/2.426 × (43.274/4.414)^0.243) = 0.6613.
        let p = mbg.probabilityAlive(frequency: 0, recency: 0, age: 38.86)
        #expect(p < 1)
        #expect(abs(p - 1 / (1 + 0.793 / 2.426 * pow(43.274 / 4.414, 0.243))) < 1e-12)
        // Fitted on CDNOW, MBG/NBD also leaves a one-time buyer below 1, and its fit is a maximum.
        let fitted = try RepeatPurchaseModel.mbgnbd.fit(CDNOW.weekly)
        #expect(fitted.probabilityAlive(frequency: 0, recency: 0, age: 38.86) < 0.9)
        let f = fitted.parameters
        let values = [f.r, f.alpha, f.a, f.b]
        for i in 0..<4 {
            for factor in [0.99, 1.01] {
                var v = values
                v[i] *= factor
                let moved = try RepeatPurchaseModel.mbgnbd.logLikelihood(
                    RepeatPurchaseParameters(r: v[0], alpha: v[1], a: v[2], b: v[3]), CDNOW.weekly)
                #expect(moved < fitted.diagnostics.logLikelihood)
            }
        }
    }

    @Test func expectedRepeatPurchasesOfANewCustomerMatchTheQuadrature() {
        // A new customer is the case x = 0, tₓ = 0, T = 0 (then α + T = α); for MBG/NBD the unconditional
        // expectation also weighs in the drop-out right after the first purchase: b/(a+b) × the active case.
        for set in 0..<3 {
            let par = Self.parameterSets[set]
            for t in [1.0, 39, 78, 500] {
                let bg = Quadrature.evaluate(par, model: .bgnbd, t: t, x: 0, recency: 0, age: 0).expected
                #expect(abs(Self.fit(par, .bgnbd).expectedRepeatPurchases(t) / bg - 1) < 1e-6)
                let mbgAlive = Quadrature.evaluate(par, model: .mbgnbd, t: t, x: 0, recency: 0, age: 0)
                // P(active after the first purchase) = b/(a+b); the quadrature's `expected` is already conditioned on x = 0.
                let mbg = mbgAlive.expected / mbgAlive.alive * par.b / (par.a + par.b)
                #expect(abs(Self.fit(par, .mbgnbd).expectedRepeatPurchases(t) / mbg - 1) < 1e-6)
            }
        }
        // FHL (2005): with the CDNOW parameters E[X(39)] ≈ 1.195 and E[X(78)] ≈ 1.858 (scipy gives 1.19501, 1.85796
        // for the fitted values).
        let cdnow = Self.fit(RepeatPurchaseParameters(r: 0.24259453, alpha: 4.41360239, a: 0.79292205, b: 2.42590692), .bgnbd)
        #expect(abs(cdnow.expectedRepeatPurchases(39) - 1.195010) < 1e-5)
        #expect(abs(cdnow.expectedRepeatPurchases(78) - 1.857958) < 1e-5)
    }

    @Test func medianTimeToNextPurchaseHalvesTheSurvivalOfTheWaitingTime() {
        // Given alive, P(wait > w) = ((α+T)/(α+T+w))^(r+x); at the median it is ½.
        let fit = Self.fit(CDNOW.bgnbd, .bgnbd)
        let m = fit.medianTimeToNextPurchase(frequency: 3, age: 20)
        #expect(abs(pow((4.414 + 20) / (4.414 + 20 + m), 0.243 + 3) - 0.5) < 1e-12)
    }

    @Test func clvIsTheDiscountedSumOfMonthlyExpectedPurchasesTimesValueAndMargin() throws {
        let s = CDNOW.weekly
        let fit = try RepeatPurchaseModel.bgnbd.fit(s)
        let spend = try GammaGammaFit.fit(s)
        let options = PredictionOptions(horizonMonths: 12, monthlyDiscountRate: 0.01, margin: 0.4, purchaseWindowDays: 91)
        let predictions = CustomerPredictions.compute(summaries: s, fit: fit, spend: spend, options: options)
        #expect(predictions.customers.count == 2357)
        // Customer "0001" (index 0): recompute the definition by hand from the public formulas.
        let c = 0
        let x = Int(s.frequency[c]), tx = s.recency(c), T = s.age(c)
        let month = 365.2425 / 12 / 7
        var clv = 0.0, previous = 0.0
        for m in 1...12 {
            let e = fit.expectedPurchases(Double(m) * month, frequency: x, recency: tx, age: T)
            clv += (e - previous) / pow(1.01, Double(m))
            previous = e
        }
        let value = spend.expectedAverageSpend(frequency: x, meanSpend: s.meanRepeatSpend(c))
        clv *= value * 0.4
        let p = try #require(predictions.customers[c])
        #expect(abs(p.clv! - clv) < 1e-9)
        #expect(abs(p.expectedPurchases - fit.expectedPurchases(13, frequency: x, recency: tx, age: T)) < 1e-12)
        #expect(p.expectedOrderValue == value)
        // Every prediction is finite and non-negative; P(alive) in [0, 1].
        for case let q? in predictions.customers {
            #expect(q.probabilityAlive >= 0 && q.probabilityAlive <= 1)
            #expect(q.expectedPurchases >= 0 && q.clv! >= 0 && q.clv!.isFinite)
        }
        // Predictions do not depend on the unit: the same customer from summaries in days.
        let days = try PurchaseSummaries.compute(transactions: CDNOW.transactions, calibrationEnd: CDNOW.calibrationEnd, unit: .days)
        let inDays = CustomerPredictions.compute(summaries: days, fit: fit, spend: spend, options: options)
        let d = try #require(inDays.customers[c])
        #expect(abs(d.clv! - p.clv!) < 1e-9, "\(d.clv!) vs \(p.clv!)")
        #expect(abs(d.probabilityAlive - p.probabilityAlive) < 1e-12)
    }
}

/// ₂F₁ against closed forms, on both sides of z = 0.5 and in the degenerate case of the connection formula.
@Suite struct HypergeometricTests {
    @Test(arguments: [0.1, 0.5, 0.7, 0.9, 0.99, 0.9999])
    func logarithmCase(z: Double) {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z; c − a − b = 0 is the connection formula's degenerate case.
        let f = ClientelePrediction.hypergeometric2F1(1, 1, 2, z)
        #expect(abs(f / (-log(1 - z) / z) - 1) < 1e-7)
    }

    @Test(arguments: [0.2, 0.6, 0.95, 0.999])
    func arcsineAndPowerCases(z: Double) {
        // ₂F₁(½, ½; 3/2; z) = arcsin(√z)/√z; ₂F₁(a, b; b; z) = (1 − z)^(−a).
        let f = ClientelePrediction.hypergeometric2F1(0.5, 0.5, 1.5, z)
        #expect(abs(f / (asin(z.squareRoot()) / z.squareRoot()) - 1) < 1e-7)
        let g = ClientelePrediction.hypergeometric2F1(0.37, 2.3, 2.3, z)
        #expect(abs(g / pow(1 - z, -0.37) - 1) < 1e-10)
        // ₂F₁(a, b; c; z) with c − a − b = 0.73: Euler's transformation must hold,
        // ₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z).
        let h = ClientelePrediction.hypergeometric2F1(1.2, 0.8, 2.73, z)
        let e = pow(1 - z, 0.73) * ClientelePrediction.hypergeometric2F1(1.53, 1.93, 2.73, z)
        #expect(abs(h / e - 1) < 1e-10)
    }

    @Test func digammaMatchesKnownValues() {
        // ψ(1) = −γ (Euler–Mascheroni), ψ(½) = −γ − 2 ln 2, ψ(x + 1) = ψ(x) + 1/x.
        #expect(abs(ClientelePrediction.digamma(1) - -0.5772156649015329) < 1e-13)
        #expect(abs(ClientelePrediction.digamma(0.5) - (-0.5772156649015329 - 2 * log(2.0))) < 1e-13)
        #expect(abs(ClientelePrediction.digamma(23.7) - ClientelePrediction.digamma(22.7) - 1 / 22.7) < 1e-13)
    }
}
