import ClientelePrediction
import Foundation

/// An independent evaluation of the models straight from their definition, without ₂F₁, beta functions or
/// the closed forms: a customer with rate λ ~ Gamma(r, α) and drop-out probability p ~ Beta(a, b) has
/// likelihood (1−p)^(x+k) λˣ e^(−λT) if still active at T and p (1−p)^(x−1+k) λˣ e^(−λtₓ) if they dropped out
/// after the last purchase (k = 1 for MBG/NBD, where a drop-out can also follow the first purchase; for
/// BG/NBD with x = 0 the second case is impossible). An active customer's expected purchases in the next t are
/// (1/p)(1 − e^(−λpt)). The λ integrals are gamma integrals done by hand; the p integral is tanh-sinh
/// (double-exponential) quadrature — p = 1/(1 + e^(−π sinh τ)), trapezoidal in τ ∈ [−4.5, 4.5] with step
/// 1/64 — which handles the p^(a−1) and (1−p)^(b−1) end-point singularities of the beta density.
enum Quadrature {
    /// (P(alive), E[Y(t) | x, tₓ, T]).
    static func evaluate(_ par: RepeatPurchaseParameters, model: RepeatPurchaseModel, t: Double, x: Int,
                         recency tx: Double, age T: Double) -> (alive: Double, expected: Double) {
        let r = par.r, alpha = par.alpha, a = par.a, b = par.b
        let k = model == .mbgnbd ? 1.0 : 0.0
        let xd = Double(x), s = r + xd
        // ∫ λˣ e^(−λ c) Gamma(λ; r, α) dλ ∝ (α + c)^(−(r+x)); the common factor Γ(r+x) αʳ / Γ(r) cancels in ratios.
        let gT = pow(alpha + T, -s), gTx = pow(alpha + tx, -s)
        let canDrop = x > 0 || k > 0
        let h = 1.0 / 64
        var alive = 0.0, dead = 0.0, future = 0.0
        for i in -288...288 {
            let tau = Double(i) * h
            let v = Double.pi * sinh(tau)
            let p = 1 / (1 + exp(-v)), q = 1 / (1 + exp(v))      // p and 1 − p, each without cancellation
            // Beta density (unnormalised) × dp/dτ = p^(a−1) q^(b−1) × p q π cosh τ.
            let base = h * pow(p, a) * pow(q, b) * Double.pi * cosh(tau)
            if base == 0 { continue }
            let survive = pow(q, xd + k)
            alive += base * survive * gT
            if canDrop { dead += base * p * pow(q, xd - 1 + k) * gTx }
            // ∫ λˣ e^(−λT) (1/p)(1 − e^(−λpt)) Gamma(λ) dλ ∝ (α+T)^(−s) [1 − (1 + pt/(α+T))^(−s)] / p.
            future += base * survive * gT * -expm1(-s * log1p(p * t / (alpha + T))) / p
        }
        return (alive / (alive + dead), future / (alive + dead))
    }
    /// E[Y(t) | x, tₓ, T] alone.
    static func expectedPurchases(_ par: RepeatPurchaseParameters, model: RepeatPurchaseModel, t: Double, x: Int,
                                  recency: Double, age: Double) -> Double {
        evaluate(par, model: model, t: t, x: x, recency: recency, age: age).expected
    }
}
