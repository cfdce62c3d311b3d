/// The central variant (`mobile-{scenario}-central-v0`): one agent controls all UEs.
///
/// Observation: concatenation over UEs of [connections (N), snrs (N), utility (1)], size
/// U (2N + 1). Action: one value in 0...N per UE (0 no-op, k toggles the link to station
/// k - 1). Reward: mean scaled utility over UEs. Never terminated; truncated after
/// `episodeLength` steps.
public struct RadioEnvironment: Environment {
    public typealias Action = [Int]
    public typealias Info = RadioStepInfo

    public private(set) var simulator: RadioSimulator
    public let observationSpace: BoxSpace
    public let actionSpace: ActionSpace

    public init(scenario: Scenario, options: OperatorOptions = .compatibility) throws(RadioSimError) {
        let sim = try RadioSimulator(scenario: scenario, options: options)
        simulator = sim
        observationSpace = BoxSpace(size: sim.ueCount * sim.centralFeatureSize, low: -1, high: 1)
        actionSpace = .multiDiscrete(Array(repeating: sim.stationCount + 1, count: sim.ueCount))
    }

    public mutating func reset(seed: Int?) -> ResetResult<RadioStepInfo> {
        simulator.reset(seed: seed)
        return ResetResult(observation: simulator.centralObservation(), info: simulator.stepInfo)
    }

    /// One step; preconditions: one action per UE, each in 0...N, episode not over
    /// (check untrusted input with `validate(_:)`).
    public mutating func step(_ action: [Int]) -> StepResult<RadioStepInfo> {
        let reward = simulator.step(actions: action)
        return StepResult(observation: simulator.centralObservation(), reward: reward, terminated: false,
                          truncated: simulator.isTruncated, info: simulator.stepInfo)
    }

    /// Throws `invalidAction` naming the first bad entry.
    public func validate(_ action: [Int]) throws(RadioSimError) {
        try RadioEnvironment.validate(action, ueCount: simulator.ueCount, stationCount: simulator.stationCount)
    }

    static func validate(_ action: [Int], ueCount: Int, stationCount: Int) throws(RadioSimError) {
        guard action.count == ueCount else {
            throw RadioSimError(.invalidAction, field: "action", "needs one entry per UE (\(ueCount)), got \(action.count)")
        }
        if let i = action.firstIndex(where: { $0 < 0 || $0 > stationCount }) {
            throw RadioSimError(.invalidAction, field: "action[\(i)]", "must be in 0...\(stationCount), got \(action[i])")
        }
    }
}
