/// What a vectorised step returns: one entry per environment.
public struct VectorStepResult<Info: Sendable>: Sendable {
    /// Row-major environments x observation size. For an environment whose episode just
    /// ended this is already the first observation of its next episode (auto-reset).
    public var observations: [Float]
    public var rewards: [Double]
    public var terminated: [Bool]
    public var truncated: [Bool]
    public var infos: [Info]
    /// The last observation of an episode that ended in this step (nil otherwise), for
    /// bootstrapping truncated episodes.
    public var finalObservations: [[Float]?]
    /// Return (sum of rewards) and length of an episode that ended in this step, else nil.
    public var episodeReturns: [Double?]
    public var episodeLengths: [Int?]
}

/// A batch of independent copies of an environment stepped together, with automatic reset
/// in the same step (Stable-Baselines3's `VecEnv` convention). Environment i is seeded with
/// seed + i on `reset(seed:)`; later auto-resets continue each environment's own streams.
public struct VectorEnvironment<Env: Environment>: Sendable {
    public private(set) var environments: [Env]
    var runningReturns: [Double]
    var runningLengths: [Int]

    public init(_ environments: [Env]) {
        precondition(!environments.isEmpty, "need at least one environment")
        self.environments = environments
        runningReturns = Array(repeating: 0, count: environments.count)
        runningLengths = Array(repeating: 0, count: environments.count)
    }

    /// `count` environments made by `make(i)`.
    public init<E: Error>(count: Int, _ make: (Int) throws(E) -> Env) throws(E) {
        var envs: [Env] = []
        for i in 0..<count { envs.append(try make(i)) }
        self.init(envs)
    }

    public var count: Int { environments.count }
    public var observationSpace: BoxSpace { environments[0].observationSpace }
    public var actionSpace: ActionSpace { environments[0].actionSpace }

    /// Resets every environment (environment i with seed + i) and returns the stacked observations.
    public mutating func reset(seed: Int?) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(count * observationSpace.size)
        for i in environments.indices {
            out += environments[i].reset(seed: seed.map { $0 &+ i }).observation
            runningReturns[i] = 0
            runningLengths[i] = 0
        }
        return out
    }

    /// Steps every environment with its action; ended episodes are reset automatically.
    public mutating func step(_ actions: [Env.Action]) -> VectorStepResult<Env.Info> {
        precondition(actions.count == count, "need one action per environment")
        var observations: [Float] = []
        observations.reserveCapacity(count * observationSpace.size)
        var rewards: [Double] = [], terminated: [Bool] = [], truncated: [Bool] = []
        var infos: [Env.Info] = [], finals: [[Float]?] = [], returns: [Double?] = [], lengths: [Int?] = []
        for i in environments.indices {
            let r = environments[i].step(actions[i])
            runningReturns[i] += r.reward
            runningLengths[i] += 1
            rewards.append(r.reward)
            terminated.append(r.terminated)
            truncated.append(r.truncated)
            infos.append(r.info)
            if r.terminated || r.truncated {
                finals.append(r.observation)
                returns.append(runningReturns[i])
                lengths.append(runningLengths[i])
                runningReturns[i] = 0
                runningLengths[i] = 0
                observations += environments[i].reset(seed: nil).observation
            } else {
                finals.append(nil)
                returns.append(nil)
                lengths.append(nil)
                observations += r.observation
            }
        }
        return VectorStepResult(observations: observations, rewards: rewards, terminated: terminated,
                                truncated: truncated, infos: infos, finalObservations: finals,
                                episodeReturns: returns, episodeLengths: lengths)
    }
}
