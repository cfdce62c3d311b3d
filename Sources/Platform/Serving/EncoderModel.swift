import TextEmbedding

/// The native sentence encoder (all-MiniLM-L6-v2) served as a model: `text` BYTES [-1] ->
/// `embedding` FP32 [-1, 384], L2-normalised. Registered versions point at it with the source
/// `encoder:all-MiniLM-L6-v2` (the weights come from the installed model package or
/// `MLPLANE_EMBEDDING_MODEL`, not from the artifact store).
public struct EncoderModel: ServableModel {
    public static let sourcePrefix = "encoder:"
    public let embedder: SentenceEmbedder
    public var kind: String { "encoder" }
    public let signature: ModelSignature

    public init(name: String) throws(ServingError) {
        guard name == "all-MiniLM-L6-v2" else {
            throw ServingError(.invalidModel, "unknown encoder '\(name)' (known: all-MiniLM-L6-v2)")
        }
        do { embedder = try SentenceEmbedder() } catch {
            throw ServingError(.invalidModel, "the encoder cannot load: \(error)")
        }
        signature = ModelSignature(inputs: [TensorSpec(name: "text", datatype: .string, shape: [-1])],
                                   outputs: [TensorSpec(name: "embedding", shape: [-1, embedder.dimension])])
    }

    public func predict(_ inputs: [String: ServingTensor], batchSize: Int) throws(ServingError) -> [String: ServingTensor] {
        let vectors = embedder.embed(inputs["text"]!.strings!)
        return ["embedding": ServingTensor(shape: [batchSize, embedder.dimension], floats: vectors.flatMap { $0 })]
    }
}
