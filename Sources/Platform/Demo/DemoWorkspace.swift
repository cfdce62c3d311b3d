import Foundation
import Randomness
import Storage

/// Fills an empty workspace with a small, realistic example: a handover-tuning experiment
/// with runs, params and learning curves, and a registered model with two versions, a
/// `champion` alias and a stage, so the quickstart shows a person something at once.
public enum DemoWorkspace {
    public static let experimentName = "ran-handover-tuning"
    public static let modelName = "handover-policy"

    /// Seeds the demo unless the experiment already exists. Returns whether it seeded.
    @discardableResult
    public static func seed(_ services: PlatformServices) async throws -> Bool {
        if (try? await services.tracking.experiment(named: experimentName)) != nil { return false }
        let tracking = services.tracking
        let experimentID = try await tracking.createExperiment(name: experimentName, tags: [Tag(key: "team", value: "ran")])
        var generator = SeededGenerator(seed: 7)
        var runIDs: [String] = []
        for (index, config) in [(0.0003, 64), (0.001, 64), (0.0003, 256)].enumerated() {
            let run = try await tracking.createRun(experimentID: experimentID, userID: "demo", runName: "ppo-\(index + 1)", tags: [Tag(key: "team", value: "ran")])
            let id = run.info.runID
            runIDs.append(id)
            try await tracking.logBatch(runID: id, params: [Tag(key: "lr", value: String(config.0)), Tag(key: "batch_size", value: String(config.1)), Tag(key: "algo", value: "ppo")])
            var metrics: [Metric] = []
            let start = Clock.nowMillis() - 3_600_000
            for step in 0..<50 {
                let progress = Double(step) / 49
                let reward = -12 + 10.5 * progress * (1 - 0.1 * Double(index)) + Double(generator.next() % 100) / 200
                metrics.append(Metric(key: "mean_reward", value: reward, timestamp: start + Int64(step) * 60_000, step: Int64(step)))
                metrics.append(Metric(key: "handover_failure_rate", value: 0.08 * (1 - progress * 0.7) + Double(index) * 0.003, timestamp: start + Int64(step) * 60_000, step: Int64(step)))
            }
            try await tracking.logBatch(runID: id, metrics: metrics)
            _ = try await tracking.updateRun(id: id, status: .finished, endTime: Clock.nowMillis(), runName: nil)
        }
        let registry = services.registry
        _ = try await registry.createModel(name: modelName, description: "PPO policy choosing handover offsets per cell", tags: [Tag(key: "domain", value: "ran")])
        for runID in runIDs.prefix(2) {
            let run = try await tracking.run(id: runID)
            try await services.artifacts.put(path: try ArtifactPath(ArtifactURI.storePath(of: run.info.artifactURI).value + "/policy/README.txt"), data: Array("demo policy from run \(runID)\n".utf8))
            _ = try await registry.createVersion(name: modelName, source: "runs:/\(runID)/policy", runID: runID, userID: "demo")
        }
        try await registry.setAlias(name: modelName, alias: "champion", version: "2", actor: "demo")
        _ = try await registry.transitionStage(name: modelName, version: "2", stage: "Production", archiveExisting: false, actor: "demo")
        return true
    }
}
