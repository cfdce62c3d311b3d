/// A post-norm transformer encoder layer as in BERT (Devlin et al. 2019):
/// `h = LN₁(x + drop(MHSA(x)))`, `y = LN₂(h + drop(W₂ GELU(W₁ h)))`.
///
/// Parameter names match Hugging Face `BertLayer` (`attention.self.query.weight`,
/// `attention.output.LayerNorm.weight`, `intermediate.dense.weight`, `output.dense.weight`,
/// `output.LayerNorm.bias`, ...), so BERT checkpoints load by name.
public final class TransformerEncoderLayer: Module, @unchecked Sendable {
    public let attention: MultiHeadSelfAttention
    public let attentionNorm: LayerNorm
    public let intermediate: Linear
    public let outputDense: Linear
    public let outputNorm: LayerNorm
    public let dropout: Float

    public init<G: RandomNumberGenerator>(hidden: Int, heads: Int, feedForward: Int, dropout: Float = 0.1,
                                          layerNormEps: Float = 1e-12, using g: inout G) {
        attention = MultiHeadSelfAttention(hidden: hidden, heads: heads, using: &g)
        attentionNorm = LayerNorm(hidden, eps: layerNormEps)
        intermediate = Linear(hidden, feedForward, using: &g)
        outputDense = Linear(feedForward, hidden, using: &g)
        outputNorm = LayerNorm(hidden, eps: layerNormEps)
        self.dropout = dropout
    }

    public var children: [(name: String, module: any Module)] {
        [("attention.self.query", attention.query), ("attention.self.key", attention.key),
         ("attention.self.value", attention.value), ("attention.output.dense", attention.output),
         ("attention.output.LayerNorm", attentionNorm), ("intermediate.dense", intermediate),
         ("output.dense", outputDense), ("output.LayerNorm", outputNorm)]
    }

    /// `x: [batch, seq, hidden]`, `mask` as in `MultiHeadSelfAttention`.
    public func callAsFunction(_ x: Variable, mask: Tensor? = nil) -> Variable {
        let h = attentionNorm(x + attention(x, mask: mask).dropout(dropout))
        let f = outputDense(intermediate(h).gelu()).dropout(dropout)
        return outputNorm(h + f)
    }

    /// Inference (no tape, dropout off).
    public func callAsFunction(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        let h = attentionNorm(attention(x, mask: mask), adding: x)
        return outputNorm(outputDense(intermediate.gelu(h)), adding: h)
    }
}
