import Foundation

/// Learning rate as a function of the step: linear warmup from 0 over `warmupSteps`, then
/// constant, linear decay to `minimum`, or cosine decay to `minimum` at `totalSteps`.
public struct LearningRateSchedule: Sendable, Hashable {
    public enum Decay: Sendable, Hashable { case constant, linear, cosine }
    public var base: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var decay: Decay
    public var minimum: Float

    public init(base: Float, warmupSteps: Int = 0, totalSteps: Int = 1, decay: Decay = .constant, minimum: Float = 0) {
        self.base = base; self.warmupSteps = warmupSteps; self.totalSteps = max(totalSteps, 1); self.decay = decay; self.minimum = minimum
    }

    /// The rate for 0-based `step`.
    public func callAsFunction(_ step: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        let span = max(totalSteps - warmupSteps, 1)
        let progress = min(Float(step - warmupSteps) / Float(span), 1)
        switch decay {
        case .constant: return base
        case .linear: return minimum + (base - minimum) * (1 - progress)
        case .cosine: return minimum + (base - minimum) * 0.5 * (1 + Foundation.cos(Float.pi * progress))
        }
    }
}
