import Foundation

/// Sample size and power for two-arm experiments (equal allocation unless a ratio is given).
public enum PowerAnalysis {

    /// Cohen's h = 2·asin(√p₂) − 2·asin(√p₁), the arcsine effect size for proportions.
    public static func cohensH(_ p1: Double, _ p2: Double) -> Double {
        2 * asin(p2.squareRoot()) - 2 * asin(p1.squareRoot())
    }

    /// Two-sided power of a two-sample z-test with standardized effect `effect` and
    /// `nPerArm` units in the first arm, `ratio · nPerArm` in the second (statsmodels
    /// `NormalIndPower.power`): Φ(δ − z) + Φ(−δ − z), δ = |effect|·√(n₁/(1 + 1/ratio)).
    public static func normalPower(effect: Double, nPerArm: Double, alpha: Double = 0.05, ratio: Double = 1) -> Double {
        let crit = Normal.standardQuantile(1 - alpha / 2)
        let delta = abs(effect) * (nPerArm / (1 + 1 / ratio)).squareRoot()
        return Normal.standardCDF(delta - crit) + Normal.standardCDF(-delta - crit)
    }

    /// Units per arm so that `normalPower` reaches `power` (statsmodels
    /// `NormalIndPower().solve_power`), solved by bisection to 1e-10 relative; not rounded.
    /// Use `(…).rounded(.up)` for a whole number.
    public static func normalSampleSize(effect: Double, alpha: Double = 0.05, power: Double = 0.8, ratio: Double = 1) throws(StatsError) -> Double {
        try require(effect != 0 && effect.isFinite, "effect size must be non-zero and finite, got \(effect)")
        try require(alpha > 0 && alpha < 1, "alpha must lie in (0, 1), got \(alpha)")
        try require(power > alpha / 2 && power < 1, "power must lie in (alpha/2, 1), got \(power)")
        try require(ratio > 0, "allocation ratio must be positive, got \(ratio)")
        // Start from the one-tail closed form, then solve the two-tail equation exactly.
        let za = Normal.standardQuantile(1 - alpha / 2), zb = Normal.standardQuantile(power)
        let guess = pow((za + zb) / abs(effect), 2) * (1 + 1 / ratio)
        var lo = guess * 0.5, hi = guess * 1.01
        while normalPower(effect: effect, nPerArm: lo, alpha: alpha, ratio: ratio) > power { lo /= 2 }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if normalPower(effect: effect, nPerArm: mid, alpha: alpha, ratio: ratio) < power { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 * hi { break }
        }
        return 0.5 * (lo + hi)
    }

    /// Per-arm sample size to detect `baseline → baseline + mde` in a proportion via Cohen's h
    /// (statsmodels recipe: `proportion_effectsize` + `NormalIndPower`). Not rounded.
    public static func sampleSizeProportionsCohensH(baseline: Double, minimumDetectableEffect mde: Double,
                                                    alpha: Double = 0.05, power: Double = 0.8) throws(StatsError) -> Double {
        try checkRates(baseline, mde)
        return try normalSampleSize(effect: cohensH(baseline, baseline + mde), alpha: alpha, power: power)
    }

    /// Classic per-arm sample size for two proportions (pooled variance under H0, unpooled
    /// under H1): n = (z_{1−α/2}·√(2p̄q̄) + z_{1−β}·√(p₁q₁ + p₂q₂))² / δ². Not rounded.
    public static func sampleSizeProportions(baseline: Double, minimumDetectableEffect mde: Double,
                                             alpha: Double = 0.05, power: Double = 0.8) throws(StatsError) -> Double {
        try checkRates(baseline, mde)
        try require(alpha > 0 && alpha < 1 && power > 0 && power < 1, "alpha and power must lie in (0, 1)")
        let p1 = baseline, p2 = baseline + mde, pBar = (p1 + p2) / 2
        let za = Normal.standardQuantile(1 - alpha / 2), zb = Normal.standardQuantile(power)
        let num = za * (2 * pBar * (1 - pBar)).squareRoot() + zb * (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot()
        return num * num / (mde * mde)
    }

    /// Power of the classic two-proportion test with `nPerArm` units per arm (inverse of
    /// `sampleSizeProportions`, ignoring the far tail).
    public static func powerProportions(baseline: Double, minimumDetectableEffect mde: Double,
                                        nPerArm: Double, alpha: Double = 0.05) throws(StatsError) -> Double {
        try checkRates(baseline, mde)
        let p1 = baseline, p2 = baseline + mde, pBar = (p1 + p2) / 2
        let za = Normal.standardQuantile(1 - alpha / 2)
        let s1 = (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot()
        let z = (abs(mde) * nPerArm.squareRoot() - za * (2 * pBar * (1 - pBar)).squareRoot()) / s1
        return Normal.standardCDF(z)
    }

    /// Per-arm sample size to detect a mean difference `delta` with common standard deviation
    /// `sd` (normal approximation): n = 2·(z_{1−α/2} + z_{1−β})²·σ²/δ². Not rounded.
    public static func sampleSizeMeans(delta: Double, sd: Double, alpha: Double = 0.05, power: Double = 0.8) throws(StatsError) -> Double {
        try require(sd > 0, "sd must be positive, got \(sd)")
        try require(delta != 0, "delta must be non-zero")
        try require(alpha > 0 && alpha < 1 && power > 0 && power < 1, "alpha and power must lie in (0, 1)")
        let za = Normal.standardQuantile(1 - alpha / 2), zb = Normal.standardQuantile(power)
        return 2 * pow((za + zb) * sd / delta, 2)
    }

    /// Power to detect a mean difference `delta` with `nPerArm` units per arm (two-sided,
    /// normal approximation, both tails counted).
    public static func powerMeans(delta: Double, sd: Double, nPerArm: Double, alpha: Double = 0.05) throws(StatsError) -> Double {
        try require(sd > 0 && nPerArm > 0, "sd and nPerArm must be positive")
        return normalPower(effect: delta / sd, nPerArm: nPerArm, alpha: alpha)
    }

    private static func checkRates(_ baseline: Double, _ mde: Double) throws(StatsError) {
        try require(baseline > 0 && baseline < 1, "baseline rate must lie in (0, 1), got \(baseline)")
        try require(mde != 0 && baseline + mde > 0 && baseline + mde < 1,
                    "baseline + minimum detectable effect must lie in (0, 1) and differ from the baseline, got \(baseline + mde)")
    }
}
