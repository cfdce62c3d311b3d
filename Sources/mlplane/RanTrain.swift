import ArgumentParser
import CLIClient
import Foundation
import Logging
import Platform
import RadioSim
import Reinforcement

extension Ran {
    /// `mlplane ran train`: PPO on the simulator, recorded as a tracked run (params, metrics
    /// every update, curve, policy artifact, registered version with its evaluation against
    /// the baselines) on `--server` or, by default, in the local data directory.
    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a PPO policy on the radio simulator and record it as a tracked run and a registered model version.",
            discussion: "Without --server the run is recorded in the local data directory; --no-track skips recording.")
        @Option(help: "small, medium, large, or a scenario JSON file.") var scenario: String = "small"
        @Option(help: "central (one agent for all UEs) or ma (one policy shared by every UE).") var variant: String = "central"
        @Option(help: "Environment steps to train for.") var timesteps: Int = 100_000
        @Option var seed: Int = 0
        @Option(help: "Environments stepped together.") var envs: Int = 1
        @Option(help: "Where to write the policy (safetensors).") var output: String = "policy.safetensors"
        @Option(name: .customLong("eval-episodes"), help: "Seeded episodes of the final evaluation.") var evaluationEpisodes: Int = 10
        @Flag(name: .customLong("sb3-defaults"), help: "Use Stable-Baselines3's PPO defaults instead of the tuned radio defaults.")
        var sb3Defaults = false
        @Option(help: "Experiment to record the run in.") var experiment: String = "ran-ppo"
        @Option(name: .customLong("model-name"), help: "Registered model to add a version to (default ran-<scenario>-<variant>).")
        var modelName: String?
        @Option(help: "Record on this server instead of the local data directory (env MLPLANE_SERVER).")
        var server: String? = ProcessInfo.processInfo.environment["MLPLANE_SERVER"]
        @Option(name: .customLong("data-dir"), help: "Local data directory (env MLPLANE_DATA_DIR).")
        var dataDirectory: String = ProcessInfo.processInfo.environment["MLPLANE_DATA_DIR"] ?? ".mlplane"
        @Flag(name: .customLong("no-track"), help: "Do not record a run.") var noTrack = false
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard timesteps > 0 else { throw ValidationError("--timesteps must be positive") }
            guard envs > 0 else { throw ValidationError("--envs must be positive") }
            guard evaluationEpisodes > 0 else { throw ValidationError("--eval-episodes must be positive") }
        }

        func run() async throws {
            let request = try failing {
                let scenario = try Scenario.resolve(scenario)
                let variant = try RadioVariant.parse(variant)
                return RadioTrainingRequest(scenario: scenario, variant: variant, timesteps: timesteps, seed: seed, environments: envs,
                                            configuration: sb3Defaults ? PPOConfiguration() : nil, evaluationEpisodes: evaluationEpisodes)
            }
            var services: PlatformServices?
            let recorder: (any ExperimentRecorder)?
            if noTrack {
                recorder = nil
            } else if let server {
                recorder = RemoteExperimentRecorder(client: APIClient(baseURL: server))
            } else {
                let opened = try await failingAsync {
                    var logger = Logger(label: "mlplane.ran")
                    logger.logLevel = .warning
                    return try await PlatformServices.open(dataDirectory: URL(fileURLWithPath: dataDirectory), logger: logger)
                }
                services = opened
                recorder = LocalExperimentRecorder(services: opened)
            }
            defer { if let services { Task { try? await services.shutdown() } } }
            let outcome = try await failingAsync {
                try await RadioTrainingJob(request: request, recorder: recorder, experiment: experiment,
                                           modelName: modelName ?? "ran-\(request.scenario.name)-\(request.variant.rawValue)",
                                           output: output).run()
            }
            if let services { try? await services.shutdown() }
            if json { return try printJSON(outcome) }
            print("trained \(outcome.report.timesteps) steps at \(Int(outcome.report.envStepsPerSecond)) steps/s -> \(output)")
            print(Ran.returnsTable(first: ("ppo", outcome.report.finalEvaluation), baselines: outcome.report.baselines))
            if let runID = outcome.runID, let version = outcome.modelVersion {
                print("run \(runID) · model \(outcome.modelName ?? "") version \(version)")
            }
        }
    }
}

/// What `ran train --json` prints: the training report's keys plus where it was recorded.
struct RadioTrainingOutcome: Encodable {
    var report: RadioTrainingReport
    var runID: String?
    var modelName: String?
    var modelVersion: String?

    enum CodingKeys: String, CodingKey { case runID = "run_id", modelName = "model", modelVersion = "model_version" }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(runID, forKey: .runID)
        try container.encodeIfPresent(modelName, forKey: .modelName)
        try container.encodeIfPresent(modelVersion, forKey: .modelVersion)
    }
}

/// One training job: trains on its own thread while the calling task draws progress and
/// logs every update's metrics, then saves, records and registers the policy.
struct RadioTrainingJob {
    let request: RadioTrainingRequest
    let recorder: (any ExperimentRecorder)?
    let experiment: String
    let modelName: String
    let output: String

    func run() async throws -> RadioTrainingOutcome {
        let run = try await recorder?.startRun(experiment: experiment,
                                               name: "ppo-\(request.scenario.name)-\(request.variant.rawValue)-seed\(request.seed)",
                                               params: params, tags: ["mlplane.kind": "ran-ppo"])
        do {
            let (updates, continuation) = AsyncStream.makeStream(of: PPOUpdate.self)
            let request = self.request
            async let trained = onThread {
                defer { continuation.finish() }
                return try RadioTraining.train(request) { continuation.yield($0) }
            }
            for await update in updates {
                ProgressBar.draw(update.timesteps, of: request.timesteps, unit: "steps",
                                 detail: "return \(update.meanEpisodeReturn.map { String(format: "%.2f", $0) } ?? "-")  \(Int(update.stepsPerSecond)) steps/s")
                if let recorder, let run { try await recorder.logMetrics(run, step: update.timesteps, Self.metrics(update)) }
            }
            ProgressBar.finish()
            let (policy, report) = try await trained
            try policy.save(to: output)
            guard let recorder, let run else { return RadioTrainingOutcome(report: report) }
            let version = try await record(policy: policy, report: report, run: run, recorder: recorder)
            try await recorder.finishRun(run, succeeded: true)
            return RadioTrainingOutcome(report: report, runID: run.runID, modelName: modelName, modelVersion: version)
        } catch {
            if let recorder, let run { try? await recorder.finishRun(run, succeeded: false) }
            throw error
        }
    }

    /// Final metrics, the policy and report artifacts, and the registered version.
    private func record(policy: Policy, report: RadioTrainingReport, run: RecordedRun, recorder: any ExperimentRecorder) async throws -> String {
        var final = ["final_mean_return": report.finalEvaluation.mean, "final_std_return": report.finalEvaluation.std,
                     "env_steps_per_second": report.envStepsPerSecond]
        for (name, value) in report.baselines { final["baseline_\(name)_mean_return"] = value.mean }
        try await recorder.logMetrics(run, step: report.timesteps, final)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try await recorder.logArtifact(run, path: "policy/policy.safetensors", contents: try Data(contentsOf: URL(fileURLWithPath: output)))
        try await recorder.logArtifact(run, path: "evaluation.json", contents: try encoder.encode(report))
        let heuristic = report.baselines["strongest_signal"]?.mean ?? .nan
        var tags = ["mlplane.kind": "ran-ppo", "scenario": request.scenario.name, "variant": request.variant.rawValue,
                    "evaluation.mean_return": String(report.finalEvaluation.mean)]
        for (name, value) in report.baselines { tags["baseline.\(name).mean_return"] = String(value.mean) }
        let description = String(format: "PPO on %@/%@ after %d steps: mean return %.3f over %d seeded episodes (strongest signal %.3f).",
                                 request.scenario.name, request.variant.rawValue, report.timesteps, report.finalEvaluation.mean,
                                 request.evaluationEpisodes, heuristic)
        return try await recorder.registerVersion(model: modelName, run: run, path: "policy", description: description, tags: tags)
    }

    private var params: [String: String] {
        let c = request.configuration
        return [
            "scenario": request.scenario.name, "variant": request.variant.rawValue, "timesteps": String(request.timesteps),
            "seed": String(request.seed), "n_envs": String(request.environments), "n_steps": String(c.stepsPerRollout),
            "batch_size": String(c.batchSize), "n_epochs": String(c.epochs), "learning_rate": String(c.learningRate),
            "gamma": String(c.gamma), "gae_lambda": String(c.gaeLambda), "clip_range": String(c.clipRange),
            "ent_coef": String(c.entropyCoefficient), "vf_coef": String(c.valueCoefficient), "max_grad_norm": String(c.maxGradientNorm),
            "normalize_observations": String(c.normalizeObservations), "net_arch": c.hiddenSizes.map(String.init).joined(separator: ","),
            "agent_blocks": String(c.agentBlocks),
        ]
    }

    private static func metrics(_ u: PPOUpdate) -> [String: Double] {
        var m = ["policy_loss": u.policyLoss, "value_loss": u.valueLoss, "entropy": u.entropy, "approx_kl": u.approximateKL,
                 "clip_fraction": u.clipFraction, "explained_variance": u.explainedVariance, "learning_rate": u.learningRate,
                 "steps_per_second": u.stepsPerSecond, "episodes": Double(u.episodesFinished)]
        if let r = u.meanEpisodeReturn { m["mean_return"] = r }
        return m
    }
}

/// Runs CPU-bound work on a thread of its own, leaving the concurrency pool free for I/O.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
