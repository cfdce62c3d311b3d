import Foundation

/// How agent-memory search ranks a candidate: its similarity to the query, raised by its
/// reward and lowered by its age.
///
///     score = similarity * (1 + reward_weight * reward_norm) * 0.5^(age / half_life)
///
/// - `similarity`: cosine similarity of query and record embedding, in [-1, 1].
/// - `reward_norm = clamp((reward - reward_min) / (reward_max - reward_min), 0, 1)`; a record
///   without a reward has `reward_norm = 0`. With `reward_weight = 0` (default) rewards do not
///   count; with 1 the best reward doubles a score.
/// - `0.5^(age / half_life) = exp(-age / half_life * ln 2)`: a record `half_life` seconds old
///   counts half; no `half_life` means no decay. `age = max(0, now - timestamp)` in seconds.
///
/// Reranking works on the `candidates` nearest records by similarity, so a highly rewarded
/// record far from the query is not pulled in from outside them.
public struct MemoryScoring: Sendable, Equatable {
    public var rewardWeight: Double
    public var rewardMin: Double
    public var rewardMax: Double
    /// Seconds after which a record's score is halved; nil for no decay.
    public var halfLifeSeconds: Double?

    public init(rewardWeight: Double = 0, rewardMin: Double = 0, rewardMax: Double = 1, halfLifeSeconds: Double? = nil) throws {
        guard rewardWeight.isFinite, rewardWeight >= 0 else { throw PlatformError.invalid("reward_weight must be a finite number >= 0, got \(rewardWeight)") }
        guard rewardMin.isFinite, rewardMax.isFinite, rewardMin < rewardMax else {
            throw PlatformError.invalid("reward_min must be below reward_max (both finite), got \(rewardMin) and \(rewardMax)")
        }
        if let halfLifeSeconds, !(halfLifeSeconds.isFinite && halfLifeSeconds > 0) {
            throw PlatformError.invalid("half_life_seconds must be a finite number > 0, got \(halfLifeSeconds)")
        }
        self.rewardWeight = rewardWeight
        self.rewardMin = rewardMin
        self.rewardMax = rewardMax
        self.halfLifeSeconds = halfLifeSeconds
    }

    /// The reward mapped to [0, 1] (0 when absent).
    public func rewardNorm(_ reward: Double?) -> Double {
        guard let reward else { return 0 }
        return min(1, max(0, (reward - rewardMin) / (rewardMax - rewardMin)))
    }

    /// The recency factor in (0, 1] for an age in seconds.
    public func decay(ageSeconds: Double) -> Double {
        guard let halfLifeSeconds else { return 1 }
        return exp(-max(0, ageSeconds) / halfLifeSeconds * M_LN2)
    }

    public func score(similarity: Double, reward: Double?, ageSeconds: Double) -> Double {
        similarity * (1 + rewardWeight * rewardNorm(reward)) * decay(ageSeconds: ageSeconds)
    }
}
