/// Cumulative per-cell event counters since the last reset.
public struct CellCounters: Sendable, Hashable {
    /// Handovers out of each cell (the UE's serving cell changed from this cell to another).
    public var handovers: [Int]
    /// Handovers out of each cell that returned to the cell the UE had just left, within
    /// `pingPongWindow` steps.
    public var pingPongs: [Int]
    /// Serving links of each cell dropped because the SNR fell to the threshold or below.
    public var radioLinkFailures: [Int]

    init(stationCount n: Int) {
        handovers = Array(repeating: 0, count: n)
        pingPongs = Array(repeating: 0, count: n)
        radioLinkFailures = Array(repeating: 0, count: n)
    }
}

/// Per-step samples for episode KPIs (recorded when `OperatorOptions.trackKPIs`).
struct KPISamples: Sendable {
    var steps = 0
    var throughputSum: [Double]
    var loadSum: [Double]
    var busySteps: [Double]
    /// (serving cell, UE rate) per UE per step; cell -1 for unserved UEs.
    var ueCell: [Int32] = []
    var ueRate: [Double] = []

    init(stationCount n: Int) {
        throughputSum = Array(repeating: 0, count: n)
        loadSum = Array(repeating: 0, count: n)
        busySteps = Array(repeating: 0, count: n)
    }
}

/// Key performance indicators of one cell.
public struct CellKPI: Sendable, Hashable, Codable {
    public var cell: Int
    /// Sum of the rates the cell delivers (bit/s); mean over steps in an episode report.
    public var throughput: Double
    /// Connected UEs; mean over steps in an episode report.
    public var connectedUEs: Double
    /// Share of resource blocks in use: with full-buffer traffic and resource-fair sharing a
    /// cell uses all of them whenever it serves anyone, so this is the share of busy steps.
    public var prbUtilisation: Double
    public var handovers: Int
    public var pingPongs: Int
    public var radioLinkFailures: Int
    /// Mean and 5th percentile (linear interpolation) of the macro rate (bit/s) of the UEs this
    /// cell serves; 0 when it serves none.
    public var meanUERate: Double
    public var p5UERate: Double

    enum CodingKeys: String, CodingKey {
        case cell, throughput, connectedUEs = "connected_ues", prbUtilisation = "prb_utilisation"
        case handovers, pingPongs = "ping_pongs", radioLinkFailures = "radio_link_failures"
        case meanUERate = "mean_ue_rate", p5UERate = "p5_ue_rate"
    }
}

/// Network KPIs: per cell plus network-wide UE rate figures.
public struct NetworkKPIs: Sendable, Hashable, Codable {
    public var cells: [CellKPI]
    /// Sum of all UE rates (bit/s).
    public var throughput: Double
    public var meanUERate: Double
    public var p5UERate: Double
    public var handovers: Int
    public var pingPongs: Int
    public var radioLinkFailures: Int

    enum CodingKeys: String, CodingKey {
        case cells, throughput, meanUERate = "mean_ue_rate", p5UERate = "p5_ue_rate"
        case handovers, pingPongs = "ping_pongs", radioLinkFailures = "radio_link_failures"
    }
}

/// The p-th percentile (0...100) with linear interpolation between order statistics
/// (numpy's default); 0 for an empty sample.
public func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let rank = p / 100 * Double(sorted.count - 1)
    let lo = Int(rank.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - Double(lo))
}

extension RadioSimulator {
    mutating func recordKPISample() {
        let n = stationCount
        kpiSamples.steps += 1
        for s in 0..<n {
            kpiSamples.loadSum[s] += Double(load[s])
            if load[s] > 0 { kpiSamples.busySteps[s] += 1 }
        }
        for u in 0..<ueCount {
            for s in 0..<n where connected[u * n + s] {
                kpiSamples.throughputSum[s] += linkRate[u * n + s] / Double(load[s])
            }
            kpiSamples.ueCell.append(Int32(serving[u]))
            kpiSamples.ueRate.append(macroRate[u])
        }
    }

    /// KPIs of the last scheduling (the rates behind the last reward), with counters since reset.
    public func currentKPIs() -> NetworkKPIs {
        let n = stationCount
        var throughput = Array(repeating: 0.0, count: n)
        for u in 0..<ueCount {
            for s in 0..<n where connected[u * n + s] {
                throughput[s] += linkRate[u * n + s] / Double(load[s])
            }
        }
        return kpis(throughput: throughput, load: load.map(Double.init),
                    busy: load.map { $0 > 0 ? 1 : 0 },
                    cells: serving.map(Int32.init), rates: macroRate)
    }

    /// KPIs over the episode so far (means over steps), needs `OperatorOptions.trackKPIs`;
    /// nil when it is off or no step was taken.
    public func episodeKPIs() -> NetworkKPIs? {
        guard options.trackKPIs, kpiSamples.steps > 0 else { return nil }
        let t = Double(kpiSamples.steps)
        return kpis(throughput: kpiSamples.throughputSum.map { $0 / t }, load: kpiSamples.loadSum.map { $0 / t },
                    busy: kpiSamples.busySteps.map { $0 / t }, cells: kpiSamples.ueCell, rates: kpiSamples.ueRate,
                    steps: t)
    }

    func kpis(throughput: [Double], load: [Double], busy: [Double], cells: [Int32], rates: [Double],
              steps: Double = 1) -> NetworkKPIs {
        let n = stationCount
        var perCell = Array(repeating: [Double](), count: n)
        for (c, r) in zip(cells, rates) where c >= 0 { perCell[Int(c)].append(r) }
        let kpis = (0..<n).map { s in
            CellKPI(cell: s, throughput: throughput[s], connectedUEs: load[s], prbUtilisation: busy[s],
                    handovers: counters.handovers[s], pingPongs: counters.pingPongs[s],
                    radioLinkFailures: counters.radioLinkFailures[s],
                    meanUERate: perCell[s].isEmpty ? 0 : perCell[s].reduce(0, +) / Double(perCell[s].count),
                    p5UERate: percentile(perCell[s], 5))
        }
        return NetworkKPIs(cells: kpis, throughput: rates.reduce(0, +) / steps,
                           meanUERate: rates.isEmpty ? 0 : rates.reduce(0, +) / Double(rates.count),
                           p5UERate: percentile(rates, 5),
                           handovers: counters.handovers.reduce(0, +), pingPongs: counters.pingPongs.reduce(0, +),
                           radioLinkFailures: counters.radioLinkFailures.reduce(0, +))
    }
}
