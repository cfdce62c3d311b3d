import Logging
import StatsKit
import Storage

/// The rollout state machine: analyses, steps, promotion and the stored transitions.
extension DeploymentService {
    /// Runs the gates when the rollout is progressing and acts on the verdict.
    func analyze(_ name: String) async {
        guard let e = live[name], e.state.phase == .progressing, e.candidate != nil else { return }
        var decision: SequentialTest.Decision?
        if var test = e.sequential {
            let control = e.metrics["baseline"]!.pendingOutcomes, candidate = e.metrics["candidate"]!.pendingOutcomes
            if !control.isEmpty && !candidate.isEmpty && control.count + candidate.count >= 20 {
                test.update(controlBatch: control, candidateBatch: candidate)
                e.metrics["baseline"]!.pendingOutcomes = []
                e.metrics["candidate"]!.pendingOutcomes = []
                e.sequential = test
            }
            if test.looks > 0 { decision = test.decision(higherIsBetter: true, margin: e.spec.gates.abMargin) }
        }
        let verdict = RolloutAnalysis.evaluate(gates: e.spec.gates, minSamples: e.spec.minSamples, candidate: e.metrics["candidate"]!,
                                               abDecision: decision)
        do {
            switch verdict {
            case .wait:
                if e.spec.strategy == .abTest, decision == .candidateBetter {
                    try await transition(name, kind: "concluded", reason: "candidate significantly better on \(e.spec.gates.abMetric ?? "")", actor: Self.automatic, analysis: report(e)) {
                        $0.state.phase = .concluded
                    }
                }
            case .fail(let why):
                _ = try await rollback(name: name, reason: "automatic rollback: " + why, actor: Self.automatic)
            case .pass:
                switch e.spec.strategy {
                case .single: break
                case .shadow:
                    try await transition(name, kind: "validated", reason: "gates passed on shadow traffic", actor: Self.automatic, analysis: report(e)) { $0.state.phase = .concluded }
                case .abTest:
                    if decision == .candidateBetter {
                        try await transition(name, kind: "concluded", reason: "candidate significantly better on \(e.spec.gates.abMetric ?? "")", actor: Self.automatic, analysis: report(e)) {
                            $0.state.phase = .concluded
                        }
                    } else if e.spec.gates.abMetric == nil {
                        try await transition(name, kind: "concluded", reason: "gates passed at the fixed split", actor: Self.automatic, analysis: report(e)) { $0.state.phase = .concluded }
                    }
                case .canary, .rolling, .blueGreen:
                    if e.state.step + 1 < e.spec.trafficSteps.count {
                        try await advance(name, reason: "gates passed at \(Self.percent(e.state.candidatePercent))", actor: Self.automatic, analysis: report(e))
                    } else {
                        try await finish(name, reason: "gates passed at 100%", actor: Self.automatic, analysis: report(e))
                    }
                }
            }
        } catch {
            logger.error("deployment transition failed", metadata: ["deployment": "\(name)", "error": "\(error)"])
        }
    }

    /// The next traffic step (blue-green: the switch).
    func advance(_ name: String, reason: String, actor: String, analysis: [String: VariantReport]?) async throws {
        let e = try entry(name)
        let next = e.state.step + 1
        let percent = e.spec.trafficSteps[next]
        let blueGreen = e.spec.strategy == .blueGreen
        try await transition(name, kind: blueGreen ? "switched" : "step", reason: reason, actor: actor, analysis: analysis) { live in
            live.state.step = next
            live.state.candidatePercent = percent
            live.state.shadowing = false
            if blueGreen { live.state.phase = .switched }
            live.metrics = ["baseline": VariantMetrics(), "candidate": VariantMetrics()]
        }
    }

    /// The candidate takes all traffic and the baseline is released.
    func finish(_ name: String, reason: String, actor: String, analysis: [String: VariantReport]?) async throws {
        try await transition(name, kind: "promoted", reason: reason, actor: actor, analysis: analysis) { live in
            live.state.phase = .promoted
            live.state.candidatePercent = 100
            live.state.shadowing = false
        }
        await unload(name, candidate: false)
    }

    /// Applies `change`, stores the new state with an event in one transaction.
    func transition(_ name: String, kind: String, reason: String?, actor: String, analysis: [String: VariantReport]?,
                            _ change: (Live) -> Void) async throws {
        guard let e = live[name] else { throw ServingError(.notFound, "no deployment named '\(name)'") }
        change(e)
        e.state.reason = reason
        try await store.update(name: name, state: try Self.json(e.state), event: try event(kind, e, reason: reason, actor: actor, analysis: analysis))
        logger.info("deployment transition", metadata: ["deployment": "\(name)", "event": "\(kind)", "actor": "\(actor)", "reason": "\(reason ?? "")"])
    }
}
