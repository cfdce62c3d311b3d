import RadioSim

/// Evaluation of a policy over seeded episodes, acting deterministically.
public enum PolicyEvaluation {
    /// Runs `episodes` episodes of a copy of `environment`, episode i reset with seed
    /// `seed + i`, and summarises the returns (sums of rewards).
    public static func evaluate<Env: Environment>(_ policy: Policy, environment: Env, episodes: Int,
                                                  seed: Int) -> EvaluationSummary where Env.Action: PolicyActionConvertible {
        precondition(episodes >= 1, "PolicyEvaluation: episodes must be >= 1")
        var env = environment
        var returns: [Double] = []
        for episode in 0..<episodes {
            var observation = env.reset(seed: seed &+ episode).observation
            var total = 0.0
            while true {
                let action = policy.act(observation)
                let step = env.step(Env.Action(policyAction: action[...]))
                total += step.reward
                if step.terminated || step.truncated { break }
                observation = step.observation
            }
            returns.append(total)
        }
        return EvaluationSummary(returns: returns)
    }
}
