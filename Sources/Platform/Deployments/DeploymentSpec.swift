/// How a candidate reaches traffic.
public enum RolloutStrategy: String, Sendable, Codable, Hashable, CaseIterable {
    /// Only the baseline serves (no candidate).
    case single
    /// The candidate answers a copy of every request; its answers are recorded, not returned.
    /// Validated by the gates; promotion is by hand.
    case shadow
    /// Traffic steps (default 10, 25, 50, 75, 100 percent) with an analysis at each step.
    case canary
    /// The candidate is validated on shadow traffic, then takes all traffic at once; the
    /// baseline stays loaded for an instant rollback until the deployment is finalised.
    case blueGreen = "blue_green"
    /// Replicas replaced one at a time: `replicas` steps of 1/replicas of the traffic.
    case rolling
    /// A fixed split with a sequential test on the A/B metric.
    case abTest = "ab_test"
}

/// Validation gates, checked on the candidate at every analysis. Unset gates are not checked.
public struct RolloutGates: Sendable, Codable, Hashable {
    /// Minimum accuracy of the candidate's predictions on labelled feedback (0...1).
    public var minAccuracy: Double?
    /// Maximum p95 latency of the candidate, in milliseconds.
    public var maxP95LatencyMs: Double?
    /// Maximum fraction of candidate requests that failed (0...1).
    public var maxErrorRate: Double?
    /// A/B metric from feedback (`reward`, `conversion` or `accuracy`) that must not be
    /// significantly worse than the baseline's (always-valid sequential test).
    public var abMetric: String?
    /// Tolerated difference before "worse" counts (in the metric's units).
    public var abMargin: Double
    /// Level of the sequential test.
    public var alpha: Double

    public init(minAccuracy: Double? = nil, maxP95LatencyMs: Double? = nil, maxErrorRate: Double? = nil,
                abMetric: String? = nil, abMargin: Double = 0, alpha: Double = 0.05) {
        self.minAccuracy = minAccuracy
        self.maxP95LatencyMs = maxP95LatencyMs
        self.maxErrorRate = maxErrorRate
        self.abMetric = abMetric
        self.abMargin = abMargin
        self.alpha = alpha
    }

    enum CodingKeys: String, CodingKey {
        case minAccuracy = "min_accuracy", maxP95LatencyMs = "max_p95_latency_ms", maxErrorRate = "max_error_rate"
        case abMetric = "ab_metric", abMargin = "ab_margin", alpha
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minAccuracy = try c.decodeIfPresent(Double.self, forKey: .minAccuracy)
        maxP95LatencyMs = try c.decodeIfPresent(Double.self, forKey: .maxP95LatencyMs)
        maxErrorRate = try c.decodeIfPresent(Double.self, forKey: .maxErrorRate)
        abMetric = try c.decodeIfPresent(String.self, forKey: .abMetric)
        abMargin = try c.decodeIfPresent(Double.self, forKey: .abMargin) ?? 0
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? 0.05
    }
}

/// Dynamic batching of one deployment's predictions.
public struct BatchingSpec: Sendable, Codable, Hashable {
    public var maxBatchSize: Int
    public var maxWaitMicroseconds: Int

    public init(maxBatchSize: Int = 32, maxWaitMicroseconds: Int = 500) {
        self.maxBatchSize = maxBatchSize
        self.maxWaitMicroseconds = maxWaitMicroseconds
    }

    enum CodingKeys: String, CodingKey { case maxBatchSize = "max_batch_size", maxWaitMicroseconds = "max_wait_us" }
}

/// What a user asks for when creating a deployment (`POST /api/v1/deployments`).
public struct DeploymentSpec: Sendable, Codable, Hashable {
    /// The endpoint name (`/v1/models/NAME:predict`, `/v2/models/NAME/infer`).
    public var name: String
    public var strategy: RolloutStrategy
    /// Model reference of the serving version (`models:/m/1`, `m@champion`, `rule:strongest_signal?ues=5&stations=3`).
    public var baseline: String
    /// Model reference of the new version (required unless `single`).
    public var candidate: String?
    /// Canary traffic steps in percent, ending at 100.
    public var steps: [Double]
    /// A/B share of the candidate in percent.
    public var split: Double
    /// Rolling: number of replicas (steps of 100/replicas percent).
    public var replicas: Int
    /// Candidate requests (and, for accuracy or A/B gates, feedback) needed before a step's analysis.
    public var minSamples: Int
    public var gates: RolloutGates
    public var batching: BatchingSpec?

    public init(name: String, strategy: RolloutStrategy, baseline: String, candidate: String? = nil,
                steps: [Double] = [10, 25, 50, 75, 100], split: Double = 50, replicas: Int = 4, minSamples: Int = 100,
                gates: RolloutGates = RolloutGates(), batching: BatchingSpec? = nil) {
        self.name = name
        self.strategy = strategy
        self.baseline = baseline
        self.candidate = candidate
        self.steps = steps
        self.split = split
        self.replicas = replicas
        self.minSamples = minSamples
        self.gates = gates
        self.batching = batching
    }

    enum CodingKeys: String, CodingKey {
        case name, strategy, baseline, candidate, steps, split, replicas, minSamples = "min_samples", gates, batching
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        strategy = try c.decodeIfPresent(RolloutStrategy.self, forKey: .strategy) ?? .single
        baseline = try c.decode(String.self, forKey: .baseline)
        candidate = try c.decodeIfPresent(String.self, forKey: .candidate)
        steps = try c.decodeIfPresent([Double].self, forKey: .steps) ?? [10, 25, 50, 75, 100]
        split = try c.decodeIfPresent(Double.self, forKey: .split) ?? 50
        replicas = try c.decodeIfPresent(Int.self, forKey: .replicas) ?? 4
        minSamples = try c.decodeIfPresent(Int.self, forKey: .minSamples) ?? 100
        gates = try c.decodeIfPresent(RolloutGates.self, forKey: .gates) ?? RolloutGates()
        batching = try c.decodeIfPresent(BatchingSpec.self, forKey: .batching)
    }

    /// Throws naming the first field that breaks a rule.
    public func validate() throws(ServingError) {
        func fail(_ field: String, _ rule: String) -> ServingError { ServingError(.invalidModel, "deployment \(field) \(rule)") }
        let allowed = name.unicodeScalars.allSatisfy { ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !name.isEmpty, name.count <= 128, allowed else { throw fail("name", "must be 1-128 characters of letters, digits, '-', '_' or '.', got '\(name)'") }
        guard !baseline.isEmpty else { throw fail("baseline", "must name a model") }
        if strategy == .single {
            guard candidate == nil else { throw fail("candidate", "is not used by the single strategy") }
        } else {
            guard let candidate, !candidate.isEmpty else { throw fail("candidate", "is required by the \(strategy.rawValue) strategy") }
        }
        guard !steps.isEmpty, steps.allSatisfy({ $0 > 0 && $0 <= 100 }), zip(steps, steps.dropFirst()).allSatisfy({ $0 < $1 }), steps.last == 100 else {
            throw fail("steps", "must rise strictly within (0, 100] and end at 100, got \(steps)")
        }
        guard split > 0 && split < 100 else { throw fail("split", "must be in (0, 100), got \(split)") }
        guard (1...100).contains(replicas) else { throw fail("replicas", "must be in 1...100, got \(replicas)") }
        guard minSamples >= 1 && minSamples <= 10_000_000 else { throw fail("min_samples", "must be in 1...10000000, got \(minSamples)") }
        if let a = gates.minAccuracy, !(0...1).contains(a) { throw fail("gates.min_accuracy", "must be in [0, 1], got \(a)") }
        if let e = gates.maxErrorRate, !(0...1).contains(e) { throw fail("gates.max_error_rate", "must be in [0, 1], got \(e)") }
        if let l = gates.maxP95LatencyMs, !(l > 0) { throw fail("gates.max_p95_latency_ms", "must be positive, got \(l)") }
        if let m = gates.abMetric, !["reward", "conversion", "accuracy"].contains(m) {
            throw fail("gates.ab_metric", "must be reward, conversion or accuracy, got '\(m)'")
        }
        guard gates.alpha > 0 && gates.alpha < 1 else { throw fail("gates.alpha", "must be in (0, 1), got \(gates.alpha)") }
        if let b = batching, !(1...4096).contains(b.maxBatchSize) || !(0...1_000_000).contains(b.maxWaitMicroseconds) {
            throw fail("batching", "needs max_batch_size in 1...4096 and max_wait_us in 0...1000000")
        }
    }

    /// The candidate's traffic percentages, step by step, for the strategy.
    var trafficSteps: [Double] {
        switch strategy {
        case .single, .shadow: [0]
        case .canary: steps
        case .blueGreen: [0, 100]
        case .rolling: (1...replicas).map { 100 * Double($0) / Double(replicas) }
        case .abTest: [split]
        }
    }
}
