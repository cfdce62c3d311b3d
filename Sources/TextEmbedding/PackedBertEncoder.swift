import TensorCore

/// BERT inference laid out for speed: the texts of a batch are packed end to end (no padding
/// is ever computed), query/key/value are one fused GEMM, attention runs per text and head
/// straight out of the fused buffer (no permute copies), and the dense layers run in the
/// chosen `EncoderPrecision`. Built once from a loaded `BertModel`; immutable and shareable.
///
/// Cost per text of `n` word pieces ≈ layers · (24·n·H² + 4·n²·H) flops.
public final class PackedBertEncoder: Sendable {
    public let config: BertConfiguration
    public let precision: EncoderPrecision
    let wordEmbeddings: Tensor
    let positionEmbeddings: Tensor
    let tokenTypeEmbedding: Tensor
    let embeddingNorm: (gamma: Tensor, beta: Tensor)
    let layers: [Layer]

    /// One encoder layer's weights in inference layout.
    struct Layer: Sendable {
        let queryKeyValue: DenseWeights        // [H] -> [3H]: query, key, value side by side
        let attentionOutput: DenseWeights
        let attentionNorm: (gamma: Tensor, beta: Tensor)
        let intermediate: DenseWeights
        let output: DenseWeights
        let outputNorm: (gamma: Tensor, beta: Tensor)
    }

    public init(_ model: BertModel, precision: EncoderPrecision = .automatic) {
        config = model.config
        self.precision = precision.effective
        wordEmbeddings = model.wordEmbeddings.weight.value
        positionEmbeddings = model.positionEmbeddings.weight.value
        tokenTypeEmbedding = model.tokenTypeEmbeddings.weight.value   // row 0: single-segment input
        embeddingNorm = (model.embeddingNorm.weight.value, model.embeddingNorm.bias.value)
        layers = model.layers.map { l in
            let a = l.attention
            return Layer(
                queryKeyValue: DenseWeights(stacking: [a.query, a.key, a.value], precision: precision),
                attentionOutput: DenseWeights(stacking: [a.output], precision: precision),
                attentionNorm: (l.attentionNorm.weight.value, l.attentionNorm.bias.value),
                intermediate: DenseWeights(stacking: [l.intermediate], precision: precision),
                output: DenseWeights(stacking: [l.outputDense], precision: precision),
                outputNorm: (l.outputNorm.weight.value, l.outputNorm.bias.value))
        }
    }

    /// Mean-pooled, L2-normalised sentence embeddings of already-tokenized texts (ids with
    /// `[CLS]`/`[SEP]`, each at most `maxPositionEmbeddings` long), one row per text.
    public func embed(_ texts: [[Int]]) -> [[Float]] {
        let h = config.hiddenSize
        let lengths = texts.map(\.count)
        precondition(lengths.allSatisfy { $0 > 0 && $0 <= config.maxPositionEmbeddings },
                     "PackedBertEncoder: every text needs 1...\(config.maxPositionEmbeddings) ids")
        let spans = Spans(lengths: lengths)
        let hidden = encode(texts, spans: spans)
        // Mean over each text's rows, then unit length (as sentence-transformers pools).
        let pooled = Tensor(shape: [texts.count, h]) { out in
            hidden.withUnsafeBufferPointer { p in
                for (k, n) in lengths.enumerated() {
                    let row = out.baseAddress! + k * h
                    row.initialize(repeating: 0, count: h)
                    for t in spans.starts[k]..<(spans.starts[k] + n) { for j in 0..<h { row[j] += p[t * h + j] } }
                    for j in 0..<h { row[j] /= Float(n) }
                }
            }
        }.l2NormalizedRows()
        return pooled.withUnsafeBufferPointer { p in (0..<texts.count).map { Array(p[($0 * h)..<(($0 + 1) * h)]) } }
    }

    /// Last hidden states of the packed texts: `[Σ lengths, hidden]`, texts end to end.
    public func encode(_ texts: [[Int]]) -> Tensor { encode(texts, spans: Spans(lengths: texts.map(\.count))) }

    func encode(_ texts: [[Int]], spans: Spans) -> Tensor {
        var x = embeddings(texts, spans: spans)
        for layer in layers { x = forward(layer, x, spans: spans) }
        return x
    }

    /// Word + position + token-type embeddings, then LayerNorm.
    func embeddings(_ texts: [[Int]], spans: Spans) -> Tensor {
        let h = config.hiddenSize
        let x = Tensor(shape: [spans.total, h]) { out in
            wordEmbeddings.withUnsafeBufferPointer { w in
                positionEmbeddings.withUnsafeBufferPointer { pos in
                    tokenTypeEmbedding.withUnsafeBufferPointer { type0 in
                        for (k, ids) in texts.enumerated() {
                            for (s, id) in ids.enumerated() {
                                let row = out.baseAddress! + (spans.starts[k] + s) * h
                                for j in 0..<h { row[j] = w[id * h + j] + pos[s * h + j] + type0[j] }
                            }
                        }
                    }
                }
            }
        }
        return x.layerNorm(gamma: embeddingNorm.gamma, beta: embeddingNorm.beta, eps: config.layerNormEps)
    }

    /// Post-norm layer: `h = LN(x + Attn(x))`, `y = LN(h + W₂ GELU(W₁ h))`.
    func forward(_ layer: Layer, _ x: Tensor, spans: Spans) -> Tensor {
        let eps = config.layerNormEps
        let qkv = layer.queryKeyValue(x)
        let context = attention(qkv, spans: spans)
        let h = layer.attentionOutput(context).layerNorm(adding: x, gamma: layer.attentionNorm.gamma, beta: layer.attentionNorm.beta, eps: eps)
        let f = layer.output(layer.intermediate.gelu(h))
        return f.layerNorm(adding: h, gamma: layer.outputNorm.gamma, beta: layer.outputNorm.beta, eps: eps)
    }

    /// Attention per text and head, read in place from the fused `[T, 3H]` buffer, each
    /// head's context written into its columns of `[T, H]`.
    func attention(_ qkv: Tensor, spans: Spans) -> Tensor {
        let h = config.hiddenSize, heads = config.numAttentionHeads
        let layout = Attention.HeadLayout(heads: heads, headDim: h / heads, rowStride: 3 * h, keyOffset: h, valueOffset: 2 * h)
        return Tensor(shape: [spans.total, h]) { out in
            qkv.withUnsafeBufferPointer { src in
                Attention.multiHead(source: src.baseAddress!, layout: layout, starts: spans.starts,
                                    lengths: spans.lengths, output: out.baseAddress!)
            }
        }
    }

    /// Where each packed text starts.
    struct Spans {
        let lengths: [Int]
        let starts: [Int]
        let total: Int
        var count: Int { lengths.count }

        init(lengths: [Int]) {
            self.lengths = lengths
            var starts = [Int](), total = 0
            for n in lengths { starts.append(total); total += n }
            self.starts = starts
            self.total = total
        }
    }
}
