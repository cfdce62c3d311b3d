/// L-BFGS-B: limited-memory BFGS for bound-constrained minimisation (Byrd, Lu, Nocedal &
/// Zhu 1995, "A limited memory algorithm for bound constrained optimization", with the
/// subspace-step projection of Morales & Nocedal 2011 — the algorithm behind
/// `scipy.optimize.minimize(method="L-BFGS-B")`).
///
/// Each iteration: (1) the generalized Cauchy point along the projected steepest-descent
/// path of the compact quasi-Newton model B = θI − W M Wᵀ; (2) subspace minimisation of the
/// model over the variables free at the Cauchy point (direct primal method); (3) a
/// backtracking line search on [0, 1] along x̄ − x (feasible by convexity of the box).
/// Stopping as scipy: `max |projected gradient| ≤ pgtol` or relative reduction
/// `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol`.
/// Cost per iteration O(n·m + m³) plus function evaluations, m = `memory`.
public struct BoundedLBFGS: Sendable {
    /// Number of stored correction pairs (scipy `maxcor`, default 10).
    public var memory = 10
    /// Relative function-reduction tolerance (scipy default 1e7 · machine epsilon).
    public var ftol = 2.220446049250313e-09
    /// Projected-gradient tolerance (scipy default 1e-5).
    public var pgtol = 1e-5
    /// Iteration cap (scipy default 15000).
    public var maxIterations = 15_000
    /// Function-evaluation cap (scipy default 15000).
    public var maxEvaluations = 15_000

    public init() {}

    /// Outcome of a minimisation.
    public struct Result: Sendable {
        public var x: [Double]
        public var value: Double
        public var iterations: Int
        public var evaluations: Int
        public var converged: Bool
    }

    /// Minimises `f` (which returns f(x) and writes ∇f(x) into `gradient`) from `x0`
    /// within `lower ≤ x ≤ upper` (±∞ for no bound).
    public func minimize(_ x0: [Double], lower: [Double], upper: [Double],
                         _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> Result {
        let n = x0.count
        precondition(lower.count == n && upper.count == n, "bounds must match the variable count")
        precondition(memory >= 1, "memory must keep at least one correction pair, got \(memory)")
        var x = x0
        for i in 0..<n { x[i] = min(max(x[i], lower[i]), upper[i]) }
        var g = [Double](repeating: 0, count: n)
        var fx = f(x, &g)
        var evals = 1, iter = 0
        let memo = Memory(n: n, capacity: memory, lower: lower, upper: upper)
        var xNew = x, gNew = g
        var d = [Double](repeating: 0, count: n)
        var converged = false
        var resetOnce = false
        /// d = target − x; returns (dᵀg, dᵀd).
        func direction(to target: UnsafeMutableBufferPointer<Double>) -> (Double, Double) {
            var dg = 0.0, dnorm2 = 0.0
            for i in 0..<n { d[i] = target[i] - x[i]; dg += d[i] * g[i]; dnorm2 += d[i] * d[i] }
            return (dg, dnorm2)
        }
        while iter < maxIterations && evals < maxEvaluations {
            var pg = 0.0
            for i in 0..<n { pg = max(pg, abs(min(max(x[i] - g[i], lower[i]), upper[i]) - x[i])) }
            if pg <= pgtol { converged = true; break }
            iter += 1
            x.withUnsafeBufferPointer { px in
                g.withUnsafeBufferPointer { gp in
                    memo.cauchy(x: px, g: gp)
                    memo.subspaceMinimum(x: px, g: gp)
                }
            }
            var (dg, dnorm2) = direction(to: memo.xbar)
            if !(dg < 0) {
                // Not a descent direction (can happen with a stale model): restart from steepest descent.
                memo.reset()
                x.withUnsafeBufferPointer { px in g.withUnsafeBufferPointer { memo.cauchy(x: px, g: $0) } }
                (dg, dnorm2) = direction(to: memo.xcp)
                if !(dg < 0) { converged = true; break }
            }
            var t = memo.count == 0 ? min(1, 1 / dnorm2.squareRoot()) : 1
            var fNew = fx
            var accepted = false
            for _ in 0..<40 {
                for i in 0..<n { xNew[i] = min(max(x[i] + t * d[i], lower[i]), upper[i]) }
                fNew = f(xNew, &gNew)
                evals += 1
                if fNew.isFinite && fNew <= fx + 1e-3 * t * dg { accepted = true; break }
                // Quadratic interpolation, safeguarded to [0.1 t, 0.5 t].
                var tNext = 0.5 * t
                if fNew.isFinite {
                    let denom = 2 * (fNew - fx - t * dg)
                    if denom > 0 { tNext = min(max(-dg * t * t / denom, 0.1 * t), 0.5 * t) }
                } else {
                    tNext = 0.1 * t
                }
                t = tNext
                if evals >= maxEvaluations { break }
            }
            if !accepted {
                if resetOnce || memo.count == 0 { break }
                resetOnce = true
                memo.reset()
                continue
            }
            resetOnce = false
            memo.update(x: x, xNew: xNew, g: g, gNew: gNew)
            let fOld = fx
            swap(&x, &xNew)
            swap(&g, &gNew)
            fx = fNew
            if (fOld - fx) / max(abs(fOld), abs(fx), 1) <= ftol { converged = true; break }
        }
        return Result(x: x, value: fx, iterations: iter, evaluations: evals, converged: converged)
    }
}
