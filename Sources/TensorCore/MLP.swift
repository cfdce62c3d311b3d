/// A multilayer perceptron: `Linear → activation` for every hidden layer, then a final
/// `Linear` with `outputActivation` (identity by default). Layers are named `layers.0`, ...
public final class MLP: Module, @unchecked Sendable {
    public let layers: [Linear]
    public let activation: Activation
    public let outputActivation: Activation
    public let dropout: Float

    /// `sizes` = [input, hidden..., output], e.g. `[64, 256, 256, 10]`.
    public init<G: RandomNumberGenerator>(sizes: [Int], activation: Activation = .relu, outputActivation: Activation = .identity,
                                          dropout: Float = 0, using g: inout G) {
        precondition(sizes.count >= 2, "MLP: needs at least input and output sizes, got \(sizes)")
        layers = (0..<(sizes.count - 1)).map { Linear(sizes[$0], sizes[$0 + 1], using: &g) }
        self.activation = activation; self.outputActivation = outputActivation; self.dropout = dropout
    }

    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { ("layers.\($0.offset)", $0.element) }
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        var h = x
        for (i, l) in layers.enumerated() {
            h = l(h)
            if i < layers.count - 1 { h = activation(h).dropout(dropout) } else { h = outputActivation(h) }
        }
        return h
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { self(Variable(x)).value }
}
