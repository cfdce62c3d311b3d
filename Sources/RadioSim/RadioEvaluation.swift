/// Which reward an evaluation sums: the central agent's, or the mean of the UE agents'.
public enum RadioVariant: String, Sendable, Hashable, CaseIterable, Codable {
    case central
    case ma
}

/// Mean and population standard deviation (numpy's default, ddof 0) of episode returns.
public struct EvaluationSummary: Sendable, Hashable, Codable {
    public var mean: Double
    public var std: Double
    /// Number of episodes.
    public var episodes: Int
    /// Each episode's return (sum of per-step rewards).
    public var returns: [Double]

    public init(returns: [Double]) {
        self.returns = returns
        episodes = returns.count
        let n = Double(max(1, returns.count))
        let m = returns.reduce(0, +) / n
        mean = m
        std = (returns.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
    }
}

/// `{"mean": ..., "std": ...}`.
public struct MeanStd: Sendable, Hashable, Codable {
    public var mean: Double
    public var std: Double
    public init(mean: Double, std: Double) {
        self.mean = mean
        self.std = std
    }
}

/// `{"baselines": {"random": {"mean", "std"}, "strongest_signal": {...}, ...}}`.
public struct BaselineReport: Sendable, Hashable, Codable {
    public var baselines: [String: MeanStd]
}

/// The built-in baseline policies.
public enum Baseline: String, Sendable, Hashable, CaseIterable, Codable {
    case random
    case strongestSignal = "strongest_signal"
    case a3Handover = "a3_handover"
    case loadAware = "load_aware"

    /// A fresh policy (the random one seeded with `seed`).
    public func makePolicy(seed: Int) -> any RadioPolicy {
        switch self {
        case .random: RandomPolicy(seed: seed)
        case .strongestSignal: StrongestSignalPolicy()
        case .a3Handover: A3HandoverPolicy()
        case .loadAware: LoadAwarePolicy()
        }
    }
}

/// Evaluation of policies over seeded episodes.
public enum RadioEvaluation {
    /// Runs `episodes` episodes, episode i reset with seed `seed + i` (the policy with
    /// `seed + i` too), and summarises the returns. The central return sums the mean scaled
    /// utility; the multi-agent return sums, per step, the mean of the UEs' rewards.
    /// Cost: episodes x episodeLength steps.
    public static func evaluate<P: RadioPolicy>(_ policy: P, scenario: Scenario, variant: RadioVariant = .central,
                                                options: OperatorOptions = .compatibility, episodes: Int,
                                                seed: Int) throws(RadioSimError) -> EvaluationSummary {
        guard episodes >= 1 else {
            throw RadioSimError(.invalidOptions, field: "episodes", "must be >= 1, got \(episodes)")
        }
        var sim = try RadioSimulator(scenario: scenario, options: options)
        var policy = policy
        var actions = [Int](repeating: 0, count: sim.ueCount)
        var returns: [Double] = []
        for episode in 0..<episodes {
            sim.reset(seed: seed &+ episode)
            policy.reset(seed: seed &+ episode)
            returns.append(runEpisode(&sim, policy: &policy, variant: variant, actions: &actions))
        }
        return EvaluationSummary(returns: returns)
    }

    /// Plays the rest of the episode; returns the sum of the variant's per-step rewards.
    static func runEpisode<P: RadioPolicy>(_ sim: inout RadioSimulator, policy: inout P, variant: RadioVariant,
                                           actions: inout [Int]) -> Double {
        var total = 0.0
        while !sim.isTruncated {
            policy.actions(for: sim, into: &actions)
            sim.applyActions(actions)
            switch variant {
            case .central:
                total += sim.meanUtility
            case .ma:
                var sum = 0.0
                for u in 0..<sim.ueCount { sum += sim.multiAgentReward(ue: u) }
                total += sum / Double(sim.ueCount)
            }
            sim.advanceTime()
        }
        return total
    }

    /// Every built-in baseline on one scenario, ready to encode as JSON. `progress` is told
    /// how many baselines are done out of how many.
    public static func baselines(scenario: Scenario, variant: RadioVariant = .central,
                                 options: OperatorOptions = .compatibility, episodes: Int,
                                 seed: Int, progress: (Int, Int) -> Void = { _, _ in }) throws(RadioSimError) -> BaselineReport {
        var out: [String: MeanStd] = [:]
        for (done, baseline) in Baseline.allCases.enumerated() {
            progress(done, Baseline.allCases.count)
            let s = try evaluate(baseline.makePolicy(seed: seed), scenario: scenario, variant: variant,
                                 options: options, episodes: episodes, seed: seed)
            out[baseline.rawValue] = MeanStd(mean: s.mean, std: s.std)
        }
        progress(Baseline.allCases.count, Baseline.allCases.count)
        return BaselineReport(baselines: out)
    }
}
