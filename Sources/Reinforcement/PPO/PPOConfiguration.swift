import TensorCore

/// PPO hyperparameters. The defaults are Stable-Baselines3's (`PPO("MlpPolicy", env)`), so
/// results compare one to one.
public struct PPOConfiguration: Sendable, Hashable, Codable {
    /// Steps per environment row in one rollout (SB3 `n_steps`).
    public var stepsPerRollout = 2048
    /// Minibatch size (SB3 `batch_size`).
    public var batchSize = 64
    /// Passes over each rollout (SB3 `n_epochs`).
    public var epochs = 10
    public var learningRate: Float = 3e-4
    /// Anneal the learning rate linearly to 0 over the run (SB3: a schedule; default constant).
    public var linearLearningRateDecay = false
    public var gamma: Float = 0.99
    public var gaeLambda: Float = 0.95
    /// Policy ratio clip (SB3 `clip_range`).
    public var clipRange: Float = 0.2
    /// Value prediction clip around the rollout's values; nil = no clipping (SB3 default).
    public var valueClipRange: Float?
    /// Entropy bonus weight (SB3 `ent_coef`).
    public var entropyCoefficient: Float = 0
    /// Value loss weight (SB3 `vf_coef`).
    public var valueCoefficient: Float = 0.5
    /// Global gradient norm limit (SB3 `max_grad_norm`).
    public var maxGradientNorm: Float = 0.5
    /// Normalise advantages per minibatch.
    public var normalizeAdvantages = true
    /// Normalise observations with running statistics (SB3 `VecNormalize(norm_reward=False)`).
    public var normalizeObservations = false
    /// Hidden layers of the policy and value networks (SB3 `net_arch`).
    public var hiddenSizes = [64, 64]
    public var activation: Activation = .tanh
    /// Per-agent blocks sharing one policy network under a central critic (see
    /// `PolicyArchitecture.agentBlocks`); 1 = an ordinary policy (SB3).
    public var agentBlocks = 1

    public init() {}

    /// Throws naming the first hyperparameter out of range.
    public func validate() throws(ReinforcementError) {
        func check(_ ok: Bool, _ name: String, _ rule: String) throws(ReinforcementError) {
            if !ok { throw ReinforcementError(.invalidConfiguration, "\(name) \(rule)") }
        }
        try check(stepsPerRollout >= 1, "steps_per_rollout", "must be >= 1, got \(stepsPerRollout)")
        try check(batchSize >= 1, "batch_size", "must be >= 1, got \(batchSize)")
        try check(epochs >= 1, "epochs", "must be >= 1, got \(epochs)")
        try check(learningRate > 0 && learningRate.isFinite, "learning_rate", "must be positive, got \(learningRate)")
        try check(gamma >= 0 && gamma <= 1, "gamma", "must be in [0, 1], got \(gamma)")
        try check(gaeLambda >= 0 && gaeLambda <= 1, "gae_lambda", "must be in [0, 1], got \(gaeLambda)")
        try check(clipRange > 0, "clip_range", "must be positive, got \(clipRange)")
        try check(valueClipRange.map { $0 > 0 } ?? true, "value_clip_range", "must be positive when set")
        try check(entropyCoefficient >= 0, "entropy_coefficient", "must be >= 0, got \(entropyCoefficient)")
        try check(valueCoefficient >= 0, "value_coefficient", "must be >= 0, got \(valueCoefficient)")
        try check(maxGradientNorm > 0, "max_gradient_norm", "must be positive, got \(maxGradientNorm)")
        try check(!hiddenSizes.isEmpty && hiddenSizes.allSatisfy { $0 >= 1 }, "hidden_sizes", "needs at least one positive width")
    }
}

/// What one PPO iteration (rollout + update) reports, for logs, tracking and progress bars.
public struct PPOUpdate: Sendable, Hashable, Codable {
    public var iteration: Int
    /// Environment steps taken so far.
    public var timesteps: Int
    /// Mean return of the last (up to) 100 finished episodes, nil before the first ends.
    public var meanEpisodeReturn: Double?
    public var episodesFinished: Int
    public var policyLoss: Double
    public var valueLoss: Double
    public var entropy: Double
    public var approximateKL: Double
    public var clipFraction: Double
    public var explainedVariance: Double
    public var learningRate: Double
    /// Environment steps per second over the whole run so far (collection and updates).
    public var stepsPerSecond: Double
}
