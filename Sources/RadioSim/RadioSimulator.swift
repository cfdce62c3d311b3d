import Foundation

/// The radio access network simulator: `mobile-env`'s model (see `specs/radio-sim.md`) as a
/// value type, plus operator-mode options.
///
/// One step (`step(actions:)`) is: (1) drop links whose SNR fell to the threshold or below,
/// (2) apply each UE's action (0 no-op, k toggles the link to station k - 1), then operator
/// A3 handovers if enabled, (3) schedule (resource-fair), compute rates and utilities,
/// (4) move the UEs (random waypoint), refresh the SNRs, `time += 1`.
/// Environments split it as `applyActions` (1-3) then `advanceTime` (4) to read rewards in
/// between. Cost per step: O(U N) for U UEs and N cells, no allocation.
///
/// State arrays are flat, row-major by UE: entry `u * stationCount + s`.
public struct RadioSimulator: Sendable {
    public let scenario: Scenario
    public let options: OperatorOptions
    public let stationCount: Int
    public let ueCount: Int

    // Per station constants (positions integer-truncated as mobile-env does).
    @usableFromInline let stationX: [Double]
    @usableFromInline let stationY: [Double]
    @usableFromInline let lossConstant: [Double]
    @usableFromInline let lossSlope: [Double]
    @usableFromInline let txPower: [Double]
    @usableFromInline let bandwidth: [Double]
    /// Cell individual offsets in dB used by A3 and attach (from the options; agents may change them).
    public internal(set) var cio: [Double]
    /// Scaled utility of the lower bound (-1): an idle station's broadcast.
    public let idleUtility: Double

    /// Steps taken since the last reset.
    public internal(set) var time: Int = 0
    /// UE positions in metres.
    public internal(set) var ueX: [Double]
    public internal(set) var ueY: [Double]
    var waypointX: [Double]
    var waypointY: [Double]
    var hasWaypoint: [Bool]
    var movementRNG: SeededGenerator?
    /// The seed in force (the last explicit one, else the scenario's).
    public internal(set) var seed: Int

    /// Whether UE u is connected to station s (`u * stationCount + s`).
    public internal(set) var connected: [Bool]
    /// Connected UEs per station.
    public internal(set) var load: [Int]
    /// Linear SNR of every (UE, station) pair at the current positions.
    public internal(set) var snr: [Double]
    /// SNR in dB of every (UE, station) pair: tx - loss - 10 log10(noise).
    public internal(set) var snrDB: [Double]
    /// Rate a UE would get with the station to itself (bit/s), 0 out of range.
    public internal(set) var linkRate: [Double]
    /// Each UE's summed data rate from the last scheduling (bit/s).
    public internal(set) var macroRate: [Double]
    /// Each UE's scaled utility in [-1, 1] from the last scheduling.
    public internal(set) var utility: [Double]
    /// Mean scaled utility of each station's connected UEs (idle: -1), from the last scheduling.
    public internal(set) var stationUtility: [Double]
    /// Whether utilities were computed this episode (false right after reset).
    public internal(set) var hasUtilities = false

    /// Serving cell per UE (strongest connected), -1 when not connected.
    public internal(set) var serving: [Int]
    var a3Candidate: [Int]
    var a3Count: [Int]
    var lastHandoverFrom: [Int]
    var lastHandoverTime: [Int]
    /// Cumulative per-cell counters since reset.
    public internal(set) var counters: CellCounters
    var kpiSamples: KPISamples

    /// Creates a simulator; throws when the scenario or the options break a rule.
    /// Call `reset(seed:)` before stepping (the simulator starts reset with the scenario seed).
    public init(scenario: Scenario, options: OperatorOptions = .compatibility) throws(RadioSimError) {
        try scenario.validate()
        let n = scenario.stations.count
        try options.validate(stationCount: n)
        self.scenario = scenario
        self.options = options
        stationCount = n
        ueCount = scenario.ueCount
        stationX = scenario.stations.map { $0.x.rounded(.towardZero) }
        stationY = scenario.stations.map { $0.y.rounded(.towardZero) }
        let terms = scenario.stations.map {
            RadioModel.okumuraHataTerms(frequency: $0.frequency, stationHeight: $0.height, ueHeight: scenario.ue.height)
        }
        lossConstant = terms.map(\.constant)
        lossSlope = terms.map(\.slope)
        txPower = scenario.stations.map(\.txPower)
        bandwidth = scenario.stations.map(\.bandwidth)
        cio = options.cellOffsets.isEmpty ? Array(repeating: 0, count: n) : options.cellOffsets
        idleUtility = RadioModel.scaledUtility(scenario.utilityLower, lower: scenario.utilityLower, upper: scenario.utilityUpper)
        let u = scenario.ueCount
        ueX = Array(repeating: 0, count: u)
        ueY = Array(repeating: 0, count: u)
        waypointX = Array(repeating: 0, count: u)
        waypointY = Array(repeating: 0, count: u)
        hasWaypoint = Array(repeating: false, count: u)
        seed = scenario.seed
        connected = Array(repeating: false, count: u * n)
        load = Array(repeating: 0, count: n)
        snr = Array(repeating: 0, count: u * n)
        snrDB = Array(repeating: 0, count: u * n)
        linkRate = Array(repeating: 0, count: u * n)
        macroRate = Array(repeating: 0, count: u)
        utility = Array(repeating: idleUtility, count: u)
        stationUtility = Array(repeating: idleUtility, count: n)
        serving = Array(repeating: -1, count: u)
        a3Candidate = Array(repeating: -1, count: u)
        a3Count = Array(repeating: 0, count: u)
        lastHandoverFrom = Array(repeating: -1, count: u)
        lastHandoverTime = Array(repeating: Int.min / 2, count: u)
        counters = CellCounters(stationCount: n)
        kpiSamples = KPISamples(stationCount: n)
        reset(seed: nil)
    }

    /// The linear SNR threshold a link needs.
    @inlinable public var snrThreshold: Double { scenario.ue.snrThreshold }
    /// Whether the episode is over (`time >= episodeLength`).
    @inlinable public var isTruncated: Bool { time >= scenario.episodeLength }

    /// Starts a new episode. With a seed, the movement generator is re-seeded with seed + 4
    /// (`mobile-env`'s movement sub-seed); without one it continues its stream (or restarts it
    /// when `resetRNGPerEpisode`), so consecutive episodes differ. UEs get uniform random
    /// positions, no connections, the lower-bound utility; cell offsets return to the options'.
    public mutating func reset(seed newSeed: Int?) {
        if let newSeed { seed = newSeed }
        if newSeed != nil || movementRNG == nil || options.resetRNGPerEpisode {
            movementRNG = SeededGenerator(seed: seed &+ 4)
        }
        var rng = movementRNG!
        let w = scenario.width, h = scenario.height
        for u in 0..<ueCount {
            ueX[u] = rng.uniform(0, w)
            ueY[u] = rng.uniform(0, h)
            hasWaypoint[u] = false
        }
        movementRNG = rng
        time = 0
        for i in connected.indices { connected[i] = false }
        for s in 0..<stationCount { load[s] = 0; stationUtility[s] = idleUtility }
        for u in 0..<ueCount {
            macroRate[u] = 0
            utility[u] = idleUtility
            serving[u] = -1
            a3Candidate[u] = -1
            a3Count[u] = 0
            lastHandoverFrom[u] = -1
            lastHandoverTime[u] = Int.min / 2
        }
        hasUtilities = false
        for c in 0..<stationCount { cio[c] = options.cellOffsets.isEmpty ? 0 : options.cellOffsets[c] }
        counters = CellCounters(stationCount: stationCount)
        kpiSamples = KPISamples(stationCount: stationCount)
        refreshChannel()
    }

    /// Places the UEs at given positions (metres) and refreshes the SNRs; connections are kept.
    /// For tests, fixtures and what-if analyses.
    public mutating func place(x: [Double], y: [Double]) {
        precondition(x.count == ueCount && y.count == ueCount, "need one position per UE")
        ueX = x
        ueY = y
        refreshChannel()
    }

    /// Connects or disconnects UE `ue` and station `station` directly (no range check), then
    /// leaves rates untouched until the next scheduling. For tests and what-if analyses.
    public mutating func setConnection(ue: Int, station: Int, _ on: Bool) {
        let i = ue * stationCount + station
        if connected[i] != on {
            connected[i] = on
            load[station] += on ? 1 : -1
        }
    }

    /// Sets cell `station`'s individual offset (dB), effective from the next A3 evaluation.
    public mutating func setCellOffset(_ station: Int, decibels: Double) {
        precondition(decibels.isFinite, "a cell offset must be finite")
        cio[station] = decibels
    }

    /// Whether UE `ue` could connect to `station` now (SNR above the threshold).
    @inlinable
    public func inRange(ue: Int, station: Int) -> Bool {
        snr[ue * stationCount + station] > scenario.ue.snrThreshold
    }

    /// One full step with one action per UE (0 no-op, k in 1...N toggles station k - 1).
    /// Returns the central reward (mean scaled utility). Precondition: not truncated.
    @discardableResult
    public mutating func step(actions: [Int]) -> Double {
        applyActions(actions)
        let reward = meanUtility
        advanceTime()
        return reward
    }

    /// Mean scaled utility over UEs from the last scheduling (the central reward).
    public var meanUtility: Double {
        var sum = 0.0
        for u in 0..<ueCount { sum += utility[u] }
        return sum / Double(ueCount)
    }

    /// Step parts 1-3: drop out-of-range links, apply the actions (and A3), schedule, compute
    /// rates and utilities. `actions` has one entry per UE, each in 0...stationCount.
    public mutating func applyActions(_ actions: [Int]) {
        precondition(!isTruncated, "step() called on a truncated episode; call reset(seed:)")
        precondition(actions.count == ueCount, "need one action per UE (\(ueCount)), got \(actions.count)")
        dropOutOfRange()
        let n = stationCount
        for u in 0..<ueCount {
            let a = actions[u]
            precondition(a >= 0 && a <= n, "action \(a) of UE \(u) outside 0...\(n)")
            if a != 0 { toggle(ue: u, station: a - 1) }
        }
        if let a3 = options.handover { applyA3(a3) }
        updateServing()
        schedule()
    }

    /// Step part 4: move the UEs one step, refresh the SNRs, advance time.
    public mutating func advanceTime() {
        move()
        refreshChannel()
        time += 1
    }

    /// Step part 4 with pinned movement: the UEs jump to the given positions instead of
    /// moving by random waypoint (for reference fixtures and replaying recorded traces).
    public mutating func advanceTime(placingAt x: [Double], y: [Double]) {
        place(x: x, y: y)
        time += 1
    }
}
