/// One simulated episode: its return and the network KPIs over it (for `ran simulate`).
public struct SimulationReport: Sendable, Hashable, Codable {
    public var scenario: String
    public var policy: String
    public var seed: Int
    public var steps: Int
    /// Sum of the per-step rewards of the chosen variant.
    public var episodeReturn: Double
    /// Episode KPIs (means over steps, counters summed).
    public var kpis: NetworkKPIs

    enum CodingKeys: String, CodingKey {
        case scenario, policy, seed, steps, episodeReturn = "episode_return", kpis
    }
}

extension RadioVariant {
    /// Parses `central` or `ma`; the error names the `variant` field.
    public static func parse(_ text: String) throws(RadioSimError) -> RadioVariant {
        guard let v = RadioVariant(rawValue: text) else {
            throw RadioSimError(.invalidOptions, field: "variant", "must be central or ma, got '\(text)'")
        }
        return v
    }
}

extension Baseline {
    /// Parses a baseline name (`random`, `strongest_signal`, `a3_handover`, `load_aware`).
    public static func parse(_ text: String) throws(RadioSimError) -> Baseline {
        guard let b = Baseline(rawValue: text) else {
            throw RadioSimError(.invalidOptions, field: "policy",
                                "unknown baseline '\(text)'; known: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return b
    }
}

extension RadioEvaluation {
    /// Runs one episode of `policy` from `seed` with KPI tracking on and reports its return
    /// and KPIs. Cost: one episode.
    public static func simulate<P: RadioPolicy>(_ policy: P, scenario: Scenario, variant: RadioVariant = .central,
                                                options: OperatorOptions = .compatibility,
                                                seed: Int) throws(RadioSimError) -> SimulationReport {
        var tracked = options
        tracked.trackKPIs = true
        var sim = try RadioSimulator(scenario: scenario, options: tracked)
        var policy = policy
        sim.reset(seed: seed)
        policy.reset(seed: seed)
        var actions = [Int](repeating: 0, count: sim.ueCount)
        let total = runEpisode(&sim, policy: &policy, variant: variant, actions: &actions)
        // episodeKPIs() is non-nil: tracking is on and at least one step was taken.
        return SimulationReport(scenario: scenario.name, policy: policy.name, seed: seed, steps: sim.time,
                                episodeReturn: total, kpis: sim.episodeKPIs()!)
    }
}
