import Foundation
import Platform
import TestSupport
import TextEmbedding
import Testing

@Suite("Retrieval")
struct RetrievalServiceTests {
    /// Chunks are sized in the encoder's word pieces: with a 24-token limit no chunk holds
    /// more than 24 word pieces, even for text full of words the tokenizer splits.
    @Test func chunkSizesCountWordPieces() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let docs = directory.url.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let sentence = "Antidisestablishmentarianism notwithstanding, hyperparameterisation of microservices-oriented architectures is counterintuitive."
        try (0..<12).map { "Part \($0): " + sentence }.joined(separator: " ").write(to: docs.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
        let embeddings = EmbeddingService()
        let service = RetrievalService(vectors: VectorCollections(root: directory.url.appendingPathComponent("vectors")), embeddings: embeddings)
        let report = try await service.index(directory: docs, collection: "c", chunkSize: 24, overlap: 4)
        let count = try await embeddings.tokenCounter()
        #expect(count(sentence) > TextChunker.whitespaceTokenCount(sentence), "the sentence has more pieces than words")
        let matches = try await service.query("software architecture", collection: "c", n: report.chunks)
        // Repeated text makes repeated chunks, stored once (ids are content hashes).
        #expect(matches.count > 1 && matches.count <= report.chunks, "\(matches.count) matches, \(report.chunks) chunks")
        for match in matches { #expect(count(match.snippet) <= 24, "\(count(match.snippet)) pieces: \(match.snippet)") }
    }
}
