import RadioSim

/// What a policy outputs and how that becomes actions: one or more categorical choices
/// (gymnasium `Discrete` / `MultiDiscrete`) or a diagonal Gaussian over a box (`Box`).
///
/// Actions travel through the trainer as `Float` rows of `width` entries (a categorical
/// choice is stored as its index), so one buffer and one code path serve every space.
public enum ActionKind: Sendable, Hashable, Codable {
    /// One categorical per component, component i with `counts[i]` choices.
    case categorical(counts: [Int])
    /// A diagonal Gaussian with a state-independent log standard deviation; samples are
    /// clipped to [low, high] before they reach the environment.
    case gaussian(low: [Float], high: [Float])

    /// The kind that acts in `space`.
    public init(_ space: ActionSpace) {
        switch space {
        case .discrete(let n): self = .categorical(counts: [n])
        case .multiDiscrete(let counts): self = .categorical(counts: counts)
        case .box(let box): self = .gaussian(low: box.low, high: box.high)
        }
    }

    /// Entries per action row.
    public var width: Int {
        switch self {
        case .categorical(let counts): counts.count
        case .gaussian(let low, _): low.count
        }
    }

    /// Outputs of the policy head per row: logits for every choice, or the Gaussian means.
    public var outputSize: Int {
        switch self {
        case .categorical(let counts): counts.reduce(0, +)
        case .gaussian(let low, _): low.count
        }
    }

    /// The equal choice count of every component, or nil when they differ (or Gaussian).
    var uniformCount: Int? {
        guard case .categorical(let counts) = self, let first = counts.first,
              counts.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}

/// An environment action built from a policy's `Float` action row (see `ActionKind`).
public protocol PolicyActionConvertible: Sendable {
    init(policyAction row: ArraySlice<Float>)
}

/// One entry of an array action: an `Int` choice or a `Float` value.
public protocol PolicyActionComponent: Sendable {
    init(policyComponent value: Float)
}

extension Int: PolicyActionConvertible, PolicyActionComponent {
    public init(policyAction row: ArraySlice<Float>) { self = Int(row[row.startIndex]) }
    public init(policyComponent value: Float) { self = Int(value) }
}

extension Float: PolicyActionComponent {
    public init(policyComponent value: Float) { self = value }
}

extension Array: PolicyActionConvertible where Element: PolicyActionComponent {
    public init(policyAction row: ArraySlice<Float>) { self = row.map { Element(policyComponent: $0) } }
}
