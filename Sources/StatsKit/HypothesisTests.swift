import Foundation

/// Classical two-sample hypothesis tests. Every function is pure; conventions follow
/// statsmodels / scipy so results can be compared with them (`B vs A` means the statistic
/// is positive when B is larger).
public enum HypothesisTests {

    /// Two-proportion z-test with pooled variance (statsmodels `proportions_ztest`, B vs A).
    ///
    /// z = (p̂_B − p̂_A) / √(p̄(1−p̄)(1/n_A + 1/n_B)), p̄ the pooled rate. O(1).
    /// - Throws: `StatsError.invalidArgument` for negative counts, conversions above the
    ///   sample size or empty arms.
    public static func twoProportionZTest(
        conversionsA: Int, totalA: Int, conversionsB: Int, totalB: Int,
        alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try require(totalA > 0 && totalB > 0, "both arms need at least one unit (n_a=\(totalA), n_b=\(totalB))")
        try require((0...totalA).contains(conversionsA), "conversions_a=\(conversionsA) must lie in 0...\(totalA)")
        try require((0...totalB).contains(conversionsB), "conversions_b=\(conversionsB) must lie in 0...\(totalB)")
        let nA = Double(totalA), nB = Double(totalB)
        let pA = Double(conversionsA) / nA, pB = Double(conversionsB) / nB
        let pooled = Double(conversionsA + conversionsB) / (nA + nB)
        let se = (pooled * (1 - pooled) * (1 / nA + 1 / nB)).squareRoot()
        let diff = pB - pA
        let z: Double = se > 0 ? diff / se : (diff == 0 ? 0 : (diff > 0 ? .infinity : -.infinity))
        return TestResult(statistic: z, pValue: normalPValue(z, alternative), effect: diff)
    }

    /// Welch's unequal-variance t-test from summary statistics (scipy
    /// `ttest_ind_from_stats(equal_var=False)`, B vs A). Standard deviations are sample
    /// standard deviations (ddof = 1). Degrees of freedom by Welch–Satterthwaite.
    public static func welchTTest(
        meanA: Double, sdA: Double, countA: Int,
        meanB: Double, sdB: Double, countB: Int,
        alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try require(countA >= 2 && countB >= 2, "Welch t needs at least 2 observations per arm (n_a=\(countA), n_b=\(countB))")
        try require(sdA >= 0 && sdB >= 0, "standard deviations must be non-negative (sd_a=\(sdA), sd_b=\(sdB))")
        let vA = sdA * sdA / Double(countA), vB = sdB * sdB / Double(countB)
        let se2 = vA + vB
        try require(se2 > 0, "both arms have zero variance; the t statistic is undefined")
        let t = (meanB - meanA) / se2.squareRoot()
        let df = se2 * se2 / (vA * vA / Double(countA - 1) + vB * vB / Double(countB - 1))
        let dist = try StudentT(df: df)
        let p: Double
        switch alternative {
        case .twoSided: p = dist.twoSidedPValue(t)
        case .greater: p = dist.sf(t)
        case .less: p = dist.cdf(t)
        }
        return TestResult(statistic: t, pValue: p, degreesOfFreedom: df, effect: meanB - meanA)
    }

    /// Welch's t-test on raw samples (B vs A). O(n).
    public static func welchTTest(_ a: [Double], _ b: [Double], alternative: Alternative = .twoSided) throws(StatsError) -> TestResult {
        let sa = Summary(a), sb = Summary(b)
        return try welchTTest(meanA: sa.mean, sdA: sa.sd, countA: sa.count,
                              meanB: sb.mean, sdB: sb.sd, countB: sb.count, alternative: alternative)
    }

    /// Pearson chi-square test of independence on an r×c contingency table (scipy
    /// `chi2_contingency(correction=False)`), df = (r−1)(c−1). O(rc).
    /// - Parameter yatesCorrection: apply Yates' continuity correction (2×2 only, as scipy).
    public static func chiSquareIndependence(_ table: [[Double]], yatesCorrection: Bool = false) throws(StatsError) -> TestResult {
        let r = table.count
        try require(r >= 2, "contingency table needs at least 2 rows, got \(r)")
        let c = table[0].count
        try require(c >= 2 && table.allSatisfy { $0.count == c }, "contingency table rows must all have the same length >= 2")
        try require(table.allSatisfy { $0.allSatisfy { $0 >= 0 && $0.isFinite } }, "contingency table counts must be finite and non-negative")
        let rowSums = table.map { $0.reduce(0, +) }
        var colSums = [Double](repeating: 0, count: c)
        for row in table { for j in 0..<c { colSums[j] += row[j] } }
        let total = rowSums.reduce(0, +)
        try require(rowSums.allSatisfy { $0 > 0 } && colSums.allSatisfy { $0 > 0 }, "every row and column of the contingency table needs a positive total")
        var chi2 = 0.0
        let correct = yatesCorrection && r == 2 && c == 2
        for i in 0..<r {
            for j in 0..<c {
                let e = rowSums[i] * colSums[j] / total
                var d = abs(table[i][j] - e)
                if correct { d = max(0, d - 0.5) }
                chi2 += d * d / e
            }
        }
        let df = Double((r - 1) * (c - 1))
        return TestResult(statistic: chi2, pValue: try ChiSquared(df: df).sf(chi2), degreesOfFreedom: df)
    }

    /// Pearson chi-square goodness-of-fit test (scipy `chisquare`): observed counts against
    /// expected proportions (normalised to the observed total), df = k − 1.
    public static func chiSquareGoodnessOfFit(observed: [Double], expectedProportions: [Double]) throws(StatsError) -> TestResult {
        try require(observed.count >= 2, "goodness of fit needs at least 2 categories")
        try require(observed.count == expectedProportions.count, "observed has \(observed.count) categories, expected proportions \(expectedProportions.count)")
        try require(expectedProportions.allSatisfy { $0 > 0 }, "expected proportions must be positive")
        try require(observed.allSatisfy { $0 >= 0 }, "observed counts must be non-negative")
        let total = observed.reduce(0, +)
        let pSum = expectedProportions.reduce(0, +)
        var chi2 = 0.0
        for (o, p) in zip(observed, expectedProportions) {
            let e = total * p / pSum
            chi2 += (o - e) * (o - e) / e
        }
        let df = Double(observed.count - 1)
        return TestResult(statistic: chi2, pValue: try ChiSquared(df: df).sf(chi2), degreesOfFreedom: df)
    }

    static func normalPValue(_ z: Double, _ alternative: Alternative) -> Double {
        switch alternative {
        case .twoSided: return min(1, 2 * Normal.standardCDF(-abs(z)))
        case .greater: return Normal.standardCDF(-z)
        case .less: return Normal.standardCDF(z)
        }
    }
}

/// Count, mean and sample standard deviation (ddof = 1) of a sample, by Welford's method.
public struct Summary: Sendable, Hashable, Codable {
    public var count: Int
    public var mean: Double
    /// Sum of squared deviations from the mean.
    public var m2: Double

    public init() { count = 0; mean = 0; m2 = 0 }
    public init(_ xs: [Double]) { self.init(); for x in xs { add(x) } }

    /// Adds one observation. O(1).
    public mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / Double(count)
        m2 += d * (x - mean)
    }

    /// Merges another summary (Chan et al. parallel update).
    public mutating func merge(_ o: Summary) {
        if o.count == 0 { return }
        if count == 0 { self = o; return }
        let n = Double(count + o.count)
        let d = o.mean - mean
        mean += d * Double(o.count) / n
        m2 += o.m2 + d * d * Double(count) * Double(o.count) / n
        count += o.count
    }

    /// Sample variance (ddof = 1); 0 for fewer than 2 observations.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
    public var sd: Double { variance.squareRoot() }
}
