/// An intervention on one node of a structural causal model.
///
/// - `set`: the hard intervention do(X = value): the mechanism is replaced by a constant.
/// - `shift`, `scale`, `transform`: soft interventions: the node keeps its mechanism and
///   noise, and the value it would take is then shifted, scaled or transformed
///   (X := g(f(pa) + U)), e.g. "raise the transmit power by 3 dB".
public struct Intervention: Sendable {
    public enum Action: Sendable {
        case set(Double)
        case shift(Double)
        case scale(Double)
        case transform(@Sendable (Double) -> Double)
    }

    public let node: Int
    public let action: Action

    public init(node: Int, _ action: Action) {
        self.node = node
        self.action = action
    }

    /// do(node = value).
    public static func set(_ node: Int, to value: Double) -> Intervention { Intervention(node: node, .set(value)) }
    /// X_node := natural value + delta.
    public static func shift(_ node: Int, by delta: Double) -> Intervention { Intervention(node: node, .shift(delta)) }
    /// X_node := natural value · factor.
    public static func scale(_ node: Int, by factor: Double) -> Intervention { Intervention(node: node, .scale(factor)) }

    /// The node's value given its natural (pre-intervention) value.
    @inlinable public func apply(natural: Double) -> Double {
        switch action {
        case .set(let v): return v
        case .shift(let d): return natural + d
        case .scale(let f): return natural * f
        case .transform(let g): return g(natural)
        }
    }
}
