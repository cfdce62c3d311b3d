import Foundation

/// Normal distribution N(mean, sd²).
///
/// `cdf` uses `erfc` (full double precision in both tails). `quantile` uses Acklam's
/// rational approximation (relative error 1.2e-9) followed by one Halley step on `erfc`,
/// which brings it to machine precision.
public struct Normal: ContinuousDistribution, Hashable {
    public let mean: Double
    public let sd: Double

    /// The standard normal N(0, 1).
    public static let standard = Normal(uncheckedMean: 0, sd: 1)

    /// - Throws: `StatsError.invalidArgument` when `sd` is not positive and finite.
    public init(mean: Double = 0, sd: Double = 1) throws(StatsError) {
        try require(sd > 0 && sd.isFinite, "Normal sd must be positive and finite, got \(sd)")
        self.mean = mean
        self.sd = sd
    }

    init(uncheckedMean mean: Double, sd: Double) { self.mean = mean; self.sd = sd }

    public func pdf(_ x: Double) -> Double {
        let z = (x - mean) / sd
        return exp(-0.5 * z * z) / (sd * 2.5066282746310002)
    }

    public func cdf(_ x: Double) -> Double { Normal.standardCDF((x - mean) / sd) }
    public func sf(_ x: Double) -> Double { Normal.standardCDF(-(x - mean) / sd) }
    public func quantile(_ p: Double) -> Double { mean + sd * Normal.standardQuantile(p) }

    /// Φ(z).
    @inlinable public static func standardCDF(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// Φ⁻¹(p); returns ∓∞ at p = 0 / 1 and NaN outside [0, 1].
    public static func standardQuantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        // 1 − p is exact for p ≥ ½ (Sterbenz), so solve in the lower half and reflect.
        if p > 0.5 { return -standardQuantile(1 - p) }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let pLow = 0.02425
        var x: Double
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - pLow {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // Halley refinement on erfc (two steps reach machine precision).
        for _ in 0..<2 {
            let e = standardCDF(x) - p
            let u = e * 2.5066282746310002 * exp(0.5 * x * x)
            x -= u / (1 + 0.5 * x * u)
        }
        return x
    }
}
