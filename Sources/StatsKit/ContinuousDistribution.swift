/// A univariate continuous distribution: density, distribution function, survival
/// function and quantile. All four are pure functions of the parameters (Sendable values).
public protocol ContinuousDistribution: Sendable {
    /// Probability density at `x`.
    func pdf(_ x: Double) -> Double
    /// P(X ≤ x).
    func cdf(_ x: Double) -> Double
    /// P(X > x), computed directly (no `1 - cdf` cancellation in the upper tail).
    func sf(_ x: Double) -> Double
    /// The x with P(X ≤ x) = p, for p in [0, 1].
    func quantile(_ p: Double) -> Double
}
