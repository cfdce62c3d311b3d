import Foundation

/// Beta(α, β) distribution on [0, 1]; `cdf` is the regularized incomplete beta I_x(α, β).
/// Used for Bayesian conversion-rate posteriors and as a building block of the t tail.
public struct BetaDistribution: ContinuousDistribution, Hashable {
    public let alpha: Double
    public let beta: Double

    /// - Throws: `StatsError.invalidArgument` when a shape parameter is not positive.
    public init(alpha: Double, beta: Double) throws(StatsError) {
        try require(alpha > 0 && beta > 0 && alpha.isFinite && beta.isFinite,
                    "Beta shapes must be positive and finite, got alpha=\(alpha) beta=\(beta)")
        self.alpha = alpha
        self.beta = beta
    }

    public var mean: Double { alpha / (alpha + beta) }

    public func pdf(_ x: Double) -> Double {
        if x < 0 || x > 1 { return 0 }
        if x == 0 { return alpha == 1 ? beta : (alpha < 1 ? .infinity : 0) }
        if x == 1 { return beta == 1 ? alpha : (beta < 1 ? .infinity : 0) }
        return exp((alpha - 1) * log(x) + (beta - 1) * log1p(-x)
                   - SpecialFunctions.logBeta(alpha, beta))
    }

    public func cdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        return SpecialFunctions.regularizedBeta(x, alpha, beta)
    }

    public func sf(_ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        return SpecialFunctions.regularizedBetaComplement(x, alpha, beta)
    }

    public func quantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        // Work in the smaller tail: for p > ½ solve on the mirrored Beta(β, α).
        if p > 0.5 {
            let mirrored = BetaDistribution(unchecked: beta, alpha)
            return 1 - mirrored.quantile(1 - p)
        }
        var lo = 0.0, hi = 1.0
        var x = mean
        for _ in 0..<500 {
            let f = cdf(x) - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            let dens = pdf(x)
            var next = dens > 0 && dens.isFinite ? x - f / dens : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 4e-16 * Swift.max(abs(x), 1e-300) { return next }
            x = next
        }
        return x
    }

    private init(unchecked alpha: Double, _ beta: Double) { self.alpha = alpha; self.beta = beta }
}
