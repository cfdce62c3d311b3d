/// Per-cell agents (operator mode): one agent per cell chooses its cell individual offset
/// from `offsetLevels` each step; the network does A3 handover and attach; UEs take no action.
/// For multi-agent RL with one policy shared by all cells.
///
/// Observation per cell (6): [its connected UEs / U, mean scaled utility of its UEs,
/// its CIO / max |level|, UEs in its range / U, UEs for which it is the strongest cell / U,
/// network mean scaled utility]. Reward: the network mean scaled utility, shared by all cells
/// (cooperative). Truncated after `episodeLength` steps.
public struct CellAgentEnvironment: MultiAgentEnvironment {
    public typealias Action = Int
    public typealias Info = RadioStepInfo

    public private(set) var simulator: RadioSimulator
    /// Selectable offsets in dB; action i sets the cell's CIO to `offsetLevels[i]`.
    public let offsetLevels: [Double]
    public let observationSpace: BoxSpace
    public let actionSpace: ActionSpace
    public var agentCount: Int { simulator.stationCount }
    let noActions: [Int]

    /// Per-cell observation size.
    public static let featureSize = 6

    public init(scenario: Scenario, handover: A3Parameters = A3Parameters(),
                offsetLevels: [Double] = [-6, -3, 0, 3, 6]) throws(RadioSimError) {
        guard !offsetLevels.isEmpty, offsetLevels.allSatisfy(\.isFinite) else {
            throw RadioSimError(.invalidOptions, field: "offset_levels", "needs at least one finite level (dB)")
        }
        simulator = try RadioSimulator(scenario: scenario,
                                       options: OperatorOptions(singleConnectivity: true, handover: handover))
        self.offsetLevels = offsetLevels
        observationSpace = BoxSpace(size: Self.featureSize, low: -1, high: 1)
        actionSpace = .discrete(offsetLevels.count)
        noActions = Array(repeating: 0, count: scenario.ueCount)
    }

    public mutating func reset(seed: Int?) -> MultiAgentResetResult<RadioStepInfo> {
        simulator.reset(seed: seed)  // also restores every CIO to 0
        return MultiAgentResetResult(observations: observations(), info: simulator.stepInfo)
    }

    public mutating func step(_ actions: [Int]) -> MultiAgentStepResult<RadioStepInfo> {
        precondition(actions.count == agentCount, "need one action per cell (\(agentCount))")
        for (s, a) in actions.enumerated() {
            precondition(a >= 0 && a < offsetLevels.count, "action \(a) of cell \(s) outside 0..<\(offsetLevels.count)")
            simulator.setCellOffset(s, decibels: offsetLevels[a])
        }
        simulator.applyActions(noActions)
        let reward = simulator.meanUtility
        simulator.advanceTime()
        return MultiAgentStepResult(observations: observations(), rewards: Array(repeating: reward, count: agentCount),
                                    terminated: false, truncated: simulator.isTruncated, info: simulator.stepInfo)
    }

    /// Row-major cells x 6.
    public func observations() -> [Float] {
        let n = simulator.stationCount, u = simulator.ueCount
        var inRange = Array(repeating: 0, count: n)
        var strongest = Array(repeating: 0, count: n)
        for ue in 0..<u {
            var best = -1
            var bestSNR = -Double.infinity
            for s in 0..<n where simulator.inRange(ue: ue, station: s) {
                inRange[s] += 1
                if simulator.snr[ue * n + s] > bestSNR { best = s; bestSNR = simulator.snr[ue * n + s] }
            }
            if best >= 0 { strongest[best] += 1 }
        }
        let scale = max(1e-12, offsetLevels.map(abs).max()!)
        let mean = Float(simulator.hasUtilities ? simulator.meanUtility : simulator.idleUtility)
        var out = [Float](repeating: 0, count: n * Self.featureSize)
        for s in 0..<n {
            let o = s * Self.featureSize
            out[o] = Float(Double(simulator.load[s]) / Double(u))
            out[o + 1] = Float(simulator.stationUtility[s])
            out[o + 2] = Float(simulator.cio[s] / scale)
            out[o + 3] = Float(Double(inRange[s]) / Double(u))
            out[o + 4] = Float(Double(strongest[s]) / Double(u))
            out[o + 5] = mean
        }
        return out
    }
}
