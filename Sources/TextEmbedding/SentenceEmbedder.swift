import Foundation
import TensorCore

/// Sentence embeddings from all-MiniLM-L6-v2 (Reimers & Gurevych 2019, Sentence-BERT):
/// WordPiece → BERT encoder → mean pooling over the attention mask → L2 normalisation.
///
/// Texts are sorted by token count and batched with neighbours of similar length; a batch
/// runs through `PackedBertEncoder` with its texts end to end, so no padding is computed.
/// Results come back in input order. Thread-safe for concurrent `embed` calls (weights are
/// read-only).
public struct SentenceEmbedder: Sendable {
    public let tokenizer: WordPieceTokenizer
    public let model: BertModel
    /// The inference path (weights laid out once, in `precision`).
    public let encoder: PackedBertEncoder
    /// Output dimension (384 for MiniLM-L6).
    public var dimension: Int { model.config.hiddenSize }

    public init(tokenizer: WordPieceTokenizer, model: BertModel, precision: EncoderPrecision = .automatic) {
        self.tokenizer = tokenizer
        self.model = model
        encoder = PackedBertEncoder(model, precision: precision)
    }

    /// Loads the model folder found by `locator` (see `ModelLocator`); `maxLength` 256 as
    /// sentence-transformers' `max_seq_length` for this model.
    public init(locator: ModelLocator = ModelLocator(), maxLength: Int = 256,
                precision: EncoderPrecision = .automatic) throws(TextEmbeddingError) {
        let dir = try locator.locate()
        try self.init(directory: dir, maxLength: maxLength, precision: precision)
    }

    /// Loads `model.safetensors`, `vocab.txt` and `config.json` from `directory`.
    public init(directory: URL, maxLength: Int = 256, precision: EncoderPrecision = .automatic) throws(TextEmbeddingError) {
        let config = try BertConfiguration.load(directory.appendingPathComponent("config.json").path)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: directory.appendingPathComponent("vocab.txt").path,
                                               maxLength: min(maxLength, config.maxPositionEmbeddings))
        guard tokenizer.vocabulary.count <= config.vocabSize else {
            throw TextEmbeddingError(.damagedModel, "vocab.txt has \(tokenizer.vocabulary.count) tokens, config says \(config.vocabSize); \(TextEmbeddingError.installHint)")
        }
        let model = try BertModel.load(safetensors: directory.appendingPathComponent("model.safetensors").path, config: config)
        self.init(tokenizer: tokenizer, model: model, precision: precision)
    }

    /// Unit-length embeddings, one row of `dimension` floats per text, in input order.
    ///
    /// - Parameters:
    ///   - batchSize: most texts per forward pass.
    ///   - maxBatchTokens: caps `batch × padded length` so long texts go in smaller batches.
    public func embed(_ texts: [String], batchSize: Int = 32, maxBatchTokens: Int = 4096) -> [[Float]] {
        embed(tokenized: texts.map { tokenizer.encode($0) }, batchSize: batchSize, maxBatchTokens: maxBatchTokens)
    }

    /// One text.
    public func embed(_ text: String) -> [Float] { embed([text])[0] }

    /// Embeds already-tokenized texts (bucketed by length, input order kept).
    public func embed(tokenized: [TokenizedText], batchSize: Int = 32, maxBatchTokens: Int = 4096) -> [[Float]] {
        let order = tokenized.indices.sorted { (tokenized[$0].ids.count, $0) < (tokenized[$1].ids.count, $1) }
        var result = [[Float]](repeating: [], count: tokenized.count)
        var start = 0
        while start < order.count {
            // Extend the batch while it fits; sorted ascending, so the last member sets the length.
            var end = start + 1
            while end < order.count, end - start < batchSize,
                  (end - start + 1) * tokenized[order[end]].ids.count <= maxBatchTokens { end += 1 }
            let members = Array(order[start..<end])
            let rows = embedBatch(members.map { tokenized[$0] })
            for (k, i) in members.enumerated() { result[i] = rows[k] }
            start = end
        }
        return result
    }

    func embedBatch(_ texts: [TokenizedText]) -> [[Float]] {
        encoder.embed(texts.map(\.ids))
    }
}

/// Cosine similarity of two equal-length vectors (0 when either is zero).
public func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "cosineSimilarity: lengths \(a.count) and \(b.count) differ")
    var dot: Double = 0, na: Double = 0, nb: Double = 0
    for i in a.indices { dot += Double(a[i]) * Double(b[i]); na += Double(a[i]) * Double(a[i]); nb += Double(b[i]) * Double(b[i]) }
    guard na > 0, nb > 0 else { return 0 }
    return Float(dot / (na.squareRoot() * nb.squareRoot()))
}
