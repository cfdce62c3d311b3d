/// The outcome of a hypothesis test: the statistic, its two-sided p-value (unless the test
/// says otherwise) and, where the reference distribution has one, its degrees of freedom.
public struct TestResult: Sendable, Hashable, Codable {
    /// The test statistic (z, t, χ², U or D depending on the test).
    public var statistic: Double
    /// The p-value under the null hypothesis.
    public var pValue: Double
    /// Degrees of freedom of the reference distribution, when it has any.
    public var degreesOfFreedom: Double?
    /// Estimated effect (difference B − A) when the test has a natural one.
    public var effect: Double?

    public init(statistic: Double, pValue: Double, degreesOfFreedom: Double? = nil, effect: Double? = nil) {
        self.statistic = statistic
        self.pValue = pValue
        self.degreesOfFreedom = degreesOfFreedom
        self.effect = effect
    }

    /// `true` when `pValue < alpha`.
    public func isSignificant(alpha: Double = 0.05) -> Bool { pValue < alpha }
}

/// Alternative hypothesis for the tests that support one-sided versions.
public enum Alternative: String, Sendable, Hashable, Codable {
    /// B ≠ A.
    case twoSided = "two-sided"
    /// B > A (statistic large).
    case greater
    /// B < A (statistic small).
    case less
}
