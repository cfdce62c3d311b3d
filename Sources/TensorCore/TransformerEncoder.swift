/// A stack of `TransformerEncoderLayer`s named `layer.0`, `layer.1`, ... (Hugging Face
/// `BertEncoder` naming, so `encoder.layer.N.attention.self.query.weight` loads by name
/// when this module is a child named `encoder`).
public final class TransformerEncoder: Module, @unchecked Sendable {
    public let layers: [TransformerEncoderLayer]

    public init<G: RandomNumberGenerator>(layers count: Int, hidden: Int, heads: Int, feedForward: Int, dropout: Float = 0.1,
                                          layerNormEps: Float = 1e-12, using g: inout G) {
        layers = (0..<count).map { _ in
            TransformerEncoderLayer(hidden: hidden, heads: heads, feedForward: feedForward, dropout: dropout,
                                    layerNormEps: layerNormEps, using: &g)
        }
    }

    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { ("layer.\($0.offset)", $0.element) }
    }

    public func callAsFunction(_ x: Variable, mask: Tensor? = nil) -> Variable {
        layers.reduce(x) { h, l in l(h, mask: mask) }
    }

    /// Inference (no tape, dropout off).
    public func callAsFunction(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        layers.reduce(x) { h, l in l(h, mask: mask) }
    }
}
