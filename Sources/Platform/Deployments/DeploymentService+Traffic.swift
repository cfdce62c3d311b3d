import StatsKit

/// The hot path: routing each prediction, recording its outcome, taking feedback.
extension DeploymentService {
    /// The variant for one request. `unit` (a user or cell id) makes the choice sticky: a
    /// unit's hash bucket stays below or above the candidate's share, so it sees one variant,
    /// and as the share grows units only move from baseline to candidate. Nil when no
    /// deployment has this name.
    public func route(name: String, unit: String?) -> PredictionRoute? {
        guard let e = live[name] else { return nil }
        let percent = e.state.candidatePercent
        var useCandidate = false
        if e.candidate != nil, percent > 0 {
            let bucket = unit.map { Self.bucket(deployment: name, unit: $0) } ?? Double.random(in: 0..<100)
            useCandidate = bucket < percent
        }
        if useCandidate || e.baseline == nil, let candidate = e.candidate {
            return PredictionRoute(deployment: name, variant: "candidate", model: candidate, shadow: nil, batching: e.spec.batching,
                                   tracked: e.state.phase == .progressing)
        }
        guard let baseline = e.baseline else { return nil }
        return PredictionRoute(deployment: name, variant: "baseline", model: baseline,
                               shadow: e.state.shadowing ? e.candidate : nil, batching: e.spec.batching,
                               tracked: e.candidate != nil && e.state.phase == .progressing)
    }

    /// Records one answered (or failed) prediction; may run the step's analysis.
    public func record(name: String, requestID: String, variant: String, latencyMs: Double, failed: Bool, label: Float?) async {
        guard let e = live[name] else { return }
        e.metrics[variant, default: VariantMetrics()].record(latencyMs: latencyMs, failed: failed)
        if !failed {
            if variant == "candidate", let p = e.predictions[requestID], p.variant == "baseline" {
                e.predictions[requestID]?.shadowLabel = label
            } else {
                e.remember(requestID, Prediction(variant: variant, label: label, shadowLabel: nil, step: e.state.step))
            }
        }
        if variant == "candidate" { await analyze(name) }
    }

    /// Feedback for an earlier prediction: a true `label` (accuracy), a `reward` or a
    /// `conversion` (0/1) for the A/B metric. Unknown request ids are a 404 while a rollout
    /// runs; outside one, feedback is accepted and ignored.
    public func feedback(name: String, requestID: String, label: Float?, reward: Double?, conversion: Bool?) async throws {
        let e = try entry(name)
        guard label != nil || reward != nil || conversion != nil else {
            throw ServingError(.invalidInput, "feedback needs a label, a reward or a conversion")
        }
        if let reward, !reward.isFinite { throw ServingError(.invalidInput, "reward must be a finite number") }
        // Outside a running rollout nothing is analysed and predictions are not logged.
        guard e.state.phase == .progressing else { return }
        guard let p = e.predictions[requestID] else {
            throw ServingError(.notFound, "deployment '\(name)' has no recent prediction with request id '\(requestID)'")
        }
        guard p.step == e.state.step else { return } // feedback for an earlier step does not count in this one
        let shadowVariant = p.variant == "baseline" && p.shadowLabel != nil ? "candidate" : nil
        if let label {
            e.metrics[p.variant, default: VariantMetrics()].addLabel(correct: p.label == label)
            if let shadowVariant { e.metrics[shadowVariant, default: VariantMetrics()].addLabel(correct: p.shadowLabel == label) }
        }
        let metric = e.spec.gates.abMetric
        let outcome: Double? = switch metric {
        case "reward": reward
        case "conversion": conversion.map { $0 ? 1 : 0 }
        case "accuracy": label.map { p.label == $0 ? 1 : 0 }
        default: nil
        }
        if let outcome { e.metrics[p.variant, default: VariantMetrics()].addOutcome(outcome) }
        await analyze(name)
    }

    /// The current step's figures per variant.
    public func analysis(name: String) throws(ServingError) -> [String: VariantReport] {
        report(try entry(name))
    }
}
