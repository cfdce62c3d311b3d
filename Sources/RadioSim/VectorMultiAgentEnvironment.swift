/// What a vectorised multi-agent step returns. Rows are (environment, agent) pairs,
/// environment-major: row `e * agentCount + a`, so one shared policy sees one batch.
public struct VectorMultiAgentStepResult<Info: Sendable>: Sendable {
    /// Rows x observation size; an environment whose episode just ended already shows its
    /// next episode's first observations (auto-reset).
    public var observations: [Float]
    /// One reward per row.
    public var rewards: [Double]
    /// Per environment.
    public var terminated: [Bool]
    public var truncated: [Bool]
    public var infos: [Info]
    /// Per environment: the last observations (agents x size) of an episode that ended now.
    public var finalObservations: [[Float]?]
    /// Per environment: the return of an episode that ended now, the per-step mean reward
    /// over agents summed over the episode (as `RadioEvaluation` counts it).
    public var episodeReturns: [Double?]
}

/// A batch of multi-agent environments stepped together with automatic reset; environment i
/// is seeded with seed + i on `reset(seed:)`.
public struct VectorMultiAgentEnvironment<Env: MultiAgentEnvironment>: Sendable {
    public private(set) var environments: [Env]
    var runningReturns: [Double]

    public init(_ environments: [Env]) {
        precondition(!environments.isEmpty, "need at least one environment")
        precondition(Set(environments.map(\.agentCount)).count == 1, "all environments need the same agent count")
        self.environments = environments
        runningReturns = Array(repeating: 0, count: environments.count)
    }

    public var count: Int { environments.count }
    public var agentCount: Int { environments[0].agentCount }
    /// Rows per batch: environments x agents.
    public var rowCount: Int { count * agentCount }
    public var observationSpace: BoxSpace { environments[0].observationSpace }
    public var actionSpace: ActionSpace { environments[0].actionSpace }

    public mutating func reset(seed: Int?) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(rowCount * observationSpace.size)
        for i in environments.indices {
            out += environments[i].reset(seed: seed.map { $0 &+ i }).observations
            runningReturns[i] = 0
        }
        return out
    }

    /// `actions` has one entry per row (environment-major).
    public mutating func step(_ actions: [Env.Action]) -> VectorMultiAgentStepResult<Env.Info> {
        let agents = agentCount
        precondition(actions.count == rowCount, "need one action per (environment, agent) row")
        var result = VectorMultiAgentStepResult<Env.Info>(observations: [], rewards: [], terminated: [], truncated: [],
                                                          infos: [], finalObservations: [], episodeReturns: [])
        result.observations.reserveCapacity(rowCount * observationSpace.size)
        result.rewards.reserveCapacity(rowCount)
        for i in environments.indices {
            let r = environments[i].step(Array(actions[(i * agents)..<((i + 1) * agents)]))
            result.rewards += r.rewards
            runningReturns[i] += r.rewards.reduce(0, +) / Double(agents)
            result.terminated.append(r.terminated)
            result.truncated.append(r.truncated)
            result.infos.append(r.info)
            if r.terminated || r.truncated {
                result.finalObservations.append(r.observations)
                result.episodeReturns.append(runningReturns[i])
                runningReturns[i] = 0
                result.observations += environments[i].reset(seed: nil).observations
            } else {
                result.finalObservations.append(nil)
                result.episodeReturns.append(nil)
                result.observations += r.observations
            }
        }
        return result
    }
}
