import Foundation

/// Mixture sequential probability ratio test (mSPRT) with a normal mixing distribution,
/// giving always-valid p-values and confidence sequences for the difference of means
/// B − A (Johari, Pekelis & Walsh 2017, "Always Valid Inference"; Robbins 1970).
///
/// The test can be looked at after every batch (a canary analysis step) without inflating
/// the type-I error: P(ever reject | H0) ≤ α. With estimate Δ̂ = x̄_B − x̄_A, its variance
/// s² = σ²_A/n_A + σ²_B/n_B and mixing variance τ², the mixture likelihood ratio against
/// H0: Δ = θ₀ is
///
///     Λ = √(s² / (s² + τ²)) · exp( τ² (Δ̂ − θ₀)² / (2 s² (s² + τ²)) )
///
/// and the always-valid p-value is p_n = min(p_{n−1}, 1/Λ_n). The (1 − α) confidence
/// sequence is Δ̂ ± √( s²(s²+τ²)/τ² · (log((s²+τ²)/s²) + 2 log(1/α)) ).
/// For paired equal-size arms this is exactly the paper's formula with V = n·s².
///
/// Usage: create once per experiment, `update` per batch, read `decision(...)`.
/// A value type: the caller owns the state and persists it between looks.
public struct SequentialTest: Sendable, Hashable, Codable {
    /// Significance level α.
    public var alpha: Double
    /// Mixing variance τ² of the normal prior on the effect; choose it on the scale of the
    /// effects you care about (`tau2 = mde²` is a good default).
    public var tau2: Double
    /// Null difference θ₀ (usually 0).
    public var nullDifference: Double
    /// Running summaries of arm A (control) and arm B (candidate).
    public private(set) var a = Summary()
    public private(set) var b = Summary()
    /// The running always-valid p-value (non-increasing).
    public private(set) var pValue: Double = 1
    /// Number of looks taken so far.
    public private(set) var looks: Int = 0

    /// Result of one look.
    public enum Decision: String, Sendable, Hashable, Codable {
        /// Not enough evidence yet either way.
        case continueTesting = "continue"
        /// The confidence sequence lies entirely on the better side of 0: the candidate wins.
        case candidateBetter = "candidate_better"
        /// The candidate is significantly worse than the control by more than the margin.
        case candidateWorse = "candidate_worse"
    }

    /// - Parameters:
    ///   - alpha: level of the always-valid test.
    ///   - tau2: mixing variance τ² > 0.
    ///   - nullDifference: θ₀.
    public init(alpha: Double = 0.05, tau2: Double, nullDifference: Double = 0) throws(StatsError) {
        try require(alpha > 0 && alpha < 1, "alpha must lie in (0, 1), got \(alpha)")
        try require(tau2 > 0 && tau2.isFinite, "mixing variance tau2 must be positive, got \(tau2)")
        self.alpha = alpha
        self.tau2 = tau2
        self.nullDifference = nullDifference
    }

    /// Adds a batch of observations of each arm (values, or 0/1 for conversions) and
    /// updates the always-valid p-value. O(batch size).
    public mutating func update(controlBatch: [Double], candidateBatch: [Double]) {
        for x in controlBatch { a.add(x) }
        for x in candidateBatch { b.add(x) }
        looks += 1
        if let lr = likelihoodRatio(at: nullDifference) {
            pValue = min(pValue, min(1, 1 / lr))
        }
    }

    /// Adds a batch given as summaries (for example conversion counts: mean = rate).
    public mutating func update(control: Summary, candidate: Summary) {
        a.merge(control)
        b.merge(candidate)
        looks += 1
        if let lr = likelihoodRatio(at: nullDifference) { pValue = min(pValue, min(1, 1 / lr)) }
    }

    /// Current estimate Δ̂ = x̄_B − x̄_A.
    public var estimate: Double { b.mean - a.mean }

    /// Estimated variance s² of Δ̂, or nil before each arm has two observations.
    public var estimateVariance: Double? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let s2 = a.variance / Double(a.count) + b.variance / Double(b.count)
        return s2 > 0 ? s2 : nil
    }

    /// Mixture likelihood ratio Λ against H0: Δ = θ.
    public func likelihoodRatio(at theta: Double) -> Double? {
        guard let s2 = estimateVariance else { return nil }
        let d = estimate - theta
        return (s2 / (s2 + tau2)).squareRoot() * exp(tau2 * d * d / (2 * s2 * (s2 + tau2)))
    }

    /// The (1 − α) always-valid confidence interval for Δ at this look, or nil before data.
    public var confidenceSequence: ClosedRange<Double>? {
        guard let s2 = estimateVariance else { return nil }
        let half = (s2 * (s2 + tau2) / tau2 * (log((s2 + tau2) / s2) + 2 * log(1 / alpha))).squareRoot()
        return (estimate - half)...(estimate + half)
    }

    /// Decision at this look. With `higherIsBetter` (conversions, accuracy) the candidate is
    /// worse when the whole interval lies below `−margin`; for costs (latency, error rate)
    /// pass `false`. A non-inferiority gate fails only on `.candidateWorse`.
    public func decision(higherIsBetter: Bool = true, margin: Double = 0) -> Decision {
        guard let ci = confidenceSequence else { return .continueTesting }
        let sign = higherIsBetter ? 1.0 : -1.0
        let lo = sign > 0 ? ci.lowerBound : -ci.upperBound
        let hi = sign > 0 ? ci.upperBound : -ci.lowerBound
        if hi < -abs(margin) { return .candidateWorse }
        if lo > 0 { return .candidateBetter }
        return .continueTesting
    }
}
