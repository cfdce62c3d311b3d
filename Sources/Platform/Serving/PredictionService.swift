import Foundation
import Metrics
import Synchronization

/// What a prediction returns, with where it was served from.
public struct PredictionResult: Sendable {
    public var outputs: [String: ServingTensor]
    public var modelName: String
    public var modelVersion: String
    /// `baseline` / `candidate` when a deployment served it.
    public var variant: String?
    public var signature: ModelSignature
}

/// The predict path behind every serving protocol: picks the deployment's variant (or the
/// requested model version), validates, batches when the deployment asks for it, predicts,
/// sends a shadow copy, and records the outcome for the rollout and for Prometheus
/// (`mlplane_predict_duration_seconds` and `mlplane_predict_requests_total`, by model,
/// version and variant).
public final class PredictionService: Sendable {
    public let runtime: ModelRuntime
    public let deployments: DeploymentService
    private let batchers = Mutex<[String: DynamicBatcher]>([:])
    /// The timer and success counter per (model, version, variant), made once: creating them
    /// per request would cost a registry lookup each time.
    private let instruments = Mutex<[String: (timer: Timer, served: Counter)]>([:])

    public init(runtime: ModelRuntime, deployments: DeploymentService) {
        self.runtime = runtime
        self.deployments = deployments
    }

    /// The model an endpoint name means: a deployment's serving variant, or a registered model
    /// (`version` / `label` pick one; by default the latest version).
    public func describe(endpoint: String, version: String? = nil, label: String? = nil) async throws -> LoadedModel {
        if version == nil, label == nil, let route = await deployments.route(name: endpoint, unit: nil) { return route.model }
        return try await runtime.model(Self.reference(endpoint, version: version, label: label))
    }

    /// Predicts `inputs` on `endpoint`. `unit` keeps a user or cell on one variant.
    public func predict(endpoint: String, version: String? = nil, label: String? = nil, unit: String? = nil,
                        requestID: String, inputs: [String: ServingTensor]) async throws -> PredictionResult {
        try await predict(endpoint: endpoint, version: version, label: label, unit: unit, requestID: requestID) { _ in inputs }
    }

    /// Predicts on `endpoint` with inputs made from the chosen model's signature (protocols
    /// whose bodies only decode against the model's inputs, like TF-Serving's row form), so
    /// the variant is picked once per request.
    public func predict(endpoint: String, version: String? = nil, label: String? = nil, unit: String? = nil, requestID: String,
                        inputs makeInputs: (ModelSignature) throws -> [String: ServingTensor]) async throws -> PredictionResult {
        let route = version == nil && label == nil ? await deployments.route(name: endpoint, unit: unit) : nil
        let model: LoadedModel
        if let route { model = route.model } else { model = try await runtime.model(Self.reference(endpoint, version: version, label: label)) }
        let variant = route?.variant ?? "direct"
        let inputs = try makeInputs(model.model.signature)
        let start = ContinuousClock.now
        let outputs: [String: ServingTensor]
        do {
            let rows = try model.model.validate(inputs)
            if let batching = route?.batching {
                outputs = try await batcher(for: model, spec: batching).predict(inputs, rows: rows)
            } else {
                outputs = try model.model.predict(inputs, batchSize: rows)
            }
        } catch {
            let failedOnInput = (error as? ServingError)?.code == .invalidInput
            Counter(label: "mlplane_predict_requests_total",
                    dimensions: [("model", model.name), ("version", model.version), ("variant", variant), ("status", failedOnInput ? "invalid" : "error")]).increment()
            // A request the model rejects is the caller's fault, not the variant's.
            if let route, route.tracked, !failedOnInput {
                await deployments.record(name: route.deployment, requestID: requestID, variant: variant, latencyMs: 0, failed: true, label: nil)
            }
            throw error
        }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let (timer, served) = instruments(model: model, variant: variant)
        timer.recordSeconds(seconds)
        served.increment()
        if let route, route.tracked {
            await deployments.record(name: route.deployment, requestID: requestID, variant: variant, latencyMs: seconds * 1000,
                                     failed: false, label: Self.predictedLabel(outputs, signature: model.model.signature))
            if let shadow = route.shadow { shadowPredict(shadow, route: route, requestID: requestID, inputs: inputs) }
        }
        return PredictionResult(outputs: outputs, modelName: model.name, modelVersion: model.version, variant: route?.variant,
                                signature: model.model.signature)
    }

    /// The candidate answers a copy in the background; only its outcome is recorded.
    private func shadowPredict(_ shadow: LoadedModel, route: PredictionRoute, requestID: String, inputs: [String: ServingTensor]) {
        let deployments = self.deployments
        Task { [self] in
            let start = ContinuousClock.now
            do {
                let rows = try shadow.model.validate(inputs)
                let outputs = try shadow.model.predict(inputs, batchSize: rows)
                let ms = (ContinuousClock.now - start) / .milliseconds(1)
                let (timer, served) = self.instruments(model: shadow, variant: "shadow")
                timer.recordSeconds(ms / 1000)
                served.increment()
                await deployments.record(name: route.deployment, requestID: requestID, variant: "candidate", latencyMs: ms, failed: false,
                                         label: Self.predictedLabel(outputs, signature: shadow.model.signature))
            } catch {
                await deployments.record(name: route.deployment, requestID: requestID, variant: "candidate", latencyMs: 0, failed: true, label: nil)
            }
        }
    }

    private func instruments(model: LoadedModel, variant: String) -> (timer: Timer, served: Counter) {
        let key = model.key + "|" + variant
        if let found = instruments.withLock({ $0[key] }) { return found }
        let made = (Timer(label: "mlplane_predict_duration_seconds", dimensions: [("model", model.name), ("version", model.version), ("variant", variant)]),
                    Counter(label: "mlplane_predict_requests_total",
                            dimensions: [("model", model.name), ("version", model.version), ("variant", variant), ("status", "ok")]))
        instruments.withLock { $0[key] = made }
        return made
    }

    /// Forward passes and requests per batching queue (`model/version#size/wait`): the
    /// batching factor is requests / batches.
    public func batchStatistics() async -> [String: (batches: Int, requests: Int)] {
        var out: [String: (batches: Int, requests: Int)] = [:]
        for (key, batcher) in batchers.withLock({ $0 }) { out[key] = (await batcher.batches, await batcher.requests) }
        return out
    }

    private func batcher(for model: LoadedModel, spec: BatchingSpec) -> DynamicBatcher {
        batchers.withLock { map in
            let key = model.key + "#\(spec.maxBatchSize)/\(spec.maxWaitMicroseconds)"
            if let b = map[key] { return b }
            let b = DynamicBatcher(model: model.model, spec: spec)
            map[key] = b
            return b
        }
    }

    static func reference(_ endpoint: String, version: String?, label: String?) throws(ServingError) -> ModelReference {
        if let version { return .version(model: endpoint, version: version) }
        if let label { return .alias(model: endpoint, alias: label) }
        return try ModelReference(parsing: endpoint)
    }

    /// The label a prediction stands for (compared with feedback labels): a `label` output,
    /// else the arg-max of the first output's first row (a single value counts as itself).
    static func predictedLabel(_ outputs: [String: ServingTensor], signature: ModelSignature) -> Float? {
        if let l = outputs["label"]?.floats?.first { return l }
        guard let first = signature.outputs.first, let t = outputs[first.name], let f = t.floats, !f.isEmpty else { return nil }
        let width = t.shape.count > 1 ? t.shape.dropFirst().reduce(1, *) : 1
        guard width > 1 else { return f[0] }
        var best = 0
        for j in 1..<min(width, f.count) where f[j] > f[best] { best = j }
        return Float(best)
    }
}

