/// Each UE connected to its best-SNR cell only.
public struct StrongestSignalPolicy: RadioPolicy {
    public var name: String { "strongest_signal" }
    public init() {}
    public mutating func reset(seed: Int) {}
    public mutating func actions(for simulator: RadioSimulator, into actions: inout [Int]) {
        for u in 0..<simulator.ueCount {
            actions[u] = Self.actionTowards(single: Self.strongest(ue: u, in: simulator), ue: u, in: simulator)
        }
    }
}
