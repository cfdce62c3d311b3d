/// A box of real vectors: per-component bounds (may be infinite).
public struct BoxSpace: Sendable, Hashable {
    public var low: [Float]
    public var high: [Float]
    /// Number of components.
    public var size: Int { low.count }

    public init(low: [Float], high: [Float]) {
        precondition(low.count == high.count, "low and high need the same size")
        self.low = low
        self.high = high
    }

    /// A box of `size` components, all in [low, high].
    public init(size: Int, low: Float, high: Float) {
        self.init(low: Array(repeating: low, count: size), high: Array(repeating: high, count: size))
    }

    /// Whether `x` has the right size and lies in the box.
    public func contains(_ x: [Float]) -> Bool {
        x.count == size && zip(x, zip(low, high)).allSatisfy { $0 >= $1.0 && $0 <= $1.1 }
    }
}

/// An action space, as gymnasium's `Discrete`, `MultiDiscrete` and `Box`.
public enum ActionSpace: Sendable, Hashable {
    /// One choice in 0..<n (action type `Int`).
    case discrete(Int)
    /// One choice per component, component i in 0..<counts[i] (action type `[Int]`).
    case multiDiscrete([Int])
    /// A real vector (action type `[Float]`).
    case box(BoxSpace)
}

/// What `reset(seed:)` returns.
public struct ResetResult<Info: Sendable>: Sendable {
    public var observation: [Float]
    public var info: Info
    public init(observation: [Float], info: Info) {
        self.observation = observation
        self.info = info
    }
}

/// What `step(_:)` returns (gymnasium's five-tuple).
public struct StepResult<Info: Sendable>: Sendable {
    public var observation: [Float]
    public var reward: Double
    /// The episode reached a terminal state (bootstrap with 0).
    public var terminated: Bool
    /// The episode was cut by a time limit (bootstrap from `observation`).
    public var truncated: Bool
    public var info: Info
    public init(observation: [Float], reward: Double, terminated: Bool, truncated: Bool, info: Info) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}

/// A gymnasium-like single-agent environment over flat `Float` observations.
///
/// Value semantics: copying an environment copies its state and random streams.
/// Deterministic: the same seed and the same actions give the same trajectory.
/// Stepping after `terminated` or `truncated` without a reset is a programming error.
public protocol Environment: Sendable {
    /// `Int` for `.discrete`, `[Int]` for `.multiDiscrete`, `[Float]` for `.box`.
    associatedtype Action: Sendable
    associatedtype Info: Sendable

    var observationSpace: BoxSpace { get }
    var actionSpace: ActionSpace { get }

    /// Starts an episode. A seed re-seeds every random stream; nil continues them.
    mutating func reset(seed: Int?) -> ResetResult<Info>
    mutating func step(_ action: Action) -> StepResult<Info>
}

/// What a multi-agent `reset(seed:)` returns.
public struct MultiAgentResetResult<Info: Sendable>: Sendable {
    /// Row-major agents x observation size.
    public var observations: [Float]
    public var info: Info
    public init(observations: [Float], info: Info) {
        self.observations = observations
        self.info = info
    }
}

/// What a multi-agent `step(_:)` returns; the episode ends for all agents at once.
public struct MultiAgentStepResult<Info: Sendable>: Sendable {
    /// Row-major agents x observation size, after the step (also on the last step).
    public var observations: [Float]
    /// One reward per agent.
    public var rewards: [Double]
    public var terminated: Bool
    public var truncated: Bool
    public var info: Info
    public init(observations: [Float], rewards: [Double], terminated: Bool, truncated: Bool, info: Info) {
        self.observations = observations
        self.rewards = rewards
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}

/// A multi-agent environment with a fixed set of homogeneous agents acting simultaneously
/// (for one shared policy): every agent has the same observation and action space.
public protocol MultiAgentEnvironment: Sendable {
    /// One agent's action: `Int` for `.discrete`.
    associatedtype Action: Sendable
    associatedtype Info: Sendable

    var agentCount: Int { get }
    /// One agent's observation space.
    var observationSpace: BoxSpace { get }
    /// One agent's action space.
    var actionSpace: ActionSpace { get }

    mutating func reset(seed: Int?) -> MultiAgentResetResult<Info>
    /// `actions` holds one action per agent, in agent order.
    mutating func step(_ actions: [Action]) -> MultiAgentStepResult<Info>
}

extension Environment {
    /// `reset(seed: nil)`: a new episode continuing the random streams.
    public mutating func reset() -> ResetResult<Info> { reset(seed: nil) }
}

extension MultiAgentEnvironment {
    /// `reset(seed: nil)`: a new episode continuing the random streams.
    public mutating func reset() -> MultiAgentResetResult<Info> { reset(seed: nil) }
}
