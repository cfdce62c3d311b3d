import Foundation
import RadioSim
import TensorCore

/// Proximal Policy Optimization (Schulman et al. 2017) with the clipped surrogate, GAE(λ),
/// an optionally clipped value loss, an entropy bonus, minibatch epochs, advantage and
/// observation normalisation and gradient clipping, following Stable-Baselines3's `PPO`
/// step for step (see `PPOConfiguration` for the defaults).
///
/// Works on any `RolloutSource`: one or many single-agent environments, or multi-agent
/// environments whose agents share the policy (centralised training, decentralised acting).
/// Deterministic for a seed. Single-task: drive one trainer from one task.
public final class PPOTrainer<Source: RolloutSource> {
    public let configuration: PPOConfiguration
    public let policy: Policy
    public private(set) var source: Source
    public internal(set) var timesteps = 0
    public internal(set) var iterations = 0
    /// Returns of every finished training episode, in order.
    public internal(set) var episodeReturns: [Double] = []

    var optimizer: Adam
    var generator: SeededGenerator
    var buffer: RolloutBuffer
    var lastObservations: [Float]
    var lastEpisodeStarts: [Bool]
    var elapsed: Double = 0

    /// A fresh policy for `source`, seeded by `seed` (weights, sampling, shuffling, environments).
    public init(source: Source, configuration: PPOConfiguration = PPOConfiguration(), seed: Int = 0) throws(ReinforcementError) {
        try configuration.validate()
        self.configuration = configuration
        self.source = source
        generator = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)))
        let architecture = PolicyArchitecture(observationSize: source.observationSpace.size, action: ActionKind(source.actionSpace),
                                              hiddenSizes: configuration.hiddenSizes, activation: configuration.activation,
                                              agentBlocks: configuration.agentBlocks)
        try architecture.validate()
        let network = ActorCritic(architecture, using: &generator)
        policy = Policy(network: network,
                        normalizer: configuration.normalizeObservations ? ObservationNormalizer(size: architecture.observationSize) : nil)
        // SB3 builds Adam with eps 1e-5 for PPO.
        optimizer = Adam(parameters: network.trainableParameters, learningRate: configuration.learningRate, epsilon: 1e-5)
        buffer = RolloutBuffer(steps: configuration.stepsPerRollout, rows: source.rowCount,
                               observationSize: architecture.observationSize, actionWidth: architecture.action.width)
        lastObservations = self.source.reset(seed: seed)
        lastEpisodeStarts = Array(repeating: true, count: source.rowCount)
    }

    /// Trains until `totalTimesteps` environment steps have been taken in this call (rounded
    /// up to whole rollouts), calling `onUpdate` after every iteration.
    public func learn(totalTimesteps: Int, onUpdate: (PPOUpdate) -> Void = { _ in }) {
        let target = timesteps + totalTimesteps
        let start = timesteps
        while timesteps < target {
            let clock = ContinuousClock.now
            if configuration.linearLearningRateDecay {
                let remaining = 1 - Double(timesteps - start) / Double(max(totalTimesteps, 1))
                optimizer.learningRate = configuration.learningRate * Float(max(remaining, 0))
            }
            collectRollout()
            var update = train()
            elapsed += (ContinuousClock.now - clock) / .seconds(1)
            iterations += 1
            update.iteration = iterations
            update.timesteps = timesteps
            update.episodesFinished = episodeReturns.count
            let recent = episodeReturns.suffix(100)
            update.meanEpisodeReturn = recent.isEmpty ? nil : recent.reduce(0, +) / Double(recent.count)
            update.stepsPerSecond = Double(timesteps - start) / max(elapsed, 1e-9)
            onUpdate(update)
        }
    }

    // MARK: rollout

    /// Fills the buffer with `stepsPerRollout` steps of every row, then computes GAE.
    private func collectRollout() {
        buffer.reset()
        let gamma = configuration.gamma
        var normalizer = policy.normalizer
        while !buffer.isFull {
            normalizer?.update(lastObservations)
            policy.normalizer = normalizer
            let observations = policy.prepared(lastObservations)
            let (output, values) = policy.network.forward(observations)
            let (actions, logps) = policy.architecture.action.sample(output: output, logStd: policy.network.logStd?.value,
                                                                    deterministic: false, using: &generator)
            let step = source.step(policy.architecture.action.clipped(actions))
            timesteps += source.environmentCount
            episodeReturns += step.episodeReturns
            var rewards = step.rewards
            if !step.truncatedObservations.isEmpty {
                // Time-limit truncation is not a terminal state: bootstrap with V(last observation).
                let finals = step.truncatedObservations.flatMap { $0.observation }
                let finalValues = policy.network.forward(policy.prepared(finals)).values
                for (k, t) in step.truncatedObservations.enumerated() { rewards[t.row] += gamma * finalValues[k] }
            }
            buffer.add(observations: observations, actions: actions, rewards: rewards, episodeStarts: lastEpisodeStarts,
                       values: values, logProbabilities: logps)
            lastObservations = step.observations
            lastEpisodeStarts = step.dones
        }
        let lastValues = policy.network.forward(policy.prepared(lastObservations)).values
        buffer.computeReturnsAndAdvantages(lastValues: lastValues, lastDones: lastEpisodeStarts,
                                           gamma: gamma, lambda: configuration.gaeLambda)
    }

    // MARK: update

    /// `epochs` passes of shuffled minibatches over the buffer.
    private func train() -> PPOUpdate {
        let c = configuration
        let n = buffer.count, d = buffer.observationSize, w = buffer.actionWidth
        let kind = policy.architecture.action
        let network = policy.network
        let parameters = network.trainableParameters
        var policyLosses = 0.0, valueLosses = 0.0, entropies = 0.0, kls = 0.0, clipped = 0.0, batches = 0.0
        var indices = Array(0..<n)
        for _ in 0..<c.epochs {
            indices.shuffle(using: &generator)
            for start in stride(from: 0, to: n, by: c.batchSize) {
                let batch = Array(indices[start..<min(start + c.batchSize, n)])
                let b = batch.count
                let observations = gather(buffer.observations, rows: batch, width: d)
                let actions = gather(buffer.actions, rows: batch, width: w)
                var advantages = batch.map { buffer.advantages[$0] }
                if c.normalizeAdvantages && b > 1 { standardize(&advantages) }
                let oldLogps = Tensor(batch.map { buffer.logProbabilities[$0] })
                let returns = Tensor(batch.map { buffer.returns[$0] })

                let tape = Tape()
                let x = tape.constant(observations)
                let output = network.policyOutput(x)
                let values = network.valueNetwork(x).reshaped([b])
                let (logp, entropy) = kind.logProbabilityAndEntropy(output: output, actions: actions,
                                                                    logStd: network.logStd.map { tape.parameter($0) })
                let logRatio = logp - tape.constant(oldLogps)
                let ratio = logRatio.exp()
                let advantage = tape.constant(Tensor(advantages))
                let surrogate = Variable.minimum(ratio * advantage, ratio.clamped(1 - c.clipRange, 1 + c.clipRange) * advantage)
                let policyLoss = -surrogate.mean()
                var prediction = values
                if let vc = c.valueClipRange {
                    let old = tape.constant(Tensor(batch.map { buffer.values[$0] }))
                    prediction = old + (values - old).clamped(-vc, vc)
                }
                let valueLoss = Loss.mse(prediction, returns)
                let loss = policyLoss + valueLoss * c.valueCoefficient - entropy * c.entropyCoefficient
                tape.backward(loss)
                clipGradientNorm(parameters, maxNorm: c.maxGradientNorm)
                optimizer.step()
                network.zeroGrad()

                policyLosses += Double(policyLoss.value.scalar)
                valueLosses += Double(valueLoss.value.scalar)
                entropies += Double(entropy.value.scalar)
                let r = ratio.value.scalars, lr = logRatio.value.scalars
                var kl = 0.0, outside = 0.0
                for i in 0..<b {
                    kl += Double((r[i] - 1) - lr[i])
                    if abs(r[i] - 1) > c.clipRange { outside += 1 }
                }
                kls += kl / Double(b)
                clipped += outside / Double(b)
                batches += 1
            }
        }
        return PPOUpdate(iteration: 0, timesteps: 0, meanEpisodeReturn: nil, episodesFinished: 0,
                         policyLoss: policyLosses / batches, valueLoss: valueLosses / batches, entropy: entropies / batches,
                         approximateKL: kls / batches, clipFraction: clipped / batches,
                         explainedVariance: explainedVariance(predicted: buffer.values, actual: buffer.returns),
                         learningRate: Double(optimizer.learningRate), stepsPerSecond: 0)
    }

    /// Rows `rows` of a row-major array with `width` values per row, as a `[rows, width]` tensor.
    private func gather(_ source: [Float], rows: [Int], width: Int) -> Tensor {
        Tensor(shape: [rows.count, width]) { out in
            source.withUnsafeBufferPointer { s in
                for (k, r) in rows.enumerated() {
                    (out.baseAddress! + k * width).update(from: s.baseAddress! + r * width, count: width)
                }
            }
        }
    }
}

/// `(x − mean) / (std + 1e-8)` in place (SB3's advantage normalisation, population std).
func standardize(_ x: inout [Float]) {
    let n = Float(x.count)
    let mean = x.reduce(0, +) / n
    let std = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
    for i in x.indices { x[i] = (x[i] - mean) / (std + 1e-8) }
}

/// 1 − Var(actual − predicted) / Var(actual): how much of the returns the value function
/// explains (1 perfect, 0 no better than a constant, NaN when the returns are constant).
func explainedVariance(predicted: [Float], actual: [Float]) -> Double {
    func variance(_ v: [Double]) -> Double {
        let m = v.reduce(0, +) / Double(v.count)
        return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)
    }
    let a = actual.map(Double.init)
    let varActual = variance(a)
    guard varActual > 0 else { return .nan }
    return 1 - variance(zip(a, predicted).map { $0 - Double($1) }) / varActual
}

