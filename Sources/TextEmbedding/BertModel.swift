import Foundation
import TensorCore

/// The BERT hyper-parameters read from `config.json`.
public struct BertConfiguration: Sendable, Hashable, Codable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var layerNormEps: Float
    public var hiddenAct: String

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps", hiddenAct = "hidden_act"
    }

    /// all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, FFN 1536.
    public static let miniLML6 = BertConfiguration(vocabSize: 30522, hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12,
                                                   intermediateSize: 1536, maxPositionEmbeddings: 512, typeVocabSize: 2,
                                                   layerNormEps: 1e-12, hiddenAct: "gelu")

    /// Parses and checks a Hugging Face `config.json`.
    public static func load(_ path: String) throws(TextEmbeddingError) -> BertConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextEmbeddingError(.damagedModel, "cannot read \(path); \(TextEmbeddingError.installHint)")
        }
        let config: BertConfiguration
        do { config = try JSONDecoder().decode(BertConfiguration.self, from: data) } catch {
            throw TextEmbeddingError(.damagedModel, "\(path) is not a BERT config (\(error)); \(TextEmbeddingError.installHint)")
        }
        guard config.hiddenAct == "gelu", config.hiddenSize % max(config.numAttentionHeads, 1) == 0, config.numAttentionHeads > 0 else {
            throw TextEmbeddingError(.invalidConfiguration, "\(path): unsupported hidden_act \(config.hiddenAct) or hidden \(config.hiddenSize) not divisible by \(config.numAttentionHeads) heads")
        }
        return config
    }
}

/// A BERT encoder (embeddings + post-norm transformer layers) whose parameter names are
/// Hugging Face `BertModel`'s, so `model.safetensors` loads by name. Inference only here:
/// no tape, dropout off.
public final class BertModel: Module, @unchecked Sendable {
    public let config: BertConfiguration
    public let wordEmbeddings: Embedding
    public let positionEmbeddings: Embedding
    public let tokenTypeEmbeddings: Embedding
    public let embeddingNorm: LayerNorm
    public let layers: [TransformerEncoderLayer]

    /// Placeholder weights (zero embeddings, seeded random layers); call `load` or use
    /// `BertModel.load(safetensors:config:)`.
    public init(config: BertConfiguration, seed: UInt64 = 0) {
        self.config = config
        var g = SeededGenerator(seed: seed)
        let h = config.hiddenSize
        // Zero embedding tables: they are always overwritten by `load`, and drawing 11.7M
        // normals for the word table would double the model load time.
        wordEmbeddings = Embedding(weight: .zeros([config.vocabSize, h]))
        positionEmbeddings = Embedding(weight: .zeros([config.maxPositionEmbeddings, h]))
        tokenTypeEmbeddings = Embedding(weight: .zeros([config.typeVocabSize, h]))
        embeddingNorm = LayerNorm(h, eps: config.layerNormEps)
        layers = (0..<config.numHiddenLayers).map { _ in
            TransformerEncoderLayer(hidden: h, heads: config.numAttentionHeads, feedForward: config.intermediateSize,
                                    dropout: 0, layerNormEps: config.layerNormEps, using: &g)
        }
    }

    public var children: [(name: String, module: any Module)] {
        [("embeddings.word_embeddings", wordEmbeddings), ("embeddings.position_embeddings", positionEmbeddings),
         ("embeddings.token_type_embeddings", tokenTypeEmbeddings), ("embeddings.LayerNorm", embeddingNorm)]
            + layers.enumerated().map { ("encoder.layer.\($0.offset)", $0.element as any Module) }
    }

    /// Loads weights from a safetensors file (names with or without a `bert.` prefix;
    /// non-float tensors such as `embeddings.position_ids` are ignored).
    public static func load(safetensors path: String, config: BertConfiguration) throws(TextEmbeddingError) -> BertModel {
        let model = BertModel(config: config)
        let file: SafeTensorsFile
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextEmbeddingError(.damagedModel, "cannot read \(path); \(TextEmbeddingError.installHint)")
        }
        do { file = try SafeTensors.decode(data) } catch {
            throw TextEmbeddingError(.damagedModel, "\(path): \(error); \(TextEmbeddingError.installHint)")
        }
        var map = file.tensors
        for (k, v) in file.tensors where k.hasPrefix("bert.") { map[String(k.dropFirst(5))] = v }
        do { try model.load(map) } catch {
            throw TextEmbeddingError(.damagedModel, "\(path): \(error.message); \(TextEmbeddingError.installHint)")
        }
        return model
    }

    /// Last hidden states `[batch, length, hidden]` for padded ids (`batch × length`,
    /// row-major) and validity mask. Cost ≈ layers · (24·B·S·H² + 4·B·S²·H) flops.
    public func callAsFunction(ids: [Int], mask: [[Bool]], batch: Int, length: Int) -> Tensor {
        let h = config.hiddenSize
        precondition(ids.count == batch * length && length <= config.maxPositionEmbeddings,
                     "BertModel: ids \(ids.count) ≠ \(batch)×\(length) or length above \(config.maxPositionEmbeddings)")
        var x = wordEmbeddings(ids, shape: [batch, length])
        let pos = positionEmbeddings.weight.value
        let type0 = tokenTypeEmbeddings.weight.value
        x.withUnsafeMutableBufferPointer { xp in
            pos.withUnsafeBufferPointer { pp in
                type0.withUnsafeBufferPointer { tp in
                    for b in 0..<batch {
                        for s in 0..<length {
                            let row = xp.baseAddress! + (b * length + s) * h
                            let prow = pp.baseAddress! + s * h
                            for j in 0..<h { row[j] += prow[j] + tp[j] }
                        }
                    }
                }
            }
        }
        x = embeddingNorm(x)
        let allValid = mask.allSatisfy { $0.allSatisfy { $0 } }
        let attentionMask = allValid ? nil : Attention.keyPaddingMask(mask)
        for layer in layers { x = layer(x, mask: attentionMask) }
        return x
    }
}
