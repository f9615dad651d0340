import RealModule

/// Minimises a smooth function of a few unconstrained variables (the models' log-parameters): BFGS with a
/// backtracking line search on the analytic gradient, then Newton steps on a finite-difference Hessian of
/// that gradient, which also gives the standard errors.
struct Optimizer {
    /// The function's value at `x`, writing its gradient into `gradient`; a non-finite value means "outside".
    typealias Objective = (_ x: [Double], _ gradient: inout [Double]) -> Double

    /// Where the search ended.
    struct Result {
        /// The minimiser.
        var x: [Double]
        /// The value there.
        var value: Double
        /// The gradient there.
        var gradient: [Double]
        /// Iterations used (BFGS and Newton steps).
        var iterations: Int
        /// Whether the gradient tolerance was met.
        var converged: Bool
        /// The Hessian at `x` (finite differences of the gradient), nil when not computed.
        var hessian: [[Double]]?
    }

    var maxIterations = 400
    /// Stop when every gradient component is below this.
    var gradientTolerance = 1e-9
    /// The largest step in any variable per iteration (log-parameters: a factor of e³).
    var maxStep = 3.0

    func minimize(start: [Double], _ f: Objective) -> Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var fx = f(x, &g)
        var h = identity(n)
        var iterations = 0
        var converged = false
        var firstStep = true
        var stalls = 0
        guard fx.isFinite else { return Result(x: x, value: fx, gradient: g, iterations: 0, converged: false, hessian: nil) }

        while iterations < maxIterations {
            if maxAbs(g) < gradientTolerance { converged = true; break }
            iterations += 1
            // Direction d = −H g; fall back to steepest descent when it does not point downhill.
            var d = (0..<n).map { i in -(0..<n).reduce(0.0) { $0 + h[i][$1] * g[$1] } }
            var slope = dot(d, g)
            if !(slope < 0) {
                h = identity(n)
                d = g.map { -$0 }
                slope = dot(d, g)
            }
            let longest = maxAbs(d)
            if longest > maxStep { d = d.map { $0 * maxStep / longest }; slope *= maxStep / longest }
            // Backtracking line search with the Armijo condition.
            var step = 1.0
            var xNew = x, gNew = g, fNew = Double.infinity
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<n { xNew[i] = x[i] + step * d[i] }
                fNew = f(xNew, &gNew)
                if fNew.isFinite && fNew <= fx + 1e-4 * step * slope { accepted = true; break }
                // Quadratic interpolation of the step, kept within [0.1, 0.5] of the last one.
                let denominator = 2 * (fNew - fx - step * slope)
                var next = fNew.isFinite && denominator > 0 ? -slope * step * step / denominator : step * 0.5
                next = min(max(next, step * 0.1), step * 0.5)
                step = next
            }
            if !accepted {
                // No decrease along the direction: restart from steepest descent once, else stop.
                stalls += 1
                if stalls > 2 { break }
                h = identity(n)
                continue
            }
            let s = (0..<n).map { xNew[$0] - x[$0] }
            let y = (0..<n).map { gNew[$0] - g[$0] }
            let sy = dot(s, y)
            let change = fx - fNew
            x = xNew; g = gNew; fx = fNew
            if sy > 1e-300 {
                if firstStep {
                    let scale = sy / dot(y, y)
                    h = identity(n).map { $0.map { $0 * scale } }
                    firstStep = false
                }
                // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ.
                let rho = 1 / sy
                let hy = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + h[i][$1] * y[$1] } }
                let yhy = dot(y, hy)
                for i in 0..<n {
                    for j in 0..<n {
                        h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                    }
                }
            }
            if change <= 1e-16 * max(1, abs(fx)) && maxAbs(s) < 1e-12 { stalls += 1; if stalls > 2 { break } } else { stalls = 0 }
        }

        // Newton polish on the finite-difference Hessian of the gradient (quadratic convergence near the optimum).
        var hessian = numericHessian(x, f)
        for _ in 0..<3 where hessian != nil {
            if maxAbs(g) < gradientTolerance * 1e-2 { break }
            guard let hess = hessian, let step = solve(hess, g.map { -$0 }) else { break }
            var xNew = x, gNew = g
            for i in 0..<n { xNew[i] += step[i] }
            let fNew = f(xNew, &gNew)
            guard fNew.isFinite, fNew <= fx + 1e-12 * max(1, abs(fx)), maxAbs(gNew) < maxAbs(g) else { break }
            x = xNew; g = gNew; fx = fNew
            iterations += 1
            hessian = numericHessian(x, f)
        }
        if maxAbs(g) < gradientTolerance * 10 { converged = true }
        return Result(x: x, value: fx, gradient: g, iterations: iterations, converged: converged, hessian: hessian)
    }

    /// Central differences of the gradient, symmetrised; nil when a point is outside the domain.
    func numericHessian(_ x: [Double], _ f: Objective) -> [[Double]]? {
        let n = x.count
        var hess = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var gPlus = [Double](repeating: 0, count: n), gMinus = gPlus
        for j in 0..<n {
            let e = 1e-5 * max(1, abs(x[j]))
            var xp = x, xm = x
            xp[j] += e; xm[j] -= e
            guard f(xp, &gPlus).isFinite, f(xm, &gMinus).isFinite else { return nil }
            for i in 0..<n { hess[i][j] = (gPlus[i] - gMinus[i]) / (2 * e) }
        }
        for i in 0..<n { for j in 0..<i { let m = 0.5 * (hess[i][j] + hess[j][i]); hess[i][j] = m; hess[j][i] = m } }
        return hess
    }

    /// Solves A v = b by Gaussian elimination with partial pivoting; nil when A is singular.
    func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, v = b
        for col in 0..<n {
            var pivot = col
            for row in col + 1..<n where abs(m[row][col]) > abs(m[pivot][col]) { pivot = row }
            guard abs(m[pivot][col]) > 1e-300 else { return nil }
            if pivot != col { m.swapAt(pivot, col); v.swapAt(pivot, col) }
            for row in col + 1..<n {
                let factor = m[row][col] / m[col][col]
                for k in col..<n { m[row][k] -= factor * m[col][k] }
                v[row] -= factor * v[col]
            }
        }
        var out = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = v[row]
            for k in row + 1..<n { s -= m[row][k] * out[k] }
            out[row] = s / m[row][row]
        }
        return out
    }

    /// The inverse of A (for the covariance matrix); nil when singular.
    func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var columns: [[Double]] = []
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            guard let c = solve(a, e) else { return nil }
            columns.append(c)
        }
        return (0..<n).map { i in (0..<n).map { j in columns[j][i] } }
    }

    private func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
    }
    private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    private func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
}
