import RealModule

/// The repeat-purchase ("buy till you die") models (METRICS.md, "Predictive models"): while active a customer
/// buys at a rate λ (gamma-distributed over customers, shape r, rate α); the customer drops out with
/// probability p (beta-distributed, a, b) after each repeat purchase (BG/NBD) — and, in MBG/NBD, also right
/// after the first purchase, so a one-time buyer's P(alive) is below 1.
public enum RepeatPurchaseModel: String, Sendable, Hashable, CaseIterable, Codable {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    case bgnbd
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007).
    case mbgnbd

    /// The model's usual name ("BG/NBD", "MBG/NBD").
    public var displayName: String { self == .bgnbd ? "BG/NBD" : "MBG/NBD" }

    /// 0 for BG/NBD, 1 for MBG/NBD: how many extra drop-out chances an active customer has had.
    @inline(__always) var offset: Double { self == .bgnbd ? 0 : 1 }
}

/// The four parameters of BG/NBD and MBG/NBD: λ ~ Gamma(r, α), p ~ Beta(a, b); α is in the fit's time unit.
public struct RepeatPurchaseParameters: Sendable, Hashable, Codable {
    /// Shape of the purchase-rate distribution.
    public var r: Double
    /// Rate (scale) of the purchase-rate distribution, in the fit's time unit.
    public var alpha: Double
    /// First shape of the drop-out probability's beta distribution.
    public var a: Double
    /// Second shape of the drop-out probability's beta distribution.
    public var b: Double

    /// Parameters r, α, a, b.
    public init(r: Double, alpha: Double, a: Double, b: Double) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
    }

    /// The same parameters with α restated from `from` to `to` (r, a, b do not depend on the unit).
    public func converted(from: TimeUnit, to: TimeUnit) -> RepeatPurchaseParameters {
        RepeatPurchaseParameters(r: r, alpha: alpha * from.days / to.days, a: a, b: b)
    }
}

/// How an optimizer run ended (STYLE.md, "Errors": a fit carries its diagnostics).
public struct FitDiagnostics: Sendable, Hashable {
    /// Optimizer iterations (BFGS and Newton steps).
    public var iterations: Int
    /// The maximised log-likelihood (summed over customers).
    public var logLikelihood: Double
    /// Largest absolute component of the gradient of the mean log-likelihood in the log-parameters.
    public var gradientNorm: Double
    /// Standard errors of the parameters (in their order of declaration) from the inverse Hessian (delta
    /// method from the log-parameters); nil when the Hessian is not invertible.
    public var standardErrors: [Double]?

    /// Diagnostics with the given figures (e.g. read back from a file).
    public init(iterations: Int, logLikelihood: Double, gradientNorm: Double, standardErrors: [Double]?) {
        self.iterations = iterations
        self.logLikelihood = logLikelihood
        self.gradientNorm = gradientNorm
        self.standardErrors = standardErrors
    }
}

/// A fitted BG/NBD or MBG/NBD model and its per-customer formulas.
public struct RepeatPurchaseFit: Sendable, Hashable {
    /// Which model.
    public var model: RepeatPurchaseModel
    /// The time unit of α and of every time argument.
    public var unit: TimeUnit
    /// The maximum-likelihood parameters.
    public var parameters: RepeatPurchaseParameters
    /// How the fit ended.
    public var diagnostics: FitDiagnostics
    /// Customers fitted on.
    public var customers: Int
    /// Of those, customers with at least one repeat purchase day.
    public var repeatCustomers: Int

    /// A fit with the given parameters (e.g. read back from a file).
    public init(model: RepeatPurchaseModel, unit: TimeUnit, parameters: RepeatPurchaseParameters,
                diagnostics: FitDiagnostics, customers: Int, repeatCustomers: Int) {
        self.model = model
        self.unit = unit
        self.parameters = parameters
        self.diagnostics = diagnostics
        self.customers = customers
        self.repeatCustomers = repeatCustomers
    }

    /// P(alive): the probability that a customer with frequency `x`, recency `recency` and age `age` (T) is still
    /// active at T. BG/NBD: 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+tₓ))^(r+x)); MBG/NBD: 1 / (1 + a/(b+x) ((α+T)/(α+tₓ))^(r+x)).
    @inline(__always)
    public func probabilityAlive(frequency x: Int, recency: Double, age: Double) -> Double {
        let p = parameters
        let xd = Double(x)
        if model == .bgnbd && x == 0 { return 1 }
        let e = Double.log(p.a) - Double.log(p.b + xd + model.offset - 1)
            + (p.r + xd) * (Double.log(p.alpha + age) - Double.log(p.alpha + recency))
        return e > 700 ? 0 : 1 / (1 + Double.exp(e))
    }

    /// Expected purchases in the next `t` time units of a customer who is active at T: E[(1/p)(1 − e^(−λpt))]
    /// over the posterior λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x [+1 for MBG/NBD]).
    public func expectedPurchasesGivenAlive(_ t: Double, frequency x: Int, age: Double) -> Double {
        let p = parameters
        return RepeatPurchaseFit.expectedPurchases(t, s: p.r + Double(x), beta: p.alpha + age,
                                                   a: p.a, b: p.b + Double(x) + model.offset)
    }

    /// Expected purchases in the next `t` time units given the customer's history (Fader, Hardie & Lee 2005,
    /// eq. 10; Batislam et al. 2007, eq. 14): P(alive) × the expectation given alive.
    public func expectedPurchases(_ t: Double, frequency x: Int, recency: Double, age: Double) -> Double {
        probabilityAlive(frequency: x, recency: recency, age: age) * expectedPurchasesGivenAlive(t, frequency: x, age: age)
    }

    /// Expected repeat purchases in the first `t` time units after a new customer's first purchase (the
    /// tracking curve): BG/NBD (a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]; MBG/NBD b/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))].
    public func expectedRepeatPurchases(_ t: Double) -> Double {
        let p = parameters
        let given = RepeatPurchaseFit.expectedPurchases(t, s: p.r, beta: p.alpha, a: p.a, b: p.b + model.offset)
        // MBG/NBD: the customer is active after the first purchase with probability b/(a+b).
        return model == .bgnbd ? given : given * p.b / (p.a + p.b)
    }

    /// The median time until the next purchase of a customer who is active at T: while active the waiting time
    /// is exponential with rate λ and no drop-out can happen before that purchase, and λ | x, T ~ Gamma(r+x, α+T),
    /// so P(wait > w) = ((α+T)/(α+T+w))^(r+x) and the median is (α+T)(2^(1/(r+x)) − 1).
    public func medianTimeToNextPurchase(frequency x: Int, age: Double) -> Double {
        let p = parameters
        return (p.alpha + age) * Double.expMinusOne(Double.log(2) / (p.r + Double(x)))
    }

    /// E over p ~ Beta(a, b) of (1/p)(1 − (β/(β+pt))^s) — the expected purchases in time t of an active
    /// customer whose rate has the Gamma(s, β) distribution. After Euler's transformation the closed form is
    /// (a+b−1)/(a−1) [1 − (β/(β+t))^(a−1) ₂F₁(a+b−1−s, a−1; a+b−1; t/(β+t))], whose parameters do not grow with
    /// the frequency. Within 1e-4 of a = 1 (where the form is 0/0) the mean of the values at a ± 1e-3 is used.
    static func expectedPurchases(_ t: Double, s: Double, beta: Double, a: Double, b: Double) -> Double {
        guard t > 0 else { return 0 }
        if abs(a - 1) < 1e-4 {
            return 0.5 * (expectedPurchases(t, s: s, beta: beta, a: 1 + 1e-3, b: b)
                          + expectedPurchases(t, s: s, beta: beta, a: 1 - 1e-3, b: b))
        }
        let c = a + b - 1
        let z = t / (beta + t)
        let logRatio = -Double.log(onePlus: t / beta)        // ln(β/(β+t))
        let f = ClientelePrediction.hypergeometric2F1(c - s, a - 1, c, z)
        // 1 − (β/(β+t))^(a−1) F, written to keep precision when the product is near 1.
        let lf = (a - 1) * logRatio + Double.log(f)
        let bracket = f > 0 ? -Double.expMinusOne(lf) : 1 - Double.exp((a - 1) * logRatio) * f
        return c / (a - 1) * bracket
    }
}
