/// The A3 handover event (3GPP TS 36.331 5.5.4.4) as the network applies it: a UE hands over
/// from its serving cell s to neighbour n when
/// `snr_dB(n) + cio(n) - hysteresis > snr_dB(s) + cio(s) + offset`
/// has held for `timeToTrigger` consecutive steps (the same neighbour each time).
public struct A3Parameters: Sendable, Hashable {
    /// A3 offset in dB.
    public var offset: Double
    /// Hysteresis in dB.
    public var hysteresis: Double
    /// Steps the entering condition must hold before the handover (>= 1).
    public var timeToTrigger: Int
    /// Whether a UE without a connection attaches to its best cell (SNR + CIO) in range.
    public var autoAttach: Bool

    public init(offset: Double = 0, hysteresis: Double = 2, timeToTrigger: Int = 2, autoAttach: Bool = true) {
        self.offset = offset
        self.hysteresis = hysteresis
        self.timeToTrigger = timeToTrigger
        self.autoAttach = autoAttach
    }
}

/// Options beyond `mobile-env` compatibility. The default value is compatibility mode.
public struct OperatorOptions: Sendable, Hashable {
    /// When true a UE holds at most one connection: connecting to a cell releases the others
    /// (a handover when it had one).
    public var singleConnectivity: Bool
    /// Network-controlled A3 handover, applied after the agents' actions each step.
    /// Requires `singleConnectivity`.
    public var handover: A3Parameters?
    /// Cell individual offsets in dB, one per cell (empty = all 0); used by A3 and attach.
    public var cellOffsets: [Double]
    /// A handover back to the previous cell within this many steps is a ping-pong.
    public var pingPongWindow: Int
    /// Whether to record per-step KPI samples for `episodeKPIs()` (costs memory and time).
    public var trackKPIs: Bool
    /// `mobile-env`'s `reset_rng_episode`: re-seed the movement generator at every reset
    /// (so each `reset(seed: nil)` replays the same episode). Default false.
    public var resetRNGPerEpisode: Bool

    public init(singleConnectivity: Bool = false, handover: A3Parameters? = nil, cellOffsets: [Double] = [],
                pingPongWindow: Int = 5, trackKPIs: Bool = false, resetRNGPerEpisode: Bool = false) {
        self.singleConnectivity = singleConnectivity
        self.handover = handover
        self.cellOffsets = cellOffsets
        self.pingPongWindow = pingPongWindow
        self.trackKPIs = trackKPIs
        self.resetRNGPerEpisode = resetRNGPerEpisode
    }

    /// Exact `mobile-env` behaviour.
    public static let compatibility = OperatorOptions()

    /// Checks the options against a scenario; the error names the offending option.
    public func validate(stationCount: Int) throws(RadioSimError) {
        if handover != nil && !singleConnectivity {
            throw RadioSimError(.invalidOptions, field: "single_connectivity",
                                "A3 handover control needs single connectivity")
        }
        if let h = handover {
            guard h.timeToTrigger >= 1 else {
                throw RadioSimError(.invalidOptions, field: "handover.time_to_trigger", "must be >= 1, got \(h.timeToTrigger)")
            }
            guard h.hysteresis.isFinite, h.hysteresis >= 0 else {
                throw RadioSimError(.invalidOptions, field: "handover.hysteresis", "must be a finite number >= 0 dB")
            }
            guard h.offset.isFinite else {
                throw RadioSimError(.invalidOptions, field: "handover.offset", "must be finite")
            }
        }
        if !cellOffsets.isEmpty {
            guard cellOffsets.count == stationCount else {
                throw RadioSimError(.invalidOptions, field: "cell_offsets",
                                    "needs one offset per cell (\(stationCount)), got \(cellOffsets.count)")
            }
            if let bad = cellOffsets.firstIndex(where: { !$0.isFinite }) {
                throw RadioSimError(.invalidOptions, field: "cell_offsets[\(bad)]", "must be finite")
            }
        }
        guard pingPongWindow >= 0 else {
            throw RadioSimError(.invalidOptions, field: "ping_pong_window", "must be >= 0, got \(pingPongWindow)")
        }
    }
}
