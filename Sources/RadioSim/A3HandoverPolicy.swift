/// UE-side A3 handover heuristic: keep one serving cell; switch to the best neighbour once
/// `snr_dB(n) - hysteresis > snr_dB(serving) + offset` has held for `timeToTrigger` steps;
/// attach to the strongest cell when unserved.
public struct A3HandoverPolicy: RadioPolicy {
    public var name: String { "a3_handover" }
    public var parameters: A3Parameters
    var target: [Int] = []
    var candidate: [Int] = []
    var count: [Int] = []

    public init(parameters: A3Parameters = A3Parameters(offset: 0, hysteresis: 2, timeToTrigger: 2)) {
        self.parameters = parameters
    }

    public mutating func reset(seed: Int) {
        target = []
        candidate = []
        count = []
    }

    public mutating func actions(for simulator: RadioSimulator, into actions: inout [Int]) {
        let n = simulator.stationCount
        if target.count != simulator.ueCount {
            target = Array(repeating: -1, count: simulator.ueCount)
            candidate = target
            count = Array(repeating: 0, count: simulator.ueCount)
        }
        for u in 0..<simulator.ueCount {
            let serving = target[u]
            if serving < 0 || !simulator.inRange(ue: u, station: serving) {
                target[u] = Self.strongest(ue: u, in: simulator)
                candidate[u] = -1
                count[u] = 0
            } else {
                let servingValue = simulator.snrDecibels(ue: u, station: serving) + parameters.offset
                var best = -1
                var bestValue = -Double.infinity
                for s in 0..<n where s != serving && simulator.inRange(ue: u, station: s) {
                    let value = simulator.snrDecibels(ue: u, station: s) - parameters.hysteresis
                    if value > servingValue && value > bestValue { best = s; bestValue = value }
                }
                if best < 0 {
                    candidate[u] = -1
                    count[u] = 0
                } else {
                    count[u] = best == candidate[u] ? count[u] + 1 : 1
                    candidate[u] = best
                    if count[u] >= parameters.timeToTrigger {
                        target[u] = best
                        candidate[u] = -1
                        count[u] = 0
                    }
                }
            }
            actions[u] = Self.actionTowards(single: target[u], ue: u, in: simulator)
        }
    }
}
