import Foundation

extension RadioSimulator {
    /// SNR in dB of (UE, station), from the channel refresh (no logarithm here).
    @inlinable
    public func snrDecibels(ue: Int, station: Int) -> Double {
        snrDB[ue * stationCount + station]
    }

    /// Network-controlled A3 handover and attach (single connectivity), after the actions.
    mutating func applyA3(_ p: A3Parameters) {
        let n = stationCount, thr = scenario.ue.snrThreshold
        for u in 0..<ueCount {
            var current = -1
            for s in 0..<n where connected[u * n + s] { current = s; break }
            if current < 0 {
                a3Candidate[u] = -1
                a3Count[u] = 0
                guard p.autoAttach else { continue }
                var best = -1
                var bestValue = -Double.infinity
                for s in 0..<n where snr[u * n + s] > thr {
                    let value = snrDecibels(ue: u, station: s) + cio[s]
                    if value > bestValue { best = s; bestValue = value }
                }
                if best >= 0 { toggle(ue: u, station: best) }
                continue
            }
            let servingValue = snrDecibels(ue: u, station: current) + cio[current] + p.offset
            var target = -1
            var targetValue = -Double.infinity
            for s in 0..<n where s != current && snr[u * n + s] > thr {
                let value = snrDecibels(ue: u, station: s) + cio[s] - p.hysteresis
                if value > servingValue && value > targetValue { target = s; targetValue = value }
            }
            if target < 0 {
                a3Candidate[u] = -1
                a3Count[u] = 0
                continue
            }
            if target == a3Candidate[u] {
                a3Count[u] += 1
            } else {
                a3Candidate[u] = target
                a3Count[u] = 1
            }
            if a3Count[u] >= p.timeToTrigger {
                toggle(ue: u, station: target)  // single connectivity releases the serving link
                a3Candidate[u] = -1
                a3Count[u] = 0
            }
        }
    }
}
