import StatsKit

/// One variant's figures in the current rollout step.
public struct VariantReport: Sendable, Codable, Hashable {
    public var requests: Int
    public var errors: Int
    public var errorRate: Double?
    public var p95LatencyMs: Double?
    /// Labelled feedback received, and the share the variant got right.
    public var labelled: Int
    public var accuracy: Double?
    /// Outcomes (reward / conversion) received, and their mean.
    public var outcomes: Int
    public var outcomeMean: Double?

    enum CodingKeys: String, CodingKey {
        case requests, errors, errorRate = "error_rate", p95LatencyMs = "p95_latency_ms", labelled, accuracy, outcomes
        case outcomeMean = "outcome_mean"
    }
}

/// Accumulates one variant's requests, latencies and feedback during a rollout step.
struct VariantMetrics: Sendable {
    var requests = 0
    var errors = 0
    /// Latencies in ms (a bounded reservoir: the most recent `latencyCapacity`).
    var latencies: [Double] = []
    var latencyCursor = 0
    var labelled = 0
    var correct = 0
    /// Outcome values of the A/B metric since the last sequential look.
    var pendingOutcomes: [Double] = []
    var outcomes = Summary()
    static let latencyCapacity = 10_000

    mutating func record(latencyMs: Double, failed: Bool) {
        requests += 1
        if failed { errors += 1; return }
        if latencies.count < Self.latencyCapacity {
            latencies.append(latencyMs)
        } else {
            latencies[latencyCursor] = latencyMs
            latencyCursor = (latencyCursor + 1) % Self.latencyCapacity
        }
    }

    mutating func addLabel(correct isCorrect: Bool) {
        labelled += 1
        if isCorrect { correct += 1 }
    }

    mutating func addOutcome(_ value: Double) {
        pendingOutcomes.append(value)
        outcomes.add(value)
    }

    var errorRate: Double? { requests == 0 ? nil : Double(errors) / Double(requests) }
    var accuracy: Double? { labelled == 0 ? nil : Double(correct) / Double(labelled) }

    /// The 95th percentile (numpy's linear interpolation).
    var p95LatencyMs: Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        let position = 0.95 * Double(sorted.count - 1)
        let lo = Int(position), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
    }

    var report: VariantReport {
        VariantReport(requests: requests, errors: errors, errorRate: errorRate, p95LatencyMs: p95LatencyMs, labelled: labelled,
                      accuracy: accuracy, outcomes: outcomes.count, outcomeMean: outcomes.count == 0 ? nil : outcomes.mean)
    }
}
