import Foundation

/// Chi-square distribution with `df` degrees of freedom: P(X ≤ x) = P(df/2, x/2), the
/// regularized lower incomplete gamma.
public struct ChiSquared: ContinuousDistribution, Hashable {
    public let df: Double

    /// - Throws: `StatsError.invalidArgument` when `df` is not positive.
    public init(df: Double) throws(StatsError) {
        try require(df > 0 && !df.isNaN, "ChiSquared df must be positive, got \(df)")
        self.df = df
    }

    public func pdf(_ x: Double) -> Double {
        if x < 0 { return 0 }
        if x == 0 { return df == 2 ? 0.5 : (df < 2 ? .infinity : 0) }
        let k = df / 2
        let logDensity: Double = (k - 1) * log(x) - x / 2 - k * log(2.0) - lgamma(k)
        return exp(logDensity)
    }

    public func cdf(_ x: Double) -> Double {
        x <= 0 ? 0 : SpecialFunctions.regularizedGammaP(df / 2, x / 2)
    }

    public func sf(_ x: Double) -> Double {
        x <= 0 ? 1 : SpecialFunctions.regularizedGammaQ(df / 2, x / 2)
    }

    public func quantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        // Wilson–Hilferty start, then safeguarded Newton; upper tail solved on sf.
        let z = Normal.standardQuantile(p)
        let h = 2 / (9 * df)
        let base: Double = 1 - h + z * h.squareRoot()
        let start: Double = Swift.max(1e-10, df * base * base * base)
        if p > 0.5 { return refineUpper(start, 1 - p) }
        return SpecialFunctions.invertCDF(p, lo: start / 2, hi: start * 2, lowerLimit: 0,
                                          start: start, cdf: { self.cdf($0) }, pdf: { self.pdf($0) })
    }

    /// Newton on the survival function (decreasing) for upper-tail quantiles.
    private func refineUpper(_ x0: Double, _ q: Double) -> Double {
        var lo = 0.0, hi = Swift.max(x0, 1.0)
        while sf(hi) > q { hi *= 2 }
        var x = Swift.min(Swift.max(x0, lo), hi)
        for _ in 0..<400 {
            let f = sf(x) - q
            if f == 0 { return x }
            if f > 0 { lo = x } else { hi = x }
            let dens = pdf(x)
            var next = dens > 0 ? x + f / dens : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 4e-16 * abs(x) { return next }
            x = next
        }
        return x
    }
}

