import Foundation

/// NOTEARS structure learning for linear SEMs (Zheng, Aragam, Ravikumar & Xing, 2018,
/// "DAGs with NO TEARS: Continuous Optimization for Structure Learning", Algorithm 1 and the
/// authors' `notears_linear` reference code).
///
/// Solves  min_W  ½n⁻¹‖X − XW‖²_F + λ₁‖W‖₁  s.t.  h(W) = tr(e^{W∘W}) − d = 0
/// by the augmented Lagrangian  F = loss + ρ/2·h² + α·h + λ₁‖W‖₁, splitting W = W⁺ − W⁻
/// (both ≥ 0, diagonal fixed at 0) so the L1 term is smooth, each subproblem solved by
/// bound-constrained L-BFGS (`BoundedLBFGS`). Schedule as in the paper: ρ ← 10ρ while
/// h(W_new) > ¼·h(W_old), then α ← α + ρ·h; stop when h ≤ h_tol or ρ ≥ ρ_max; finally
/// entries with |w| < `wThreshold` are set to 0.
///
/// Implementation note: X is centred and the loss is evaluated through the d×d covariance
/// S = XᵀX/n — loss = ½tr((I−W)ᵀS(I−W)), ∇ = −S(I−W) — which is algebraically identical
/// to the reference but costs O(d³) per evaluation instead of O(n·d²).
/// The matrix exponential is Padé scaling-and-squaring (`Matrix.exponential`).
public struct NOTEARS: Sendable {
    /// L1 penalty λ₁ (paper and CLI default 0.1).
    public var lambda1 = 0.1
    /// Magnitude threshold for the final edges (default 0.3).
    public var wThreshold = 0.3
    /// Maximum dual ascent steps (default 100).
    public var maxIterations = 100
    /// Acyclicity tolerance (default 1e-8).
    public var hTolerance = 1e-8
    /// Penalty cap (default 1e16).
    public var rhoMax = 1e16
    /// Inner solver settings.
    public var solver = BoundedLBFGS()
    /// Background knowledge (forbidden / required edges, tiers, max parents).
    public var prior = PriorKnowledge()

    public init(lambda1: Double = 0.1, wThreshold: Double = 0.3, prior: PriorKnowledge = PriorKnowledge()) {
        self.lambda1 = lambda1
        self.wThreshold = wThreshold
        self.prior = prior
    }

    /// Result of a fit.
    public struct Result: Sendable {
        /// Thresholded (and prior-pruned) weights; `weights[i, j] != 0` means i → j.
        public var weights: Matrix
        /// Weights before thresholding.
        public var rawWeights: Matrix
        /// h(W) of the raw solution.
        public var acyclicity: Double
        /// Final penalty ρ and multiplier α.
        public var rho: Double
        public var alpha: Double
        /// Dual ascent steps and total inner L-BFGS iterations.
        public var outerIterations: Int
        public var innerIterations: Int
        /// Wall-clock seconds of the fit.
        public var seconds: Double

        /// The learned graph over `names`; if thresholding left a cycle (rare), the weakest
        /// edge on a cycle is dropped until the graph is acyclic.
        public func dag(names: [String]) throws(CausalError) -> DAG {
            var w = weights
            while let cycle = DAG.findCycle(count: w.rows, children: (0..<w.rows).map { i in (0..<w.rows).filter { w[i, $0] != 0 } }) {
                var weakest = (cycle[0], cycle[1 % cycle.count])
                for k in 0..<cycle.count {
                    let (a, b) = (cycle[k], cycle[(k + 1) % cycle.count])
                    if abs(w[a, b]) < abs(w[weakest.0, weakest.1]) { weakest = (a, b) }
                }
                w[weakest.0, weakest.1] = 0
            }
            return try DAG(nodes: names, adjacency: w)
        }
    }

    /// Learns a weighted DAG from data (columns = variables). O(iterations · d³).
    public func fit(_ data: DataSet) throws(CausalError) -> Result {
        guard data.rowCount >= 2 else { throw CausalError(.invalidData, "NOTEARS needs at least 2 rows, got \(data.rowCount)") }
        return try fit(covariance: data.covariance)
    }

    /// Learns from a precomputed covariance S = XᵀX/n of centred data (d×d).
    public func fit(covariance s: Matrix) throws(CausalError) -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        let d = s.rows
        guard d >= 1, s.cols == d else { throw CausalError(.invalidArgument, "covariance must be square, got \(s.rows)x\(s.cols)") }
        guard lambda1 >= 0, wThreshold >= 0 else { throw CausalError(.invalidArgument, "lambda1 and w_threshold must be >= 0") }
        guard s.values.allSatisfy(\.isFinite) else {
            throw CausalError(.invalidData, "the data's covariance overflows (values too large for double precision); rescale the columns")
        }
        try prior.validate(nodeCount: d)
        let dd = d * d
        // Bounds: diagonal and forbidden entries fixed at 0; others [0, ∞).
        var upper = [Double](repeating: .infinity, count: 2 * dd)
        let lower = [Double](repeating: 0, count: 2 * dd)
        var l1 = [Double](repeating: lambda1, count: dd)
        for i in 0..<d {
            for j in 0..<d {
                if i == j || prior.isForbidden(i, j) { upper[i * d + j] = 0; upper[dd + i * d + j] = 0 }
                if prior.isRequired(i, j) { l1[i * d + j] = 0 }
            }
        }
        let objective = Objective(s: s, d: d, l1: l1)
        var w = [Double](repeating: 0, count: 2 * dd)
        var rho = 1.0, alpha = 0.0, h = Double.infinity
        var outer = 0, inner = 0
        for _ in 0..<maxIterations {
            outer += 1
            var wNew = w, hNew = h
            while rho < rhoMax {
                objective.rho = rho
                objective.alpha = alpha
                let r = solver.minimize(w, lower: lower, upper: upper) { x, g in objective.evaluate(x, g) }
                inner += r.iterations
                wNew = r.x
                hNew = Objective.acyclicity(Objective.combine(wNew, d))
                if hNew > 0.25 * h { rho *= 10 } else { break }
            }
            w = wNew
            h = hNew
            alpha += rho * h
            if h <= hTolerance || rho >= rhoMax { break }
        }
        let raw = Objective.combine(w, d)
        var thresholded = raw
        for i in 0..<d {
            for j in 0..<d where abs(raw[i, j]) < wThreshold && !(prior.isRequired(i, j) && raw[i, j] != 0) {
                thresholded[i, j] = 0
            }
        }
        thresholded = prior.prune(thresholded)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(weights: thresholded, rawWeights: raw, acyclicity: h, rho: rho, alpha: alpha,
                      outerIterations: outer, innerIterations: inner, seconds: seconds)
    }
}
