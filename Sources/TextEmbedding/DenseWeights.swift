import Foundation
import TensorCore

/// Numeric precision of the encoder's dense (Linear) layers at inference. Attention scores,
/// softmax, LayerNorm, GELU and pooling stay in Float32 either way.
public enum EncoderPrecision: String, Sendable, CaseIterable {
    /// Float32 GEMMs on the platform BLAS.
    case float32
    /// Inputs and weights of the dense layers rounded to bfloat16, products summed in Float32
    /// (`PackedBFloat16Matrix`, AVX512-BF16): about twice the GEMM throughput of Float32, and
    /// embeddings within cosine 0.9999 of the Float32 ones (the parity test holds both to
    /// sentence-transformers). Only on CPUs that have the instruction; elsewhere the encoder
    /// runs `float32`.
    case bfloat16

    /// `MLPLANE_EMBEDDING_PRECISION` (`float32` or `bfloat16`) when set, else `bfloat16` where
    /// the CPU has it and `float32` elsewhere.
    public static var automatic: EncoderPrecision {
        if let name = ProcessInfo.processInfo.environment["MLPLANE_EMBEDDING_PRECISION"],
           let chosen = EncoderPrecision(rawValue: name) {
            return chosen.effective
        }
        return EncoderPrecision.bfloat16.effective
    }

    /// What actually runs on this CPU.
    public var effective: EncoderPrecision {
        self == .bfloat16 && !PackedBFloat16Matrix.isAvailable ? .float32 : self
    }
}

/// A Linear layer's weights (one or more stacked side by side on the output axis) laid
/// out for `PackedBertEncoder`: Float32 `[out, in]` for BLAS, or packed bfloat16.
struct DenseWeights: Sendable {
    /// `[out, in]` (PyTorch layout), several layers' rows stacked.
    let weight: Tensor
    let bias: Tensor
    /// The same weights packed for the bfloat16 kernel, when that is the precision.
    let packed: PackedBFloat16Matrix?

    /// Stacks `layers` (same input width) into one `x · Wᵀ + b` with their outputs side by side.
    init(stacking layers: [Linear], precision: EncoderPrecision) {
        let inputs = layers[0].inFeatures
        precondition(layers.allSatisfy { $0.inFeatures == inputs && $0.bias != nil },
                     "DenseWeights: stacked layers need the same input width and a bias")
        let outputs = layers.reduce(0) { $0 + $1.outFeatures }
        weight = Tensor(shape: [outputs, inputs], scalars: layers.flatMap { $0.weight.value.scalars })
        bias = Tensor(shape: [outputs], scalars: layers.flatMap { $0.bias!.value.scalars })
        packed = precision.effective == .bfloat16
            ? PackedBFloat16Matrix(weights: weight.scalars, rows: inputs, columns: outputs, transposed: true)
            : nil
    }

    /// `x · Wᵀ + b` for `x: [rows, in]`.
    func callAsFunction(_ x: Tensor) -> Tensor { product(x, withBias: true) }

    /// `GELU(x · Wᵀ + b)`, the bias and GELU in one pass after the GEMM.
    func gelu(_ x: Tensor) -> Tensor { product(x, withBias: false).addingBiasGELU(bias) }

    private func product(_ x: Tensor, withBias: Bool) -> Tensor {
        guard let packed else { return Tensor.linear(x, weight: weight, bias: withBias ? bias : nil) }
        let (rows, inputs, outputs) = (x.rowCount, packed.rows, packed.columns)
        precondition(x.lastDim == inputs, "DenseWeights: input \(x.shape) does not end in \(inputs)")
        return Tensor(shape: [rows, outputs]) { out in
            x.withUnsafeBufferPointer { px in
                bias.withUnsafeBufferPointer { pb in
                    packed.multiply(px.baseAddress!, rows: rows, lda: inputs, into: out.baseAddress!, ldc: outputs,
                                    bias: withBias ? pb.baseAddress! : nil, accumulate: false)
                }
            }
        }
    }
}
