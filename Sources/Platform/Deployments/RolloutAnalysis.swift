import Foundation
import StatsKit

/// The verdict of the validation gates on a candidate in the current step.
enum GateVerdict: Sendable, Equatable {
    case pass
    case fail(String)
    /// Not enough samples yet.
    case wait
}

/// The gate checks, apart from the state machine so they read (and test) as rules.
enum RolloutAnalysis {
    /// Checks the candidate's figures against `gates`. Error rate, latency and accuracy are
    /// judged once `minSamples` requests (and labels) are in; the A/B test can fail at any
    /// look because its p-value stays valid under repeated looks.
    static func evaluate(gates: RolloutGates, minSamples: Int, candidate: VariantMetrics, abDecision: SequentialTest.Decision?) -> GateVerdict {
        if abDecision == .candidateWorse {
            return .fail("\(gates.abMetric ?? "A/B metric") is significantly worse than the baseline (always-valid test, alpha \(gates.alpha))")
        }
        guard candidate.requests >= minSamples else { return .wait }
        // Failing requests produce no labels, so the error rate must not wait for them.
        if let max = gates.maxErrorRate, let rate = candidate.errorRate, rate > max {
            return .fail(String(format: "error rate %.4f above the maximum %.4f", rate, max))
        }
        // The remaining sample conditions before p95, which sorts the latency reservoir: it is
        // computed once per step's decision, not on every request while labels trickle in.
        if gates.minAccuracy != nil, candidate.labelled < minSamples { return .wait }
        if gates.abMetric != nil, candidate.outcomes.count < minSamples { return .wait }
        if let max = gates.maxP95LatencyMs, let p95 = candidate.p95LatencyMs, p95 > max {
            return .fail(String(format: "p95 latency %.2f ms above the maximum %.2f ms", p95, max))
        }
        if let min = gates.minAccuracy, let accuracy = candidate.accuracy, accuracy < min {
            return .fail(String(format: "accuracy %.4f below the minimum %.4f on %d labels", accuracy, min, candidate.labelled))
        }
        return .pass
    }

    /// Always-valid test of the candidate's A/B metric against the baseline's; mixing
    /// variance 0.01 (effects of about 0.1 on a 0-1 metric).
    static func makeSequentialTest(alpha: Double) -> SequentialTest? {
        try? SequentialTest(alpha: alpha, tau2: 0.01)
    }
}
