import RadioSim

/// A trained policy acting on the radio simulator: it builds the variant's observation from
/// the simulator's state and writes one action per UE, so it runs wherever a heuristic runs
/// (`RadioEvaluation`, `ran simulate`, rule-based serving).
public struct LearnedRadioPolicy: RadioPolicy {
    public let policy: Policy
    public let variant: RadioVariant
    public var name: String

    public init(_ policy: Policy, variant: RadioVariant, name: String = "ppo") {
        self.policy = policy
        self.variant = variant
        self.name = name
    }

    public mutating func reset(seed: Int) {}

    public mutating func actions(for simulator: RadioSimulator, into actions: inout [Int]) {
        let observation = variant == .central ? simulator.centralObservation() : simulator.multiAgentObservations()
        let chosen = policy.act(observation)
        for u in actions.indices { actions[u] = Int(chosen[u]) }
    }
}
