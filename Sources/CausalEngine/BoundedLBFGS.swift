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
/// Cost per iteration O(n + (moving + free variables)·m + m³) plus function evaluations,
/// m = `memory`: variables resting on a bound cost one comparison.
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

    /// Minimises `f` from `x0` within `lower ≤ x ≤ upper` (±∞ for no bound). `f` returns
    /// f(x) and writes ∇f(x) in full into `gradient`; both buffers hold `x0.count` values and
    /// are only valid during the call.
    public func minimize(_ x0: [Double], lower: [Double], upper: [Double],
                         _ f: (_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) -> Double) -> Result {
        let n = x0.count
        precondition(lower.count == n && upper.count == n, "bounds must match the variable count")
        precondition(memory >= 1, "memory must keep at least one correction pair, got \(memory)")
        let memo = Memory(n: n, capacity: memory, lower: lower, upper: upper)
        let padded = memo.paddedCount
        let (lo, hi) = (UnsafePointer(memo.lower.baseAddress!), UnsafePointer(memo.upper.baseAddress!))
        // x, g, the trial point and its gradient, and the search direction, in one allocation,
        // each padded like the memory's vectors (variables fixed at 0, never shown to `f`).
        let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: 5 * padded)
        storage.initialize(repeating: 0)
        defer { storage.deallocate() }
        func vector(_ k: Int) -> UnsafeMutablePointer<Double> { storage.baseAddress! + k * padded }
        var (x, g, xNew, gNew) = (vector(0), vector(1), vector(2), vector(3))
        let d = vector(4)
        func evaluate(_ x: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>) -> Double {
            f(UnsafeBufferPointer(start: x, count: n), UnsafeMutableBufferPointer(start: g, count: n))
        }
        for i in 0..<n { x[i] = min(max(x0[i], lo[i]), hi[i]) }
        var fx = evaluate(x, g)
        var evals = 1, iter = 0
        var converged = false
        var resetOnce = false
        /// d = target − x; returns (dᵀg, dᵀd).
        func direction(to target: UnsafeMutablePointer<Double>) -> (Double, Double) {
            var dg = SIMD8<Double>(), dnorm2 = SIMD8<Double>()
            for i in Swift.stride(from: 0, to: padded, by: 8) {
                let di = VectorKernels.load8(target, i) - VectorKernels.load8(x, i)
                VectorKernels.store8(di, d, i)
                dg += di * VectorKernels.load8(g, i)
                dnorm2 += di * di
            }
            return (dg.sum(), dnorm2.sum())
        }
        while iter < maxIterations && evals < maxEvaluations {
            var pgLanes = SIMD8<Double>()
            for i in Swift.stride(from: 0, to: padded, by: 8) {
                let xv = VectorKernels.load8(x, i)
                let step = VectorKernels.clamp8(xv - VectorKernels.load8(g, i), VectorKernels.load8(lo, i), VectorKernels.load8(hi, i)) - xv
                let size = step.replacing(with: -step, where: step .< 0)
                pgLanes.replace(with: size, where: size .> pgLanes)
            }
            if pgLanes.max() <= pgtol { converged = true; break }
            iter += 1
            memo.cauchy(x: x, g: g)
            memo.subspaceMinimum(x: x, g: g)
            var (dg, dnorm2) = direction(to: memo.xbar.baseAddress!)
            if !(dg < 0) {
                // Not a descent direction (can happen with a stale model): restart from steepest descent.
                memo.reset()
                memo.cauchy(x: x, g: g)
                (dg, dnorm2) = direction(to: memo.xcp.baseAddress!)
                if !(dg < 0) { converged = true; break }
            }
            var t = memo.count == 0 ? min(1, 1 / dnorm2.squareRoot()) : 1
            var fNew = fx
            var accepted = false
            for _ in 0..<40 {
                let tv = SIMD8<Double>(repeating: t)
                for i in Swift.stride(from: 0, to: padded, by: 8) {
                    let trial = VectorKernels.load8(x, i) + tv * VectorKernels.load8(d, i)
                    VectorKernels.store8(VectorKernels.clamp8(trial, VectorKernels.load8(lo, i), VectorKernels.load8(hi, i)), xNew, i)
                }
                fNew = evaluate(xNew, gNew)
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
        return Result(x: Array(UnsafeBufferPointer(start: x, count: n)), value: fx, iterations: iter, evaluations: evals, converged: converged)
    }
}
