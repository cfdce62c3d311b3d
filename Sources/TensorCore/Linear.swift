/// A fully connected layer `y = x Wᵀ + b` with `W: [out, in]` (PyTorch layout).
///
/// Initialised as PyTorch does: W and b ~ U(−1/√in, 1/√in). A `LoRAAdapter` may be
/// attached (see `LoRA`), which adds `(α/r) · dropout(x) Aᵀ Bᵀ` to the output.
/// `@unchecked Sendable`: safe for concurrent inference; mutate from one task.
public final class Linear: Module, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    /// Low-rank adapter, when attached by `LoRA.apply`.
    public internal(set) var lora: LoRAAdapter?

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public init<G: RandomNumberGenerator>(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, using g: inout G) {
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(.randomUniform([outFeatures, inFeatures], low: -bound, high: bound, using: &g))
        self.bias = bias ? Parameter(.randomUniform([outFeatures], low: -bound, high: bound, using: &g)) : nil
    }

    /// Wraps existing weights (`weight: [out, in]`, `bias: [out]`).
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear: weight must be [out, in], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "Linear: bias \(bias!.shape) vs \(weight.shape[0]) outputs")
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        var p: [(name: String, parameter: Parameter)] = [("weight", weight)]
        if let bias { p.append(("bias", bias)) }
        if let lora { p += [("lora_A.weight", lora.a), ("lora_B.weight", lora.b)] }
        return p
    }

    /// `x: [..., in]` → `[..., out]`.
    public func callAsFunction(_ x: Variable) -> Variable {
        let y = Variable.linear(x, weight: x.lift(weight), bias: bias.map { x.lift($0) })
        guard let lora, !lora.isMerged else { return y }
        return y + lora(x)
    }

    /// Inference: `x: [..., in]` → `[..., out]`, no tape.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard let lora, !lora.isMerged else { return Tensor.linear(x, weight: weight.value, bias: bias?.value) }
        return self(Variable(x)).value
    }

    /// Inference into a wider buffer: writes `self(x)` for `x: [rows, in]` into `out` with row
    /// stride `ldc` (e.g. one part of a fused projection), straight from the GEMM unless an
    /// unmerged adapter is attached.
    func write(_ x: Tensor, into out: UnsafeMutablePointer<Float>, ldc: Int) {
        if let lora, !lora.isMerged {
            let (rows, outF) = (x.rowCount, outFeatures)
            self(x).withUnsafeBufferPointer { y in
                for r in 0..<rows { (out + r * ldc).update(from: y.baseAddress! + r * outF, count: outF) }
            }
            return
        }
        Tensor.linear(x, weight: weight.value, bias: bias?.value, into: out, ldc: ldc)
    }

    /// Inference `GELU(self(x))`, the bias and GELU applied in one pass after the GEMM.
    func gelu(_ x: Tensor) -> Tensor {
        guard let bias, lora == nil || lora!.isMerged else { return self(x).gelu() }
        return Tensor.linearGELU(x, weight: weight.value, bias: bias.value)
    }
}
