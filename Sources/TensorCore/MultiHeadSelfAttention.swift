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
}
