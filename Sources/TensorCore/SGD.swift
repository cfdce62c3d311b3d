/// Stochastic gradient descent with optional momentum (PyTorch form:
/// `v ← μ v + g`, `w ← w − lr · v`, Nesterov `w ← w − lr (g + μ v)`) and L2 weight decay.
public struct SGD: Optimizer, Sendable {
    public let parameters: [Parameter]
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    public var nesterov: Bool
    private var velocity: [Tensor?]

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        self.parameters = parameters; self.learningRate = learningRate; self.momentum = momentum
        self.weightDecay = weightDecay; self.nesterov = nesterov
        velocity = Array(repeating: nil, count: parameters.count)
    }

    public mutating func step() {
        for (i, p) in parameters.enumerated() where p.requiresGrad {
            guard var g = p.grad else { continue }
            if weightDecay != 0 { g.addScaled(p.value, weightDecay) }
            if momentum != 0 {
                if var v = velocity[i] {
                    velocity[i] = nil
                    v.scalars.withUnsafeMutableBufferPointer { vb in
                        g.scalars.withUnsafeBufferPointer { gb in
                            for j in 0..<vb.count { vb[j] = momentum * vb[j] + gb[j] }
                        }
                    }
                    velocity[i] = v
                } else {
                    velocity[i] = g
                }
                if nesterov { g.addScaled(velocity[i]!, momentum) } else { g = velocity[i]! }
            }
            p.value.addScaled(g, -learningRate)
        }
    }
}
