import Foundation
import RadioSim

/// The classic cart-pole balancing task (Barto, Sutton and Anderson, "Neuronlike adaptive
/// elements that can solve difficult learning control problems", 1983), with the dynamics,
/// constants, thresholds and reward of gymnasium's `CartPole-v1`.
///
/// State (x, x_dot, theta, theta_dot) in metres, m/s, radians, rad/s, starting uniform in
/// [-0.05, 0.05]. Action 0 pushes left, 1 pushes right (10 N); explicit Euler with tau 0.02 s.
/// Reward 1 per step, including the step on which the pole falls. Terminated when
/// |x| > 2.4 or |theta| > 12 degrees; truncated after `maxEpisodeSteps` (500) steps.
public struct CartPole: Environment {
    public typealias Action = Int
    public typealias Info = CartPoleInfo

    /// The physical state, in Double as gymnasium keeps it.
    public struct State: Sendable, Hashable {
        public var x: Double
        public var xDot: Double
        public var theta: Double
        public var thetaDot: Double
        public init(x: Double, xDot: Double, theta: Double, thetaDot: Double) {
            self.x = x
            self.xDot = xDot
            self.theta = theta
            self.thetaDot = thetaDot
        }
    }

    public static let gravity = 9.8
    public static let massCart = 1.0
    public static let massPole = 0.1
    public static let totalMass = massPole + massCart
    /// Half the pole's length (m).
    public static let length = 0.5
    public static let poleMassLength = massPole * length
    public static let forceMagnitude = 10.0
    public static let tau = 0.02
    public static let thetaThreshold = 12 * 2 * Double.pi / 360
    public static let xThreshold = 2.4

    public var state: State
    /// Steps since the last reset.
    public private(set) var steps = 0
    public let maxEpisodeSteps: Int
    var rng: SeededGenerator
    var done = false

    public let observationSpace: BoxSpace
    public let actionSpace = ActionSpace.discrete(2)

    /// A cart-pole seeded with `seed` (call `reset(seed:)` to start an episode).
    public init(seed: Int = 0, maxEpisodeSteps: Int = 500) {
        precondition(maxEpisodeSteps >= 1, "maxEpisodeSteps must be >= 1")
        rng = SeededGenerator(seed: seed)
        self.maxEpisodeSteps = maxEpisodeSteps
        state = State(x: 0, xDot: 0, theta: 0, thetaDot: 0)
        let high: [Float] = [Float(Self.xThreshold * 2), .infinity, Float(Self.thetaThreshold * 2), .infinity]
        observationSpace = BoxSpace(low: high.map { -$0 }, high: high)
    }

    public var observation: [Float] {
        [Float(state.x), Float(state.xDot), Float(state.theta), Float(state.thetaDot)]
    }

    public mutating func reset(seed: Int?) -> ResetResult<CartPoleInfo> {
        if let seed { rng = SeededGenerator(seed: seed) }
        state = State(x: rng.uniform(-0.05, 0.05), xDot: rng.uniform(-0.05, 0.05),
                      theta: rng.uniform(-0.05, 0.05), thetaDot: rng.uniform(-0.05, 0.05))
        steps = 0
        done = false
        return ResetResult(observation: observation, info: CartPoleInfo(steps: 0))
    }

    /// One Euler step of the dynamics. Precondition: action 0 or 1, episode not over.
    public mutating func step(_ action: Int) -> StepResult<CartPoleInfo> {
        precondition(action == 0 || action == 1, "CartPole action must be 0 or 1, got \(action)")
        precondition(!done, "step() called after the episode ended; call reset(seed:)")
        state = Self.advance(state, action: action)
        steps += 1
        let terminated = state.x < -Self.xThreshold || state.x > Self.xThreshold
            || state.theta < -Self.thetaThreshold || state.theta > Self.thetaThreshold
        let truncated = steps >= maxEpisodeSteps
        done = terminated || truncated
        return StepResult(observation: observation, reward: 1, terminated: terminated, truncated: truncated,
                          info: CartPoleInfo(steps: steps))
    }

    /// The dynamics (gymnasium's order of operations).
    public static func advance(_ s: State, action: Int) -> State {
        let force = action == 1 ? forceMagnitude : -forceMagnitude
        let cosTheta = cos(s.theta), sinTheta = sin(s.theta)
        let temp = (force + poleMassLength * (s.thetaDot * s.thetaDot) * sinTheta) / totalMass
        let thetaAcc = (gravity * sinTheta - cosTheta * temp)
            / (length * (4.0 / 3.0 - massPole * (cosTheta * cosTheta) / totalMass))
        let xAcc = temp - poleMassLength * thetaAcc * cosTheta / totalMass
        return State(x: s.x + tau * s.xDot, xDot: s.xDot + tau * xAcc,
                     theta: s.theta + tau * s.thetaDot, thetaDot: s.thetaDot + tau * thetaAcc)
    }
}

/// CartPole's per-step info.
public struct CartPoleInfo: Sendable, Hashable {
    /// Steps since the last reset.
    public var steps: Int
}
