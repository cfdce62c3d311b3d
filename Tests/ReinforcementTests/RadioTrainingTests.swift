import Foundation
import RadioSim
import Reinforcement
import TensorCore
import Testing

@Suite("PPO on the radio simulator")
struct RadioTrainingTests {
    /// The quality bar, as a deterministic test: after 100k steps on the small central
    /// scenario the trained policy beats the strongest-signal heuristic on 10 seeded episodes.
    @Test func beatsStrongestSignalOnSmallCentral() throws {
        let (policy, report) = try RadioTraining.train(RadioTrainingRequest(scenario: .small, variant: .central, timesteps: 100_000))
        let heuristic = try #require(report.baselines["strongest_signal"])
        #expect(report.finalEvaluation.mean > heuristic.mean,
                "PPO \(report.finalEvaluation.mean) vs strongest signal \(heuristic.mean); curve \(report.curve.map(\.meanReturn))")
        #expect(report.curve.count >= 40)
        #expect(report.curve.first!.meanReturn < report.curve.last!.meanReturn - 10, "the curve rises from random play")
        #expect(report.timesteps == 100_352)
        #expect(policy.metadata["variant"] == "central")
    }

    /// A short run of each variant: report shape (the `ran train --json` object), the saved
    /// policy reproduces its evaluation after a round trip, and `act` is deterministic.
    @Test(arguments: [RadioVariant.central, .ma])
    func trainSaveLoadEvaluate(variant: RadioVariant) throws {
        var configuration = RadioTraining.defaultConfiguration(for: .small, variant: variant)
        configuration.stepsPerRollout = 256
        configuration.normalizeObservations = true
        let request = RadioTrainingRequest(scenario: .small, variant: variant, timesteps: 1024, seed: 3, environments: 2,
                                           configuration: configuration, evaluationEpisodes: 3)
        let (policy, report) = try RadioTraining.train(request)
        #expect(report.timesteps == 1024)
        #expect(report.envStepsPerSecond > 0)
        #expect(Set(report.baselines.keys) == ["random", "strongest_signal", "a3_handover", "load_aware"])

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as! [String: Any]
        #expect(Set(json.keys).isSuperset(of: ["env_steps_per_second", "final_evaluation", "curve"]))
        let curve = try #require(json["curve"] as? [[String: Any]])
        #expect(curve.allSatisfy { $0["step"] is Int && $0["mean_return"] is Double })

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try policy.save(to: path)
        let loaded = try Policy.load(from: path)
        #expect(loaded.normalizer == policy.normalizer)
        #expect(loaded.architecture == policy.architecture)
        let again = try RadioTraining.evaluate(loaded, episodes: 3, seed: 0)
        #expect(again.mean == report.finalEvaluation.mean)
        #expect(again.std == report.finalEvaluation.std)

        var g = SeededGenerator(seed: 1)
        let observations = (0..<(policy.architecture.observationSize * 4)).map { _ in g.nextUnitFloat() }
        #expect(loaded.act(observations) == policy.act(observations))
    }

    @Test func evaluateRejectsAScenarioOfAnotherSize() throws {
        var configuration = RadioTraining.defaultConfiguration(for: .small, variant: .central)
        configuration.stepsPerRollout = 64
        let (policy, _) = try RadioTraining.train(RadioTrainingRequest(scenario: .small, timesteps: 64, configuration: configuration,
                                                                       evaluationEpisodes: 1))
        #expect { try RadioTraining.evaluate(policy, scenario: .medium, episodes: 1, seed: 0) } throws: { error in
            "\(error)".contains("observations of size")
        }
    }
}

@Suite("Policy files")
struct PolicyFileTests {
    @Test func unreadableFilesAreTypedErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policy-files-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        #expect { try Policy.load(from: dir.appendingPathComponent("missing.safetensors").path) } throws: { error in
            (error as? ReinforcementError)?.code == .invalidPolicy
        }
        // A valid safetensors file that is not a policy.
        let plain = dir.appendingPathComponent("plain.safetensors").path
        try SafeTensors.write(["w": Tensor([1, 2])], to: plain)
        #expect { try Policy.load(from: plain) } throws: { error in
            "\(error)".contains("not an MLPlane policy")
        }
        // A policy whose tensor has the wrong shape names the tensor.
        var g = SeededGenerator(seed: 0)
        let policy = Policy(network: ActorCritic(PolicyArchitecture(observationSize: 4, action: .categorical(counts: [2])), using: &g),
                            normalizer: nil)
        let good = dir.appendingPathComponent("good.safetensors").path
        try policy.save(to: good)
        var file = try SafeTensors.read(good)
        file.tensors["pi.layers.0.weight"] = Tensor.zeros([64, 5])
        let bad = dir.appendingPathComponent("bad.safetensors").path
        try SafeTensors.write(file.tensors, metadata: file.metadata, to: bad)
        #expect { try Policy.load(from: bad) } throws: { error in
            "\(error)".contains("pi.layers.0.weight")
        }
        #expect(throws: ReinforcementError.self) { try policy.validate(observations: [1, 2, 3]) }
        #expect(throws: ReinforcementError.self) { try policy.validate(observations: [1, 2, .nan, 4]) }
        try policy.validate(observations: [1, 2, 3, 4, 5, 6, 7, 8])
    }
}

@Suite("PPO with per-cell agents")
struct CellAgentTrainingTests {
    /// One policy shared by every cell (operator mode, CIO per cell) trains through the same
    /// trainer: rows are (environment, cell) pairs and the shared reward drives all of them.
    @Test func sharedCellPolicyTrains() throws {
        let scenario = try Scenario.hexGrid(rings: 1, ueCount: 40, seed: 3)
        let source = VectorMultiAgentEnvironment(try (0..<2).map { _ in try CellAgentEnvironment(scenario: scenario) })
        var configuration = PPOConfiguration()
        configuration.stepsPerRollout = 256
        configuration.gamma = 0.9
        let trainer = try PPOTrainer(source: source, configuration: configuration, seed: 4)
        var updates: [PPOUpdate] = []
        trainer.learn(totalTimesteps: 8192) { updates.append($0) }
        #expect(source.rowCount == 2 * scenario.stations.count)
        #expect(trainer.timesteps == 8192)
        #expect(trainer.episodeReturns.count >= 80)
        #expect(updates.last!.entropy < updates.first!.entropy, "the shared policy sharpened")
    }
}
