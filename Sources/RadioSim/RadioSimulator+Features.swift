extension RadioSimulator {
    /// Features per UE in the central variant: connections, snrs, utility (2N + 1).
    public var centralFeatureSize: Int { 2 * stationCount + 1 }
    /// Features per UE in the multi-agent variant: all five (4N + 1).
    public var fullFeatureSize: Int { 4 * stationCount + 1 }

    /// Writes UE `u`'s features at `out[offset...]`: one-hot connections (N), SNR over the UE's
    /// best SNR (N), scaled utility (1) and, when `full`, the broadcast mean utility of each
    /// station in range else -1 (N) and each in-range station's connection count over their
    /// sum, at least 1 (N). Values as `mobile-env` computes them (in Double, then Float).
    @inlinable
    public func writeFeatures(ue u: Int, full: Bool, into out: UnsafeMutableBufferPointer<Float>, at offset: Int) {
        let n = stationCount
        let thr = scenario.ue.snrThreshold
        var maxSNR = -Double.infinity
        for s in 0..<n { maxSNR = max(maxSNR, snr[u * n + s]) }
        for s in 0..<n {
            out[offset + s] = connected[u * n + s] ? 1 : 0
            out[offset + n + s] = Float(snr[u * n + s] / maxSNR)
        }
        out[offset + 2 * n] = Float(hasUtilities ? utility[u] : idleUtility)
        guard full else { return }
        var total = 0
        for s in 0..<n where snr[u * n + s] > thr { total += load[s] }
        let denominator = Double(max(1, total))
        for s in 0..<n {
            let reachable = snr[u * n + s] > thr
            out[offset + 2 * n + 1 + s] = Float(reachable ? stationUtility[s] : idleUtility)
            out[offset + 3 * n + 1 + s] = reachable ? Float(Double(load[s]) / denominator) : 0
        }
    }

    /// The central observation: concatenation over UEs of [connections, snrs, utility],
    /// size U (2N + 1).
    public func centralObservation() -> [Float] {
        let size = centralFeatureSize
        return [Float](unsafeUninitializedCapacity: ueCount * size) { buffer, count in
            for u in 0..<ueCount { writeFeatures(ue: u, full: false, into: buffer, at: u * size) }
            count = ueCount * size
        }
    }

    /// The multi-agent observations, row-major U x (4N + 1).
    public func multiAgentObservations() -> [Float] {
        let size = fullFeatureSize
        return [Float](unsafeUninitializedCapacity: ueCount * size) { buffer, count in
            for u in 0..<ueCount { writeFeatures(ue: u, full: true, into: buffer, at: u * size) }
            count = ueCount * size
        }
    }

    /// UE `u`'s multi-agent reward: (sum of the mean utilities of the stations in its range +
    /// its own utility) / (total connections of those stations + 1). Read it between
    /// `applyActions` and `advanceTime` (it uses the pre-move ranges).
    @inlinable
    public func multiAgentReward(ue u: Int) -> Double {
        let n = stationCount, thr = scenario.ue.snrThreshold
        var utilitySum = 0.0
        var connections = 0
        for s in 0..<n where snr[u * n + s] > thr {
            utilitySum += stationUtility[s]
            connections += load[s]
        }
        return (utilitySum + utility[u]) / Double(connections + 1)
    }

    /// `mobile-env`'s monitor scalars after the last scheduling.
    public var stepInfo: RadioStepInfo {
        var connections = 0
        var connectedUEs = 0
        var rateSum = 0.0
        for u in 0..<ueCount where serving[u] >= 0 {
            connectedUEs += 1
            rateSum += macroRate[u]
        }
        for s in 0..<stationCount { connections += load[s] }
        return RadioStepInfo(time: time, connections: connections, connectedUEs: connectedUEs,
                             meanDataRate: connectedUEs > 0 ? rateSum / Double(connectedUEs) : 0,
                             meanUtility: hasUtilities ? meanUtility : idleUtility)
    }
}

/// Per-step information (gymnasium's `info`), `mobile-env`'s monitor scalars.
public struct RadioStepInfo: Sendable, Hashable, Codable {
    /// Steps taken in the episode.
    public var time: Int
    /// Number of (UE, station) links.
    public var connections: Int
    /// UEs with at least one link.
    public var connectedUEs: Int
    /// Mean macro data rate of connected UEs (bit/s), 0 when none.
    public var meanDataRate: Double
    /// Mean scaled utility over UEs.
    public var meanUtility: Double

    enum CodingKeys: String, CodingKey {
        case time, connections, connectedUEs = "connected_ues", meanDataRate = "mean_data_rate", meanUtility = "mean_utility"
    }
}
