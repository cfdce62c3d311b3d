import RadioSim

/// What one synchronous step of all environments gives the trainer, per policy row.
public struct RolloutStep: Sendable {
    /// Rows x observation size; rows whose episode ended already show the next episode.
    public var observations: [Float]
    public var rewards: [Float]
    /// The row's episode ended in this step (terminated or truncated).
    public var dones: [Bool]
    /// Rows cut by a time limit (not terminated), with their last observation, so the
    /// trainer can bootstrap their value as SB3 does for `TimeLimit.truncated`.
    public var truncatedObservations: [(row: Int, observation: ArraySlice<Float>)]
    /// Returns of the episodes that ended in this step.
    public var episodeReturns: [Double]
}

/// A batch of environments seen as rows of one policy: a vectorised single-agent
/// environment (one row per environment) or a vectorised multi-agent one (one row per
/// environment and agent, for one shared policy trained centrally).
public protocol RolloutSource: Sendable {
    /// Policy rows per step.
    var rowCount: Int { get }
    /// Environment steps per `step` call (what timesteps count; agents do not multiply it).
    var environmentCount: Int { get }
    /// One row's observation space.
    var observationSpace: BoxSpace { get }
    /// One row's action space.
    var actionSpace: ActionSpace { get }

    mutating func reset(seed: Int?) -> [Float]
    /// `actions` holds `ActionKind.width` entries per row.
    mutating func step(_ actions: [Float]) -> RolloutStep
}

extension VectorEnvironment: RolloutSource where Env.Action: PolicyActionConvertible {
    public var rowCount: Int { count }
    public var environmentCount: Int { count }

    public mutating func step(_ actions: [Float]) -> RolloutStep {
        let width = actions.count / count
        let r: VectorStepResult<Env.Info> = step((0..<count).map {
            Env.Action(policyAction: actions[($0 * width)..<(($0 + 1) * width)])
        })
        var truncated: [(row: Int, observation: ArraySlice<Float>)] = []
        for i in 0..<count where r.truncated[i] && !r.terminated[i] {
            if let final = r.finalObservations[i] { truncated.append((i, final[...])) }
        }
        return RolloutStep(observations: r.observations, rewards: r.rewards.map(Float.init),
                           dones: zip(r.terminated, r.truncated).map { $0 || $1 },
                           truncatedObservations: truncated, episodeReturns: r.episodeReturns.compactMap { $0 })
    }
}

extension VectorMultiAgentEnvironment: RolloutSource where Env.Action: PolicyActionConvertible {
    public var environmentCount: Int { count }

    public mutating func step(_ actions: [Float]) -> RolloutStep {
        let rows = rowCount, agents = agentCount
        let width = actions.count / rows
        let r: VectorMultiAgentStepResult<Env.Info> = step((0..<rows).map {
            Env.Action(policyAction: actions[($0 * width)..<(($0 + 1) * width)])
        })
        let size = observationSpace.size
        var dones = [Bool](repeating: false, count: rows)
        var truncated: [(row: Int, observation: ArraySlice<Float>)] = []
        for e in 0..<count where r.terminated[e] || r.truncated[e] {
            for a in 0..<agents {
                dones[e * agents + a] = true
                if !r.terminated[e], let final = r.finalObservations[e] {
                    truncated.append((e * agents + a, final[(a * size)..<((a + 1) * size)]))
                }
            }
        }
        return RolloutStep(observations: r.observations, rewards: r.rewards.map(Float.init), dones: dones,
                           truncatedObservations: truncated, episodeReturns: r.episodeReturns.compactMap { $0 })
    }
}
