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

    /// Re-indexing removes the chunks of edited and deleted files, embeds only new text, and
    /// leaves another directory's chunks in the same collection alone.
    @Test func reindexingRemovesStaleChunks() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let docs = directory.url.appendingPathComponent("docs"), other = directory.url.appendingPathComponent("other")
        for folder in [docs, other] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try "Metrics are logged with log_metric.".write(to: docs.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "Artifacts are stored by content hash.".write(to: docs.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        try "Deployments roll back by themselves.".write(to: other.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        let vectors = VectorCollections(root: directory.url.appendingPathComponent("vectors"))
        let service = RetrievalService(vectors: vectors, embeddings: EmbeddingService())
        _ = try await service.index(directory: docs, collection: "c")
        _ = try await service.index(directory: other, collection: "c")
        #expect(try await vectors.ids("c").count == 3)

        try "Metrics are logged in batches with log_batch.".write(to: docs.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: docs.appendingPathComponent("b.txt"))
        let again = try await service.index(directory: docs, collection: "c")
        #expect(again.embedded == 1 && again.removed == 2 && again.unchanged == 0, "\(again)")
        let ids = try await vectors.ids("c")
        #expect(ids.count == 2)
        #expect(ids.contains { $0.hasPrefix("a.txt#") } && ids.contains { $0.hasPrefix("c.txt#") } && !ids.contains { $0.hasPrefix("b.txt#") })
        let unchanged = try await service.index(directory: docs, collection: "c")
        #expect(unchanged.embedded == 0 && unchanged.removed == 0 && unchanged.unchanged == 1)
    }
}
