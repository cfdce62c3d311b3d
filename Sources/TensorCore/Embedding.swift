/// A lookup table `weight: [count, dimension]`; ids map to rows.
/// Initialised N(0, std²) (PyTorch uses std 1, BERT 0.02).
public final class Embedding: Module, @unchecked Sendable {
    public let weight: Parameter

    public init<G: RandomNumberGenerator>(count: Int, dimension: Int, std: Float = 1, using g: inout G) {
        weight = Parameter(.randomNormal([count, dimension], std: std, using: &g))
    }

    public init(weight: Tensor) { self.weight = Parameter(weight) }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    /// Rows for `ids`, shaped `idsShape + [dimension]` (`idsShape` defaults to `[ids.count]`).
    /// Pass the training tape to get gradients into `weight`; `nil` for inference.
    public func callAsFunction(_ ids: [Int], shape idsShape: [Int]? = nil, tape: Tape?) -> Variable {
        let w = tape?.parameter(weight) ?? Variable(weight.value)
        return w.gatherRows(ids).reshaped((idsShape ?? [ids.count]) + [weight.shape[1]])
    }

    /// Inference lookup.
    public func callAsFunction(_ ids: [Int], shape idsShape: [Int]? = nil) -> Tensor {
        weight.value.gatherRows(ids).reshaped((idsShape ?? [ids.count]) + [weight.shape[1]])
    }
}
