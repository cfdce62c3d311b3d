/// A policy that acts on the simulator's state directly (heuristics and baselines).
///
/// `actions(for:into:)` is called once per step, before `applyActions`, with the state after
/// the previous step's move; it writes one action per UE (0 no-op, k toggles the link to
/// station k - 1). Links whose SNR fell to the threshold are dropped by the step itself.
public protocol RadioPolicy: Sendable {
    /// Name used in reports (`strongest_signal`, ...).
    var name: String { get }
    /// Called at the start of each episode.
    mutating func reset(seed: Int)
    mutating func actions(for simulator: RadioSimulator, into actions: inout [Int])
}

extension RadioPolicy {
    /// The action that moves UE `u` one toggle towards being connected to `target` only:
    /// connect the target first (make before break), then release the others.
    @inlinable
    static func actionTowards(single target: Int, ue u: Int, in sim: RadioSimulator) -> Int {
        let n = sim.stationCount
        if target >= 0 && !sim.connected[u * n + target] { return target + 1 }
        for s in 0..<n where s != target && sim.connected[u * n + s] && sim.inRange(ue: u, station: s) {
            return s + 1
        }
        return 0
    }

    /// The in-range station with the best SNR for UE `u`, or -1.
    @inlinable
    static func strongest(ue u: Int, in sim: RadioSimulator) -> Int {
        let n = sim.stationCount
        var best = -1
        var bestSNR = -Double.infinity
        for s in 0..<n where sim.inRange(ue: u, station: s) && sim.snr[u * n + s] > bestSNR {
            best = s
            bestSNR = sim.snr[u * n + s]
        }
        return best
    }
}
