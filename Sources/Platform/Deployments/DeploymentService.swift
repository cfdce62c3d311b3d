import Foundation
import Logging
import StatsKit
import Storage

/// Where a prediction goes: the variant that answers, and a shadow that gets a copy.
public struct PredictionRoute: Sendable {
    public let deployment: String
    /// `baseline` or `candidate`.
    public let variant: String
    public let model: LoadedModel
    /// The candidate, when it answers a copy of this request without being returned.
    public let shadow: LoadedModel?
    public let batching: BatchingSpec?
    /// Whether outcomes feed a rollout (a candidate is in play); otherwise recording is skipped.
    public let tracked: Bool
}

/// Deployments and their rollouts: routes predictions to variants with sticky assignment,
/// collects outcomes and feedback per variant, runs the strategy's analyses and moves the
/// rollout forward or rolls it back, recording every transition with a timestamp.
///
/// Definitions, states and history persist in the database; the per-step figures live in
/// memory (a restart starts the current step's analysis afresh).
public actor DeploymentService {
    let store: DeploymentStore
    let runtime: ModelRuntime
    let now: @Sendable () -> Int64
    let logger: Logger

    /// In-memory state of one deployment. A class, so the hot path (one `record` per
    /// prediction) mutates in place instead of copying the latency reservoir and the
    /// prediction log.
    final class Live {
        var spec: DeploymentSpec
        var state: DeploymentState
        var baseline: LoadedModel?
        var candidate: LoadedModel?
        var metrics: [String: VariantMetrics] = ["baseline": VariantMetrics(), "candidate": VariantMetrics()]
        var sequential: SequentialTest?
        /// Recent predictions by request id, for feedback (a ring of `predictionCapacity`).
        var predictions: [String: Prediction] = [:]
        var ring: [String] = []
        var ringCursor = 0

        init(spec: DeploymentSpec, state: DeploymentState, baseline: LoadedModel? = nil, candidate: LoadedModel? = nil) {
            self.spec = spec
            self.state = state
            self.baseline = baseline
            self.candidate = candidate
            sequential = spec.gates.abMetric.flatMap { _ in RolloutAnalysis.makeSequentialTest(alpha: spec.gates.alpha) }
        }

        /// Remembers a prediction, forgetting the oldest beyond the capacity. O(1).
        func remember(_ id: String, _ prediction: Prediction) {
            if predictions.updateValue(prediction, forKey: id) != nil { return }
            if ring.count < DeploymentService.predictionCapacity {
                ring.append(id)
            } else {
                predictions[ring[ringCursor]] = nil
                ring[ringCursor] = id
                ringCursor = (ringCursor + 1) % ring.count
            }
        }
    }

    struct Prediction: Sendable {
        var variant: String
        var label: Float?
        var shadowLabel: Float?
        var step: Int
    }

    static let predictionCapacity = 200_000
    /// The actor recorded for transitions the rollout makes by itself.
    public static let automatic = "mlplane"
    var live: [String: Live] = [:]

    public init(store: DeploymentStore, runtime: ModelRuntime, logger: Logger = Logger(label: "mlplane.deployments"),
                now: @escaping @Sendable () -> Int64 = Clock.nowMillis) {
        self.store = store
        self.runtime = runtime
        self.logger = logger
        self.now = now
    }

    /// Loads stored deployments and their models (a model that no longer loads is logged and
    /// the deployment kept without it, so it can still be rolled back or deleted).
    public func bootstrap() async throws {
        for record in try await store.all() {
            let spec = try JSONDecoder().decode(DeploymentSpec.self, from: Data(record.spec.utf8))
            let state = try JSONDecoder().decode(DeploymentState.self, from: Data(record.state.utf8))
            let entry = Live(spec: spec, state: state)
            do {
                if Self.needsBaseline(state) { entry.baseline = try await runtime.acquire(try ModelReference(parsing: spec.baseline)) }
                if Self.needsCandidate(state), let c = spec.candidate { entry.candidate = try await runtime.acquire(try ModelReference(parsing: c)) }
            } catch {
                logger.error("deployment model did not load", metadata: ["deployment": "\(spec.name)", "error": "\(error)"])
            }
            live[spec.name] = entry
        }
    }

    // MARK: lifecycle

    public func create(_ spec: DeploymentSpec, actor: String = "anonymous") async throws -> DeploymentStatus {
        try spec.validate()
        guard live[spec.name] == nil else { throw ServingError(.invalidState, "deployment '\(spec.name)' already exists") }
        let baseline = try await runtime.acquire(try ModelReference(parsing: spec.baseline))
        var candidate: LoadedModel?
        do {
            if let c = spec.candidate {
                candidate = try await runtime.acquire(try ModelReference(parsing: c))
                guard candidate!.model.signature.inputs == baseline.model.signature.inputs else {
                    throw ServingError(.invalidModel, "candidate inputs \(candidate!.model.signature.inputs.map(\.shape)) differ from the baseline's \(baseline.model.signature.inputs.map(\.shape))")
                }
            }
        } catch {
            await runtime.release(baseline)
            if let candidate { await runtime.release(candidate) }
            throw error
        }
        let steps = spec.trafficSteps
        let state = DeploymentState(phase: spec.strategy == .single ? .serving : .progressing, step: 0, candidatePercent: steps[0],
                                    shadowing: spec.strategy == .shadow || spec.strategy == .blueGreen, reason: nil)
        let entry = Live(spec: spec, state: state, baseline: baseline, candidate: candidate)
        guard live[spec.name] == nil else {
            await runtime.release(baseline)
            if let candidate { await runtime.release(candidate) }
            throw ServingError(.invalidState, "deployment '\(spec.name)' already exists")
        }
        live[spec.name] = entry
        do {
            try await store.create(name: spec.name, spec: try Self.json(spec), state: try Self.json(state),
                                   event: try event("created", entry, reason: nil, actor: actor, analysis: nil))
        } catch {
            live[spec.name] = nil
            await runtime.release(baseline)
            if let candidate { await runtime.release(candidate) }
            if let e = error as? StorageError, e.code == .alreadyExists { throw ServingError(.invalidState, e.message) }
            throw error
        }
        return status(of: entry)
    }

    public func list() -> [DeploymentStatus] {
        live.values.sorted { $0.spec.name < $1.spec.name }.map(status(of:))
    }

    public func status(name: String) throws(ServingError) -> DeploymentStatus {
        status(of: try entry(name))
    }

    public func history(name: String) async throws -> [DeploymentEvent] {
        _ = try entry(name)
        return try await store.events(name: name).map { try JSONDecoder().decode(DeploymentEvent.self, from: Data($0.detail.utf8)) }
    }

    public func delete(name: String) async throws {
        let e = try entry(name)
        live[name] = nil
        if let b = e.baseline { await runtime.release(b) }
        if let c = e.candidate { await runtime.release(c) }
        try await store.delete(name: name)
    }

    /// Promotes by hand: the next traffic step, or (at the last step, in a concluded shadow or
    /// A/B test, or after a blue-green switch) the candidate to all traffic, releasing the baseline.
    public func promote(name: String, reason: String? = nil, actor: String = "anonymous") async throws -> DeploymentStatus {
        let e = try entry(name)
        guard e.candidate != nil, [.progressing, .paused, .concluded, .switched].contains(e.state.phase) else {
            throw ServingError(.invalidState, "deployment '\(name)' cannot be promoted in phase \(e.state.phase.rawValue)")
        }
        let steps = e.spec.trafficSteps
        if e.state.phase == .progressing || e.state.phase == .paused, e.spec.strategy != .shadow, e.spec.strategy != .abTest,
           e.state.step + 1 < steps.count {
            try await advance(name, reason: reason ?? "promoted by hand", actor: actor, analysis: nil)
        } else {
            try await finish(name, reason: reason ?? "promoted by hand", actor: actor, analysis: nil)
        }
        return try status(name: name)
    }

    /// Takes the candidate out of traffic (by hand, or when a gate fails).
    public func rollback(name: String, reason: String, actor: String = "anonymous") async throws -> DeploymentStatus {
        let e = try entry(name)
        guard e.candidate != nil, e.state.phase != .rolledBack, e.state.phase != .promoted else {
            throw ServingError(.invalidState, "deployment '\(name)' has no candidate in traffic to roll back (phase \(e.state.phase.rawValue))")
        }
        try await transition(name, kind: "rolled_back", reason: reason, actor: actor, analysis: report(e)) { live in
            live.state.phase = .rolledBack
            live.state.candidatePercent = 0
            live.state.shadowing = false
        }
        await unload(name, candidate: true)
        return try status(name: name)
    }

    public func pause(name: String, actor: String = "anonymous") async throws -> DeploymentStatus {
        guard try entry(name).state.phase == .progressing else { throw ServingError(.invalidState, "only a progressing rollout can be paused") }
        try await transition(name, kind: "paused", reason: "paused by hand", actor: actor, analysis: nil) { $0.state.phase = .paused }
        return try status(name: name)
    }

    public func resume(name: String, actor: String = "anonymous") async throws -> DeploymentStatus {
        guard try entry(name).state.phase == .paused else { throw ServingError(.invalidState, "only a paused rollout can be resumed") }
        try await transition(name, kind: "resumed", reason: "resumed by hand", actor: actor, analysis: nil) { $0.state.phase = .progressing }
        return try status(name: name)
    }

    /// Releases the candidate's or the baseline's model (it unloads when nothing else uses it).
    func unload(_ name: String, candidate: Bool) async {
        guard let e = live[name], let model = candidate ? e.candidate : e.baseline else { return }
        if candidate { e.candidate = nil } else { e.baseline = nil }
        await runtime.release(model)
    }

    func entry(_ name: String) throws(ServingError) -> Live {
        guard let e = live[name] else { throw ServingError(.notFound, "no deployment named '\(name)'") }
        return e
    }

    func report(_ e: Live) -> [String: VariantReport] { e.metrics.mapValues(\.report) }

    func status(of e: Live) -> DeploymentStatus {
        var models: [String: String] = [:]
        if let b = e.baseline { models["baseline"] = b.key }
        if let c = e.candidate { models["candidate"] = c.key }
        return DeploymentStatus(spec: e.spec, state: e.state, models: models, analysis: report(e))
    }

    func event(_ kind: String, _ e: Live, reason: String?, actor: String, analysis: [String: VariantReport]?) throws -> DeploymentEventRecord {
        let t = now()
        let event = DeploymentEvent(time: t, kind: kind, phase: e.state.phase, candidatePercent: e.state.candidatePercent, reason: reason,
                                    actor: actor, analysis: analysis)
        return DeploymentEventRecord(time: t, kind: kind, detail: try Self.json(event))
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func percent(_ p: Double) -> String { p == p.rounded() ? "\(Int(p))%" : "\(p)%" }

    static func needsBaseline(_ s: DeploymentState) -> Bool { s.phase != .promoted }
    static func needsCandidate(_ s: DeploymentState) -> Bool { s.phase != .rolledBack && s.phase != .serving }

    /// A unit's stable bucket in [0, 100): FNV-1a over deployment and unit.
    static func bucket(deployment: String, unit: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (deployment + "\u{0}" + unit).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Double(hash % 10_000) / 100
    }
}
