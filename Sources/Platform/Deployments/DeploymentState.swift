/// Where a deployment's rollout stands.
public enum DeploymentPhase: String, Sendable, Codable, Hashable {
    /// Only the baseline serves (strategy `single`).
    case serving
    /// The rollout is running: steps advance as analyses pass.
    case progressing
    /// Analyses are suspended; traffic stays as it is.
    case paused
    /// Shadow or A/B finished its analysis; waiting for a person to promote or roll back.
    case concluded
    /// Blue-green switched all traffic to the candidate; the baseline is still loaded.
    case switched
    /// The candidate serves all traffic; the baseline is released.
    case promoted
    /// The candidate was taken out of traffic (by a gate or by hand).
    case rolledBack = "rolled_back"
}

/// The mutable part of a deployment (persisted as JSON).
public struct DeploymentState: Sendable, Codable, Hashable {
    public var phase: DeploymentPhase
    /// Index into the strategy's traffic steps.
    public var step: Int
    /// The candidate's share of traffic, in percent.
    public var candidatePercent: Double
    /// Whether the candidate also answers a copy of the baseline's requests.
    public var shadowing: Bool
    /// Why the last transition happened (a failed gate, a passed analysis, a person).
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case phase, step, candidatePercent = "candidate_percent", shadowing, reason
    }
}

/// One transition in a deployment's history.
public struct DeploymentEvent: Sendable, Codable, Hashable {
    /// Milliseconds since the epoch.
    public var time: Int64
    /// `created`, `step`, `validated`, `switched`, `promoted`, `rolled_back`, `paused`, `resumed`, `concluded`.
    public var kind: String
    public var phase: DeploymentPhase
    public var candidatePercent: Double
    public var reason: String?
    /// Who caused it: the user of the API call, or `mlplane` for an automatic transition (audit).
    public var actor: String
    /// Analysis figures behind the transition, when there was one.
    public var analysis: [String: VariantReport]?

    enum CodingKeys: String, CodingKey {
        case time, kind, phase, candidatePercent = "candidate_percent", reason, actor, analysis
    }
}

/// A deployment as the API shows it.
public struct DeploymentStatus: Sendable, Codable, Hashable {
    public var spec: DeploymentSpec
    public var state: DeploymentState
    /// Loaded model versions by variant (`baseline`, `candidate`).
    public var models: [String: String]
    /// The current step's figures per variant.
    public var analysis: [String: VariantReport]
}
