/// One PPO rollout: `steps` x `rows` transitions, step-major (index `t · rows + r`), and the
/// advantages and returns computed from them by GAE(λ).
struct RolloutBuffer {
    let steps: Int
    let rows: Int
    let observationSize: Int
    let actionWidth: Int

    var observations: [Float]
    var actions: [Float]
    var rewards: [Float]
    /// 1 where the transition is the first of an episode (SB3's `episode_starts`).
    var episodeStarts: [Float]
    var values: [Float]
    var logProbabilities: [Float]
    var advantages: [Float]
    var returns: [Float]
    private(set) var filled = 0

    init(steps: Int, rows: Int, observationSize: Int, actionWidth: Int) {
        self.steps = steps
        self.rows = rows
        self.observationSize = observationSize
        self.actionWidth = actionWidth
        let n = steps * rows
        observations = Array(repeating: 0, count: n * observationSize)
        actions = Array(repeating: 0, count: n * actionWidth)
        rewards = Array(repeating: 0, count: n)
        episodeStarts = Array(repeating: 0, count: n)
        values = Array(repeating: 0, count: n)
        logProbabilities = Array(repeating: 0, count: n)
        advantages = Array(repeating: 0, count: n)
        returns = Array(repeating: 0, count: n)
    }

    var count: Int { steps * rows }
    var isFull: Bool { filled == steps }

    mutating func reset() { filled = 0 }

    /// Appends one step for every row.
    mutating func add(observations obs: [Float], actions act: [Float], rewards rew: [Float], episodeStarts starts: [Bool],
                      values val: [Float], logProbabilities logp: [Float]) {
        precondition(filled < steps, "RolloutBuffer: full")
        let base = filled * rows
        observations.replaceSubrange((base * observationSize)..<((base + rows) * observationSize), with: obs)
        actions.replaceSubrange((base * actionWidth)..<((base + rows) * actionWidth), with: act)
        for r in 0..<rows {
            rewards[base + r] = rew[r]
            episodeStarts[base + r] = starts[r] ? 1 : 0
            values[base + r] = val[r]
            logProbabilities[base + r] = logp[r]
        }
        filled += 1
    }

    /// GAE(λ) (Schulman et al. 2016) as SB3 computes it: `lastValues` are V(s_T) for the
    /// observation after the last step and `lastDones` whether that step ended the episode.
    mutating func computeReturnsAndAdvantages(lastValues: [Float], lastDones: [Bool], gamma: Float, lambda: Float) {
        var lastAdvantage = [Float](repeating: 0, count: rows)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            for r in 0..<rows {
                let i = t * rows + r
                let nextNonTerminal: Float, nextValue: Float
                if t == steps - 1 {
                    nextNonTerminal = lastDones[r] ? 0 : 1
                    nextValue = lastValues[r]
                } else {
                    nextNonTerminal = 1 - episodeStarts[i + rows]
                    nextValue = values[i + rows]
                }
                let delta = rewards[i] + gamma * nextValue * nextNonTerminal - values[i]
                lastAdvantage[r] = delta + gamma * lambda * nextNonTerminal * lastAdvantage[r]
                advantages[i] = lastAdvantage[r]
                returns[i] = lastAdvantage[r] + values[i]
            }
        }
    }
}
