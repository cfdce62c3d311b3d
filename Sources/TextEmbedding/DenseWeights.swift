import TensorCore

/// Numeric precision of the encoder's dense (Linear) layers at inference.
public enum EncoderPrecision: String, Sendable, CaseIterable {
    /// Float32 GEMMs on the platform BLAS.
    case float32

    /// The precision to use when the caller does not choose: `float32`.
    public static var automatic: EncoderPrecision { .float32 }
}

/// A Linear layer's weights (one or more stacked side by side on the output axis) laid
/// out for `PackedBertEncoder`.
struct DenseWeights: Sendable {
    /// `[out, in]` (PyTorch layout), several layers' rows stacked.
    let weight: Tensor
    let bias: Tensor

    /// Stacks `layers` (same input width) into one `x · Wᵀ + b` with their outputs side by side.
    init(stacking layers: [Linear], precision: EncoderPrecision) {
        let inputs = layers[0].inFeatures
        precondition(layers.allSatisfy { $0.inFeatures == inputs && $0.bias != nil },
                     "DenseWeights: stacked layers need the same input width and a bias")
        let outputs = layers.reduce(0) { $0 + $1.outFeatures }
        weight = Tensor(shape: [outputs, inputs], scalars: layers.flatMap { $0.weight.value.scalars })
        bias = Tensor(shape: [outputs], scalars: layers.flatMap { $0.bias!.value.scalars })
    }

    /// `x · Wᵀ + b` for `x: [rows, in]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.linear(x, weight: weight, bias: bias)
    }
}
