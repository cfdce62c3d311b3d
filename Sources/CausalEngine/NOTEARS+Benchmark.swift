extension NOTEARS {
    /// The augmented-Lagrangian objective at a fixed (ρ, α), for the benchmark package only
    /// (`@_spi(Benchmarks) import CausalEngine`): times one evaluation as `fit` calls it,
    /// without exposing the internal `Objective` type.
    @_spi(Benchmarks) public struct ObjectiveProbe {
        private let objective: Objective

        /// `covariance` is S (d×d); λ₁ applies to every entry.
        public init(covariance: Matrix, lambda1: Double, rho: Double, alpha: Double) {
            let d = covariance.rows
            let objective = Objective(s: covariance, d: d, l1: [Double](repeating: lambda1, count: d * d))
            objective.rho = rho
            objective.alpha = alpha
            self.objective = objective
        }

        /// F(x) with ∇F written into `gradient`; x = [W⁺; W⁻] (2d² entries).
        public func evaluate(_ x: [Double], _ gradient: inout [Double]) -> Double {
            objective.evaluate(x, &gradient)
        }
    }
}
