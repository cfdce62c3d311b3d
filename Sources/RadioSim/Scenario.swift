/// One base station (cell) of a scenario. Defaults are `mobile-env`'s.
public struct StationConfig: Sendable, Hashable {
    /// Position in metres.
    public var x: Double
    public var y: Double
    /// Bandwidth in Hz (default 9 MHz).
    public var bandwidth: Double
    /// Carrier frequency in MHz (default 2500).
    public var frequency: Double
    /// Transmit power in dBm (default 30).
    public var txPower: Double
    /// Antenna height in metres (default 50).
    public var height: Double

    public init(x: Double, y: Double, bandwidth: Double = 9e6, frequency: Double = 2500,
                txPower: Double = 30, height: Double = 50) {
        self.x = x
        self.y = y
        self.bandwidth = bandwidth
        self.frequency = frequency
        self.txPower = txPower
        self.height = height
    }
}

/// The user-equipment parameters shared by all UEs of a scenario. Defaults are `mobile-env`'s.
public struct UEConfig: Sendable, Hashable {
    /// Speed in metres per step (default 1.5).
    public var velocity: Double
    /// Linear SNR a link needs to exist (default 2e-8).
    public var snrThreshold: Double
    /// Linear noise power (default 1e-9), in the same unit as the received power (mW).
    public var noise: Double
    /// Antenna height in metres (default 1.5).
    public var height: Double

    public init(velocity: Double = 1.5, snrThreshold: Double = 2e-8, noise: Double = 1e-9,
                height: Double = 1.5) {
        self.velocity = velocity
        self.snrThreshold = snrThreshold
        self.noise = noise
        self.height = height
    }
}

/// A radio scenario: the map, the cells, how many UEs roam it and for how long.
///
/// Built-in scenarios (`.small`, `.medium`, `.large`) equal `mobile-env`'s; `hexGrid(...)`
/// generates large ones; `Scenario(json:)` reads a user's file and validates it.
public struct Scenario: Sendable, Hashable {
    /// A label for logs and results.
    public var name: String
    /// Map size in metres.
    public var width: Double
    public var height: Double
    public var stations: [StationConfig]
    /// Number of UEs, all active for the whole episode.
    public var ueCount: Int
    public var ue: UEConfig
    /// Steps per episode (`EP_MAX_TIME`, default 100).
    public var episodeLength: Int
    /// The scenario seed used by `reset(seed: nil)` before any explicit seed (default 0).
    public var seed: Int
    /// Bounds of the (unscaled) bounded log utility (default -20 and 20).
    public var utilityLower: Double
    public var utilityUpper: Double

    public init(name: String, width: Double, height: Double, stations: [StationConfig],
                ueCount: Int, ue: UEConfig = UEConfig(), episodeLength: Int = 100, seed: Int = 0,
                utilityLower: Double = -20, utilityUpper: Double = 20) {
        self.name = name
        self.width = width
        self.height = height
        self.stations = stations
        self.ueCount = ueCount
        self.ue = ue
        self.episodeLength = episodeLength
        self.seed = seed
        self.utilityLower = utilityLower
        self.utilityUpper = utilityUpper
    }

    /// Checks every rule and names the first field that breaks one.
    public func validate() throws(RadioSimError) {
        func fail(_ field: String, _ message: String) -> RadioSimError {
            RadioSimError(.invalidScenario, field: field, message)
        }
        func positive(_ value: Double, _ field: String) throws(RadioSimError) {
            guard value.isFinite, value > 0 else {
                throw fail(field, "must be a finite number > 0, got \(value)")
            }
        }
        try positive(width, "width")
        try positive(height, "height")
        guard !stations.isEmpty else { throw fail("stations", "must list at least one station") }
        guard stations.count <= 10_000 else {
            throw fail("stations", "at most 10000 stations, got \(stations.count)")
        }
        for (i, s) in stations.enumerated() {
            let p = "stations[\(i)]"
            guard s.x.isFinite, s.x >= 0, s.x <= width else {
                throw fail("\(p).x", "must lie within the map [0, \(width)], got \(s.x)")
            }
            guard s.y.isFinite, s.y >= 0, s.y <= height else {
                throw fail("\(p).y", "must lie within the map [0, \(height)], got \(s.y)")
            }
            try positive(s.bandwidth, "\(p).bandwidth")
            try positive(s.frequency, "\(p).frequency")
            try positive(s.height, "\(p).height")
            guard s.txPower.isFinite else { throw fail("\(p).tx_power", "must be finite") }
        }
        guard ueCount >= 1, ueCount <= 1_000_000 else {
            throw fail("ue_count", "must be in 1...1000000, got \(ueCount)")
        }
        guard ueCount * stations.count <= 50_000_000 else {
            throw fail("ue_count", "UEs x stations must be at most 50 million (state is kept per pair), got \(ueCount) x \(stations.count)")
        }
        guard ue.velocity.isFinite, ue.velocity >= 0 else {
            throw fail("ue.velocity", "must be a finite number >= 0, got \(ue.velocity)")
        }
        guard ue.snrThreshold.isFinite, ue.snrThreshold >= 0 else {
            throw fail("ue.snr_threshold", "must be a finite number >= 0, got \(ue.snrThreshold)")
        }
        try positive(ue.noise, "ue.noise")
        try positive(ue.height, "ue.height")
        guard episodeLength >= 1 else {
            throw fail("episode_length", "must be >= 1, got \(episodeLength)")
        }
        guard utilityLower.isFinite, utilityUpper.isFinite, utilityLower < utilityUpper else {
            throw fail("utility_upper", "utility bounds must be finite with lower < upper, got \(utilityLower) and \(utilityUpper)")
        }
    }
}
