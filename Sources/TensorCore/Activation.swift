/// Pointwise nonlinearities used by `MLP`.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case relu, tanh, gelu, sigmoid, identity

    public func callAsFunction(_ x: Variable) -> Variable {
        switch self {
        case .relu: x.relu()
        case .tanh: x.tanh()
        case .gelu: x.gelu()
        case .sigmoid: x.sigmoid()
        case .identity: x
        }
    }
}
