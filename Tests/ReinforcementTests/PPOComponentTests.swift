import Foundation
import RadioSim
@testable import Reinforcement
import TensorCore
import Testing

@Suite("PPO building blocks")
struct PPOComponentTests {
    /// GAE against the recursion written out by hand for two rows, one with an episode
    /// boundary inside the rollout and one ending on the last step.
    @Test func gaeMatchesHandComputation() {
        var buffer = RolloutBuffer(steps: 3, rows: 2, observationSize: 1, actionWidth: 1)
        let rewards: [[Float]] = [[1, 0.5], [2, 0], [3, 1]]
        let values: [[Float]] = [[0.5, 0.2], [1, 0.1], [1.5, 0.3]]
        let starts: [[Bool]] = [[true, true], [false, false], [true, false]] // row 0 restarts at t = 2
        for t in 0..<3 {
            buffer.add(observations: [0, 0], actions: [0, 0], rewards: rewards[t], episodeStarts: starts[t],
                       values: values[t], logProbabilities: [0, 0])
        }
        let (gamma, lambda): (Float, Float) = (0.9, 0.8)
        buffer.computeReturnsAndAdvantages(lastValues: [2, 0.4], lastDones: [false, true], gamma: gamma, lambda: lambda)
        // Row 0: t2 bootstraps from 2; t1 ends the episode (t2 starts a new one).
        let d02 = 3 + gamma * 2 - 1.5
        let d01: Float = 2 - 1
        let d00 = 1 + gamma * 1 - 0.5
        let a0: [Float] = [d00 + gamma * lambda * d01, d01, d02]
        // Row 1: the last step ended its episode, no bootstrap.
        let d12: Float = 1 - 0.3
        let d11 = 0 + gamma * 0.3 - 0.1
        let d10 = 0.5 + gamma * 0.1 - 0.2
        let a11 = d11 + gamma * lambda * d12
        let a1: [Float] = [d10 + gamma * lambda * a11, a11, d12]
        for t in 0..<3 {
            #expect(abs(buffer.advantages[t * 2] - a0[t]) < 1e-6, "row 0, t \(t)")
            #expect(abs(buffer.advantages[t * 2 + 1] - a1[t]) < 1e-6, "row 1, t \(t)")
            #expect(abs(buffer.returns[t * 2] - (a0[t] + values[t][0])) < 1e-6)
        }
    }

    /// Merging batches gives the mean and population variance of all rows together.
    @Test func normalizerMergesBatches() {
        var n = ObservationNormalizer(size: 2)
        var g = SeededGenerator(seed: 4)
        let a = (0..<40).map { _ in Float(g.nextNormal() * 3 + 1) }
        let b = (0..<60).map { _ in Float(g.nextNormal() - 2) }
        n.update(a)
        n.update(b)
        let all = (a + b).map(Double.init)
        for j in 0..<2 {
            let column = stride(from: j, to: all.count, by: 2).map { all[$0] }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
            #expect(abs(n.mean[j] - mean) < 1e-4)
            #expect(abs(n.variance[j] - variance) < 1e-3 * variance)
        }
        let normalized = n.normalize([1e6, Float(n.mean[1])])
        #expect(normalized[0] == 10, "clipped at ±10")
        #expect(abs(normalized[1]) < 1e-4)
    }

    /// The log-probability recorded while sampling equals the one training recomputes, for
    /// multi-discrete (uneven counts), uniform multi-discrete and Gaussian heads; entropy of
    /// uniform logits is Σ log(count).
    @Test(arguments: [ActionKind.categorical(counts: [3, 5, 2]), .categorical(counts: [4, 4, 4]),
                      .gaussian(low: [-1, -1], high: [1, 1])])
    func sampledLogProbabilitiesMatchTraining(kind: ActionKind) {
        var g = SeededGenerator(seed: 9)
        let rows = 6
        let output = Tensor.randomNormal([rows, kind.outputSize], using: &g)
        let logStd: Tensor? = if case .gaussian = kind { Tensor([-0.3, 0.2]) } else { nil }
        let (actions, logps) = kind.sample(output: output, logStd: logStd, deterministic: false, using: &g)
        let (recomputed, entropy) = kind.logProbabilityAndEntropy(output: Variable(output), actions: Tensor(shape: [rows, kind.width], scalars: actions),
                                                                  logStd: logStd.map { Variable($0) })
        for r in 0..<rows { #expect(abs(recomputed.value.scalars[r] - logps[r]) < 1e-4, "row \(r)") }
        #expect(entropy.value.scalar.isFinite)
        if case .categorical(let counts) = kind {
            let uniform = kind.logProbabilityAndEntropy(output: Variable(.zeros([rows, kind.outputSize])),
                                                        actions: Tensor(shape: [rows, kind.width], scalars: actions), logStd: nil).entropy
            let expected = counts.reduce(Float(0)) { $0 + Foundation.log(Float($1)) }
            #expect(abs(uniform.value.scalar - expected) < 1e-4)
        }
    }

    @Test func deterministicActionIsTheMode() {
        var g = SeededGenerator(seed: 1)
        let kind = ActionKind.categorical(counts: [3, 2])
        let output = Tensor([[0.1, 2, -1, 0.5, 0.4]])
        #expect(kind.sample(output: output, logStd: nil, deterministic: true, using: &g).actions == [1, 0])
        let gaussian = ActionKind.gaussian(low: [-1], high: [1])
        let a = gaussian.sample(output: Tensor([[3]]), logStd: Tensor([0]), deterministic: true, using: &g).actions
        #expect(a == [3], "stored unclipped")
        #expect(gaussian.clipped(a) == [1], "clipped for the environment")
    }

    @Test func sameSeedSameTraining() throws {
        func train(seed: Int) throws -> [String: Tensor] {
            var c = PPOConfiguration()
            c.stepsPerRollout = 128
            let t = try PPOTrainer(source: VectorEnvironment([CartPole(seed: 5)]), configuration: c, seed: seed)
            t.learn(totalTimesteps: 256)
            return t.policy.network.parameterMap()
        }
        #expect(try train(seed: 3) == train(seed: 3))
        #expect(try train(seed: 3) != train(seed: 4))
    }

    @Test func invalidConfigurationNamesTheField() throws {
        var c = PPOConfiguration()
        c.batchSize = 0
        #expect(throws: ReinforcementError.self) { try PPOTrainer(source: VectorEnvironment([CartPole()]), configuration: c) }
        do { try c.validate() } catch { #expect(error.message.contains("batch_size")) }
        var blocks = PPOConfiguration()
        blocks.agentBlocks = 3 // CartPole: 4 observation values, 1 action
        do {
            _ = try PPOTrainer(source: VectorEnvironment([CartPole()]), configuration: blocks)
            Issue.record("expected an error")
        } catch { #expect(error.message.contains("agent_blocks")) }
    }

    /// A continuous task (reach a random target in one step) exercises the Gaussian head:
    /// the policy's mean must follow the target.
    @Test func gaussianPolicyLearnsContinuousControl() throws {
        var c = PPOConfiguration()
        c.stepsPerRollout = 512
        c.learningRate = 1e-3
        let trainer = try PPOTrainer(source: VectorEnvironment([ReachTarget(seed: 1)]), configuration: c, seed: 2)
        trainer.learn(totalTimesteps: 30_000)
        let evaluation = PolicyEvaluation.evaluate(trainer.policy, environment: ReachTarget(seed: 7), episodes: 50, seed: 100)
        #expect(evaluation.mean > -0.05, "mean squared miss \(-evaluation.mean)")
        #expect(trainer.policy.network.logStd!.value.scalars[0] < 0, "exploration noise shrank")
    }

    /// Rows of a multi-agent source are (environment, agent) pairs; the end of an episode marks
    /// every agent's row done and hands over each agent's last observation.
    @Test func multiAgentSourceMapsRows() throws {
        var source = VectorMultiAgentEnvironment(try (0..<2).map { _ in try RadioMultiAgentEnvironment(scenario: .small) })
        let rows = source.rowCount, size = source.observationSpace.size
        #expect(rows == 2 * Scenario.small.ueCount)
        #expect(source.reset(seed: 0).count == rows * size)
        var step = source.step([Float](repeating: 0, count: rows))
        var steps = 1
        while !step.dones[0] {
            #expect(step.truncatedObservations.isEmpty)
            step = source.step([Float](repeating: 0, count: rows))
            steps += 1
        }
        #expect(steps == Scenario.small.episodeLength)
        #expect(step.dones.allSatisfy { $0 })
        #expect(step.truncatedObservations.map(\.row) == Array(0..<rows))
        #expect(step.truncatedObservations.allSatisfy { $0.observation.count == size })
        #expect(step.episodeReturns.count == 2)
    }
}

/// One-step task: observe a target t in [-1, 1], act a in [-2, 2], reward −(a − t)².
struct ReachTarget: Environment {
    typealias Action = [Float]
    var rng: SeededGenerator
    var target: Float = 0
    let observationSpace = BoxSpace(size: 1, low: -1, high: 1)
    let actionSpace = ActionSpace.box(BoxSpace(size: 1, low: -2, high: 2))

    init(seed: Int) { rng = SeededGenerator(seed: seed) }

    mutating func reset(seed: Int?) -> ResetResult<Int> {
        if let seed { rng = SeededGenerator(seed: seed) }
        target = rng.nextUnitFloat() * 2 - 1
        return ResetResult(observation: [target], info: 0)
    }

    mutating func step(_ action: [Float]) -> StepResult<Int> {
        let miss = action[0] - target
        return StepResult(observation: [target], reward: Double(-miss * miss), terminated: true, truncated: false, info: 0)
    }
}

@Suite("PPO checkpoints")
struct PPOCheckpointTests {
    /// A fresh trainer restored from a checkpoint has the saved weights, observation
    /// statistics, optimizer state and counters, and trains on from there; the checkpoint is
    /// also an ordinary policy file; a trainer of another shape refuses it.
    @Test func resumeRestoresWeightsOptimizerAndCounters() throws {
        var c = PPOConfiguration()
        c.stepsPerRollout = 128
        c.normalizeObservations = true
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try PPOTrainer(source: VectorEnvironment([CartPole(seed: 1)]), configuration: c, seed: 7)
        first.learn(totalTimesteps: 256)
        try first.saveCheckpoint(to: path)

        let resumed = try PPOTrainer(source: VectorEnvironment([CartPole(seed: 1)]), configuration: c, seed: 7)
        try resumed.restore(from: path)
        #expect(resumed.timesteps == 256 && resumed.iterations == 2)
        #expect(resumed.policy.network.parameterMap() == first.policy.network.parameterMap())
        #expect(resumed.policy.normalizer == first.policy.normalizer)
        resumed.learn(totalTimesteps: 128)
        #expect(resumed.timesteps == 384)
        // The checkpoint is also a policy file for serving and evaluation.
        #expect(try Policy.load(from: path).act([0.01, 0, 0.02, 0]) == first.policy.act([0.01, 0, 0.02, 0]))

        let other = try PPOTrainer(source: VectorEnvironment([ReachTarget(seed: 1)]), configuration: c)
        #expect(throws: ReinforcementError.self) { try other.restore(from: path) }
    }
}
