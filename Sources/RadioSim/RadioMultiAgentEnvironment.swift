/// The multi-agent variant (`mobile-{scenario}-ma-v0`): one agent per UE.
///
/// Observation per UE: [connections, snrs, utility, bcast, stations_connected], size 4N + 1.
/// Action per UE: 0...N. Reward of a UE: (sum of the mean utilities of the stations in its
/// range + its own utility) / (total connections of those stations + 1).
/// Unlike `mobile-env`, the last step also returns every UE's observation (for bootstrapping).
public struct RadioMultiAgentEnvironment: MultiAgentEnvironment {
    public typealias Action = Int
    public typealias Info = RadioStepInfo

    public private(set) var simulator: RadioSimulator
    public let observationSpace: BoxSpace
    public let actionSpace: ActionSpace
    public var agentCount: Int { simulator.ueCount }

    public init(scenario: Scenario, options: OperatorOptions = .compatibility) throws(RadioSimError) {
        let sim = try RadioSimulator(scenario: scenario, options: options)
        simulator = sim
        observationSpace = BoxSpace(size: sim.fullFeatureSize, low: -1, high: 1)
        actionSpace = .discrete(sim.stationCount + 1)
    }

    public mutating func reset(seed: Int?) -> MultiAgentResetResult<RadioStepInfo> {
        simulator.reset(seed: seed)
        return MultiAgentResetResult(observations: simulator.multiAgentObservations(), info: simulator.stepInfo)
    }

    public mutating func step(_ actions: [Int]) -> MultiAgentStepResult<RadioStepInfo> {
        simulator.applyActions(actions)
        var rewards = [Double](repeating: 0, count: simulator.ueCount)
        for u in 0..<simulator.ueCount { rewards[u] = simulator.multiAgentReward(ue: u) }
        simulator.advanceTime()
        return MultiAgentStepResult(observations: simulator.multiAgentObservations(), rewards: rewards,
                                    terminated: false, truncated: simulator.isTruncated, info: simulator.stepInfo)
    }

    /// Throws `invalidAction` naming the first bad entry.
    public func validate(_ actions: [Int]) throws(RadioSimError) {
        try RadioEnvironment.validate(actions, ueCount: simulator.ueCount, stationCount: simulator.stationCount)
    }
}
