/// Multi-head self-attention (Vaswani et al. 2017) with separate `query`, `key`,
/// `value` and `output` projections (so LoRA can target each).
///
/// `x: [batch, seq, hidden]` → `[batch, seq, hidden]`; heads split `hidden` evenly.
/// Cost ≈ 8·B·S·H² + 4·B·S²·H flops.
public final class MultiHeadSelfAttention: Module, @unchecked Sendable {
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let output: Linear
    public let heads: Int
    /// Dropout applied to the attention context before the output projection (BERT drops
    /// the attention probabilities instead; the regularising effect is similar).
    public let attentionDropout: Float

    public init<G: RandomNumberGenerator>(hidden: Int, heads: Int, attentionDropout: Float = 0, using g: inout G) {
        precondition(hidden % heads == 0, "MultiHeadSelfAttention: hidden \(hidden) not divisible by \(heads) heads")
        query = Linear(hidden, hidden, using: &g)
        key = Linear(hidden, hidden, using: &g)
        value = Linear(hidden, hidden, using: &g)
        output = Linear(hidden, hidden, using: &g)
        self.heads = heads
        self.attentionDropout = attentionDropout
    }

    public var children: [(name: String, module: any Module)] {
        [("query", query), ("key", key), ("value", value), ("output", output)]
    }

    /// `mask`: additive `[batch, 1, seq]` or `[batch, seq, seq]` (see `Attention`), or nil.
    public func callAsFunction(_ x: Variable, mask: Tensor? = nil) -> Variable {
        precondition(x.value.rank == 3, "MultiHeadSelfAttention: input must be [batch, seq, hidden], got \(x.shape)")
        let (b, s, h) = (x.shape[0], x.shape[1], x.shape[2])
        let dh = h / heads
        // [B, S, H] -> [B, S, nh, dh] -> [B, nh, S, dh] -> [B·nh, S, dh]
        func split(_ t: Variable) -> Variable {
            t.reshaped([b, s, heads, dh]).permuted([0, 2, 1, 3]).reshaped([b * heads, s, dh])
        }
        let ctx = Variable.attention(query: split(query(x)), key: split(key(x)), value: split(value(x)), mask: mask)
        let merged = ctx.reshaped([b, heads, s, dh]).permuted([0, 2, 1, 3]).reshaped([b, s, h])
        return output(merged.dropout(attentionDropout))
    }

    /// Inference (no tape, dropout off): the same maths as the `Variable` form, with the
    /// heads read in place from the projections (`Attention.multiHead`), no permute copies.
    public func callAsFunction(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        precondition(x.rank == 3, "MultiHeadSelfAttention: input must be [batch, seq, hidden], got \(x.shape)")
        let (b, s, h) = (x.shape[0], x.shape[1], x.shape[2])
        let flat = x.reshaped([b * s, h])
        var maskSequenceStride = 0, maskRowStride = 0
        if let mask {
            precondition(mask.rank == 3 && mask.shape[2] == s && (mask.shape[1] == s || mask.shape[1] == 1)
                         && (mask.shape[0] == b || mask.shape[0] == 1),
                         "MultiHeadSelfAttention: mask \(mask.shape) does not fit [\(b), \(s), \(s)]")
            maskRowStride = mask.shape[1] == 1 ? 0 : s
            maskSequenceStride = mask.shape[0] == 1 ? 0 : mask.shape[1] * s
        }
        // Q, K and V side by side in one [B·S, 3H] buffer, so one layout serves all three.
        let fused = Tensor(shape: [b * s, 3 * h]) { f in
            for (part, projection) in [query, key, value].enumerated() {
                projection.write(flat, into: f.baseAddress! + part * h, ldc: 3 * h)
            }
        }
        let layout = Attention.HeadLayout(heads: heads, headDim: h / heads, rowStride: 3 * h, keyOffset: h, valueOffset: 2 * h)
        let context = Tensor(shape: [b * s, h]) { out in
            fused.withUnsafeBufferPointer { src in
                let run = { (m: UnsafePointer<Float>?) in
                    Attention.multiHead(source: src.baseAddress!, layout: layout,
                                        starts: (0..<b).map { $0 * s }, lengths: Array(repeating: s, count: b),
                                        mask: m, maskSequenceStride: maskSequenceStride, maskRowStride: maskRowStride,
                                        output: out.baseAddress!)
                }
                if let mask { mask.withUnsafeBufferPointer { run($0.baseAddress!) } } else { run(nil) }
            }
        }
        return output(context).reshaped([b, s, h])
    }
}
