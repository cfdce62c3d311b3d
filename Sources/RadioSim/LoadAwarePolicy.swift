/// Load-aware heuristic: each UE targets the cell with the best expected share of rate,
/// `linkRate / (load + 1 if not yet connected)`, switching only for a gain above `margin`
/// (relative); UEs decide in turn and see the loads earlier UEs' choices imply.
public struct LoadAwarePolicy: RadioPolicy {
    public var name: String { "load_aware" }
    /// Relative gain needed to leave the current cell (default 0.1 = 10 %).
    public var margin: Double
    var target: [Int] = []

    public init(margin: Double = 0.1) { self.margin = margin }

    public mutating func reset(seed: Int) { target = [] }

    public mutating func actions(for simulator: RadioSimulator, into actions: inout [Int]) {
        let n = simulator.stationCount
        if target.count != simulator.ueCount { target = Array(repeating: -1, count: simulator.ueCount) }
        // Load each cell will carry under the current targets.
        var load = Array(repeating: 0, count: n)
        for u in 0..<simulator.ueCount {
            let t = target[u]
            if t >= 0 && simulator.inRange(ue: u, station: t) { load[t] += 1 } else { target[u] = -1 }
        }
        for u in 0..<simulator.ueCount {
            let current = target[u]
            var best = -1
            var bestShare = 0.0
            for s in 0..<n where simulator.inRange(ue: u, station: s) {
                let share = simulator.linkRate[u * n + s] / Double(load[s] + (s == current ? 0 : 1))
                if share > bestShare { best = s; bestShare = share }
            }
            if best >= 0 && best != current {
                let currentShare = current >= 0 ? simulator.linkRate[u * n + current] / Double(load[current]) : 0
                if current < 0 || bestShare > currentShare * (1 + margin) {
                    if current >= 0 { load[current] -= 1 }
                    load[best] += 1
                    target[u] = best
                }
            }
            actions[u] = Self.actionTowards(single: target[u], ue: u, in: simulator)
        }
    }
}
