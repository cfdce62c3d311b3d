/// Layer normalisation over the last axis with learned `weight` (γ, ones) and `bias` (β, zeros).
public final class LayerNorm: Module, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter
    public let eps: Float

    public init(_ dimension: Int, eps: Float = 1e-12) {
        weight = Parameter(.ones([dimension]))
        bias = Parameter(.zeros([dimension]))
        self.eps = eps
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }

    public func callAsFunction(_ x: Variable) -> Variable {
        Variable.layerNorm(x, gamma: x.lift(weight), beta: x.lift(bias), eps: eps)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.layerNorm(gamma: weight.value, beta: bias.value, eps: eps) }

    /// Inference `LayerNorm(x + residual)` in one pass.
    func callAsFunction(_ x: Tensor, adding residual: Tensor) -> Tensor {
        x.layerNorm(adding: residual, gamma: weight.value, beta: bias.value, eps: eps)
    }
}
