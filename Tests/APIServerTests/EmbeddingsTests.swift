import Foundation
import Hummingbird
import Testing

/// `/v1/embeddings` on the real all-MiniLM-L6-v2 weights (installed by scripts/setup.sh).
@Suite("OpenAI-style embeddings")
struct EmbeddingsTests {
    @Test func embedsInOrderNormalisedAndMeaningful() async throws {
        try await withAPI { client, _ in
            let texts = ["Log a metric to the tracking server.", "Record a metric value for a run.", "The cat sat on the warm windowsill."]
            let answer = try await client.call(.post, "/v1/embeddings", json: ["input": texts, "model": "all-MiniLM-L6-v2"])
            #expect(answer.status == .ok, "\(answer.body)")
            let data = answer.body["data"] as? [[String: Any]] ?? []
            #expect(data.compactMap { $0["index"] as? Int } == [0, 1, 2])
            let vectors = data.map { ($0["embedding"] as? [Double]) ?? [] }
            #expect(vectors.allSatisfy { $0.count == 384 })
            for vector in vectors { #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4) }
            func cosine(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
            #expect(cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.2)
            #expect(((answer.body["usage"] as? [String: Any])?["prompt_tokens"] as? Int ?? 0) > 15)
            let single = try await client.call(.post, "/v1/embeddings", json: ["input": texts[0]])
            let again = ((single.body["data"] as? [[String: Any]])?.first?["embedding"] as? [Double]) ?? []
            #expect(zip(again, vectors[0]).allSatisfy { abs($0 - $1) < 1e-5 }, "batching must not change an embedding")
        }
    }

    @Test func badInputIs400() async throws {
        try await withAPI { client, _ in
            for body: [String: Any] in [[:], ["input": ""], ["input": [[1, 2, 3]]], ["input": "x", "model": "gpt-4"], ["input": "x", "encoding_format": "base64"]] {
                let answer = try await client.call(.post, "/v1/embeddings", json: body)
                #expect(answer.status == .badRequest, "\(body) -> \(answer.status)")
            }
        }
    }

    @Test func ragOverRESTIndexesAndAnswers() async throws {
        try await withAPI { client, _ in
            // Indexing is limited to the server's working directory by default: use a folder under it.
            let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/rag-rest-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try "Metrics are logged with log_metric and log_batch; each value has a step and a timestamp.".write(to: folder.appendingPathComponent("tracking.md"), atomically: true, encoding: .utf8)
            try "The radio simulator moves users by random waypoints between base stations.".write(to: folder.appendingPathComponent("radio.md"), atomically: true, encoding: .utf8)
            let index = try await client.call(.post, "/api/v1/rag/index", json: ["directory": folder.path, "collection": "notes"])
            #expect(index.status == .ok && index.body["files"] as? Int == 2, "\(index.body)")
            let answer = try await client.call(.post, "/api/v1/rag/query", json: ["query": "how are metrics logged", "collection": "notes", "n": 1])
            #expect((answer.body["matches"] as? [[String: Any]])?.first?["file"] as? String == "tracking.md")
            #expect(try await client.call(.post, "/api/v1/rag/index", json: ["directory": "/etc"]).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/rag/index", json: ["directory": folder.path + "/../../.."]).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/rag/index", json: ["directory": folder.path + "/missing"]).status == .badRequest)
            #expect(try await client.call(.post, "/api/v1/rag/query", json: ["query": "x", "collection": "missing"]).status == .notFound)
        }
    }
}
