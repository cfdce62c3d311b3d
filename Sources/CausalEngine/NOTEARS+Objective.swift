extension NOTEARS {
    /// The augmented-Lagrangian objective over w = [W⁺; W⁻] (2d² entries, row-major W).
    struct Objective: Sendable {
        let s: Matrix
        let d: Int
        /// Per-entry L1 weight (λ₁, or 0 for required edges).
        let l1: [Double]
        var rho = 1.0
        var alpha = 0.0

        static func combine(_ w: [Double], _ d: Int) -> Matrix {
            let dd = d * d
            var m = Matrix(rows: d, cols: d)
            for k in 0..<dd { m.values[k] = w[k] - w[dd + k] }
            return m
        }

        /// h(W) = tr(e^{W∘W}) − d and ∇h = (e^{W∘W})ᵀ ∘ 2W.
        static func acyclicity(_ w: Matrix, _ d: Int) -> (h: Double, grad: Matrix) {
            let e = w.hadamard(w).exponential()
            var g = Matrix(rows: d, cols: d)
            for i in 0..<d { for j in 0..<d { g[i, j] = e[j, i] * 2 * w[i, j] } }
            return (e.trace - Double(d), g)
        }

        /// F(w) and ∇F(w) (written into `grad`).
        func evaluate(_ x: [Double], _ grad: inout [Double]) -> Double {
            let dd = d * d
            let w = Objective.combine(x, d)
            // Loss via covariance: M = S (I − W); loss = ½ Σ (I−W)∘M; ∇loss = −M.
            var iw = Matrix(rows: d, cols: d)   // I − W
            for i in 0..<d { for j in 0..<d { iw.values[i * d + j] = (i == j ? 1 : 0) - w.values[i * d + j] } }
            let m = s * iw
            var loss = 0.0
            for k in 0..<dd { loss += iw.values[k] * m.values[k] }
            loss *= 0.5
            iw = m   // reuse storage name: now holds M
            let (h, gh) = Objective.acyclicity(w, d)
            var penalty = 0.0
            for k in 0..<dd { penalty += l1[k] * (x[k] + x[dd + k]) }
            let obj = loss + 0.5 * rho * h * h + alpha * h + penalty
            let coef = rho * h + alpha
            for k in 0..<dd {
                let smooth = -iw.values[k] + coef * gh.values[k]
                grad[k] = smooth + l1[k]
                grad[dd + k] = -smooth + l1[k]
            }
            return obj
        }
    }
}
