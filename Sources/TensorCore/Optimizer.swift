/// Something that updates parameters from their accumulated gradients.
public protocol Optimizer {
    /// Learning rate used by the next `step()` (set it from a `LearningRateSchedule`).
    var learningRate: Float { get set }
    /// Applies one update to every parameter that requires a gradient and has one.
    mutating func step()
}

extension Optimizer {
    /// Clears the gradients of `parameters`.
    public func zeroGrad(_ parameters: [Parameter]) { for p in parameters { p.grad = nil } }
}
