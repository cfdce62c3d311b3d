import Foundation

/// Student's t distribution with `df` degrees of freedom (df may be fractional, as in Welch).
///
/// The tails use the regularized incomplete beta: P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½), with
/// `1 − x = t²/(ν+t²)` passed exactly so that large ν and tiny p-values keep full precision.
public struct StudentT: ContinuousDistribution, Hashable {
    public let df: Double

    /// - Throws: `StatsError.invalidArgument` when `df` is not positive.
    public init(df: Double) throws(StatsError) {
        try require(df > 0 && !df.isNaN, "StudentT df must be positive, got \(df)")
        self.df = df
    }

    public func pdf(_ x: Double) -> Double {
        let logC = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
        return exp(logC - (df + 1) / 2 * log1p(x * x / df))
    }

    /// P(T > |t|)-style tail for t ≥ 0.
    func upperTail(_ t: Double) -> Double {
        if t.isInfinite { return 0 }
        if df.isInfinite { return Normal.standardCDF(-t) }
        let t2 = t * t
        let x = df / (df + t2)
        let oneMinusX = t2 / (df + t2)
        return 0.5 * SpecialFunctions.regularizedBeta(x, df / 2, 0.5, oneMinusX: oneMinusX)
    }

    public func cdf(_ x: Double) -> Double { x >= 0 ? 1 - upperTail(x) : upperTail(-x) }
    public func sf(_ x: Double) -> Double { x >= 0 ? upperTail(x) : 1 - upperTail(-x) }

    /// Two-sided tail probability P(|T| ≥ |t|).
    public func twoSidedPValue(_ t: Double) -> Double { min(1, 2 * upperTail(abs(t))) }

    public func quantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // Solve in the smaller tail for precision, then reflect.
        let tailP = min(p, 1 - p)
        let z = Normal.standardQuantile(tailP)
        let t = SpecialFunctions.invertCDF(tailP, lo: 2 * z - 1, hi: 0, start: z,
                                           cdf: { self.upperTail(-$0) }, pdf: { self.pdf($0) })
        return p < 0.5 ? t : -t
    }
}
