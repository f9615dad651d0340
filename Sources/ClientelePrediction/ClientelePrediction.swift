import ClienteleCore
import RealModule

/// Predictive customer-lifetime models (METRICS.md, "Predictive models"): BG/NBD, MBG/NBD and Gamma-Gamma
/// fitted by maximum likelihood, with per-customer predictions; see `docs/predictive.md`.
public enum ClientelePrediction {
    /// The log of the absolute value of the gamma function, from swift-numerics.
    @inline(__always)
    static func logGamma(_ x: Double) -> Double { Double.logGamma(x) }

    /// The digamma function ψ(x) = d/dx ln Γ(x) for x > 0 (recurrence up to x ≥ 10, then the asymptotic
    /// series; absolute error below 1e-13).
    static func digamma(_ x: Double) -> Double {
        var x = x
        var result = 0.0
        if x <= 0 {
            // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
            return digamma(1 - x) - Double.pi / Double.tan(Double.pi * x)
        }
        while x < 10 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        let tail = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))))
        return result + Double.log(x) - 0.5 / x - tail
    }

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
    @inline(__always)
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// Γ(x) as (log of its absolute value, sign); the sign is 0 at the poles (x a non-positive integer),
    /// where 1/Γ(x) is 0.
    static func signedLogGamma(_ x: Double) -> (log: Double, sign: Double) {
        if x <= 0 && x == x.rounded() { return (.infinity, 0) }
        return (Double.logGamma(x), Double.signGamma(x) == .minus ? -1 : 1)
    }

    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real parameters and 0 ≤ z < 1 (z < 0 through
    /// Pfaff's transformation). The power series is summed directly where it converges quickly (z ≤ 0.5,
    /// or a large c); otherwise the 1 − z connection formula (Abramowitz & Stegun 15.3.6) is used, whose two
    /// series converge like (1 − z)ⁿ. Where c − a − b is within 1e-5 of an integer (the formula's
    /// degenerate case) the value is the mean of the values at c ± 3e-5 (relative error of order 1e-9).
    public static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        precondition(z < 1, "hypergeometric2F1 needs z < 1")
        if z == 0 { return 1 }
        if z < 0 {
            // Pfaff: ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1)), and z / (z − 1) ∈ (0, 1).
            return Double.exp(-a * Double.log(onePlus: -z)) * hypergeometric2F1(a, c - b, c, z / (z - 1))
        }
        if z <= 0.5 {
            return series(a, b, c, z, maxTerms: 4000) ?? .nan
        }
        if let direct = series(a, b, c, z, maxTerms: 60) { return direct }
        let m = c - a - b
        if abs(m - m.rounded()) < 1e-5 {
            let h = 3e-5
            return 0.5 * (connection(a, b, c + h, z) + connection(a, b, c - h, z))
        }
        return connection(a, b, c, z)
    }

    /// The power series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, or nil when it has not converged within `maxTerms` terms.
    static func series(_ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int) -> Double? {
        var term = 1.0
        var sum = 1.0
        var n = 0.0
        var small = 0
        for _ in 0..<maxTerms {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            sum += term
            n += 1
            if term == 0 { return sum }
            if abs(term) <= 1e-17 * abs(sum) {
                small += 1
                if small >= 2 { return sum }
            } else {
                small = 0
            }
        }
        return nil
    }

    /// A&S 15.3.6: ₂F₁(a,b;c;z) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) ₂F₁(a,b;a+b−c+1;1−z)
    ///   + (1−z)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) ₂F₁(c−a,c−b;c−a−b+1;1−z), for c − a − b not an integer.
    static func connection(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        let w = 1 - z
        let m = c - a - b
        let gc = signedLogGamma(c)
        var total = 0.0
        // First part.
        let g1 = signedLogGamma(m), g2 = signedLogGamma(c - a), g3 = signedLogGamma(c - b)
        if g2.sign != 0 && g3.sign != 0 {
            let coefficient = gc.sign * g1.sign * g2.sign * g3.sign * Double.exp(gc.log + g1.log - g2.log - g3.log)
            total += coefficient * (series(a, b, 1 - m, w, maxTerms: 4000) ?? .nan)
        }
        // Second part.
        let h1 = signedLogGamma(-m), h2 = signedLogGamma(a), h3 = signedLogGamma(b)
        if h2.sign != 0 && h3.sign != 0 {
            let logW = Double.log(w)
            let coefficient = gc.sign * h1.sign * h2.sign * h3.sign
                * Double.exp(gc.log + h1.log - h2.log - h3.log + m * logW)
            total += coefficient * (series(c - a, c - b, 1 + m, w, maxTerms: 4000) ?? .nan)
        }
        return total
    }
}
