/// Sample-ratio-mismatch (SRM) check: are the observed unit counts per variant consistent
/// with the configured traffic split? A chi-square goodness-of-fit test; an SRM means the
/// assignment or logging is broken and the experiment's comparison cannot be trusted.
public struct SampleRatioMismatch: Sendable, Hashable {
    /// The goodness-of-fit test result.
    public let test: TestResult
    /// Threshold below which the mismatch is flagged (default 0.001, the common practice,
    /// strict because the check runs many times).
    public let threshold: Double
    /// `true` when the counts are inconsistent with the split.
    public var isMismatch: Bool { test.pValue < threshold }

    /// - Parameters:
    ///   - counts: units observed per variant.
    ///   - expectedWeights: configured split (any positive weights, e.g. [90, 10]).
    public init(counts: [Int], expectedWeights: [Double], threshold: Double = 0.001) throws(StatsError) {
        try require(counts.allSatisfy { $0 >= 0 }, "SRM counts must be non-negative")
        try require(counts.reduce(0, +) > 0, "SRM check needs at least one unit")
        self.test = try HypothesisTests.chiSquareGoodnessOfFit(observed: counts.map(Double.init),
                                                               expectedProportions: expectedWeights)
        self.threshold = threshold
    }
}
