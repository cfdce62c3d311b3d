import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Vector collections API")
struct CollectionsTests {
    @Test func createUpsertSearchFilterGetDelete() async throws {
        try await withAPI { client, _ in
            let created = try await client.call(.post, "/api/v1/collections", json: ["name": "memory", "dimension": 3, "metric": "cosine"])
            #expect(created.status == .created)
            let vectors: [[String: Any]] = [
                ["id": "a", "values": [1, 0, 0], "metadata": ["agent": "x", "reward": 1]],
                ["id": "b", "values": [0.9, 0.1, 0], "metadata": ["agent": "y"]],
                ["id": "c", "values": [0, 1, 0], "metadata": ["agent": "x"]],
            ]
            #expect(try await client.call(.post, "/api/v1/collections/memory/vectors", json: ["vectors": vectors]).body["upserted"] as? Int == 3)
            let hits = try await client.call(.post, "/api/v1/collections/memory/search", json: ["vector": [1, 0.05, 0], "k": 2])
            let ids = (hits.body["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == ["a", "b"])
            let filtered = try await client.call(.post, "/api/v1/collections/memory/search", json: ["vector": [1, 0.05, 0], "k": 2, "filter": ["agent": "x"]])
            #expect((filtered.body["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == ["a", "c"])
            let one = try await client.call(.get, "/api/v1/collections/memory/vectors/a")
            #expect((one.body["metadata"] as? [String: Any])?["reward"] as? Int == 1)
            #expect(try await client.call(.delete, "/api/v1/collections/memory/vectors/a").status == .ok)
            #expect(try await client.call(.get, "/api/v1/collections/memory/vectors/a").status == .notFound)
            let stats = try await client.call(.get, "/api/v1/collections/memory")
            #expect(stats.body["count"] as? Int == 2)
            #expect(try await client.call(.get, "/api/v1/collections").body["collections"] is [Any])
        }
    }

    @Test func badInputStoresNothing() async throws {
        try await withAPI { client, _ in
            _ = try await client.call(.post, "/api/v1/collections", json: ["name": "m", "dimension": 2, "metric": "l2"])
            var r = try await client.call(.post, "/api/v1/collections", json: ["name": "m", "dimension": 2])
            #expect(r.status == .badRequest && r.body["error_code"] as? String == "RESOURCE_ALREADY_EXISTS")
            r = try await client.call(.post, "/api/v1/collections", json: ["name": "../etc", "dimension": 2])
            #expect(r.status == .badRequest)
            r = try await client.call(.post, "/api/v1/collections", json: ["name": "n", "dimension": 2, "metric": "manhattan"])
            #expect(r.status == .badRequest)
            r = try await client.call(.post, "/api/v1/collections/m/vectors", json: ["vectors": [["id": "ok", "values": [1, 2]], ["id": "bad", "values": [1, 2, 3]]]])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("dimension 2") == true)
            r = try await client.call(.post, "/api/v1/collections/m/vectors", json: ["vectors": [["id": "big", "values": [1e39, 0]]]])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("infinite") == true)
            r = try await client.call(.post, "/api/v1/collections/m/vectors", json: ["vectors": [["id": "s", "values": ["NaN", 0]]]])
            #expect(r.status == .badRequest)
            #expect(try await client.call(.get, "/api/v1/collections/m").body["count"] as? Int == 0, "a rejected batch stores nothing")
            r = try await client.call(.post, "/api/v1/collections/nope/search", json: ["vector": [1, 2]])
            #expect(r.status == .notFound)
            r = try await client.call(.post, "/api/v1/collections/m/search", json: ["vector": [1, 2, 3]])
            #expect(r.status == .badRequest)
            r = try await client.call(.post, "/api/v1/collections/m/search", json: ["vector": [1, 2], "k": 0])
            #expect(r.status == .badRequest)
        }
    }
}

/// Every acknowledged upsert is searchable after `kill -9` and a restart.
@Suite("Vector crash recovery (real binary)", .serialized)
struct VectorCrashRecoveryTests {
    @Test func acknowledgedUpsertsSurviveKill9() async throws {
        let binary = try ServerProcess.locateBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("mlplane-vec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        var server = try await ServerProcess.start(binary: binary, dataDirectory: data)
        let base = server.baseURL
        _ = try await HTTP.json("POST", "\(base)/api/v1/collections", ["name": "agents", "dimension": 8, "metric": "l2"])
        let acknowledged = AcknowledgedSet()
        let writers = (0..<4).map { writer in
            Task {
                var step = 0
                while !Task.isCancelled {
                    let values = (0..<8).map { Double(writer * 100_000 + step) + Double($0) * 0.001 }
                    let body: [String: Any] = ["vectors": [["id": "w\(writer)-\(step)", "values": values]]]
                    guard (try? await HTTP.json("POST", "\(base)/api/v1/collections/agents/vectors", body)) != nil else { return }
                    await acknowledged.insert(writer: writer, step: step)
                    step += 1
                }
            }
        }
        try await AcknowledgedSet.wait(for: acknowledged, atLeast: 24)
        server.kill9()
        for writer in writers { writer.cancel() }
        for writer in writers { await writer.value }
        let acked = await acknowledged.steps
        #expect(acked.values.map(\.count).reduce(0, +) > 20)

        server = try await ServerProcess.start(binary: binary, dataDirectory: data)
        defer { server.kill9() }
        for (writer, steps) in acked {
            for step in steps.sorted() where step % 5 == 0 || step == steps.max() {
                let values = (0..<8).map { Double(writer * 100_000 + step) + Double($0) * 0.001 }
                let found = try await HTTP.json("POST", "\(server.baseURL)/api/v1/collections/agents/search", ["vector": values, "k": 1])
                let id = (found["hits"] as? [[String: Any]])?.first?["id"] as? String
                #expect(id == "w\(writer)-\(step)", "acknowledged vector w\(writer)-\(step) is not searchable after kill -9")
            }
        }
    }
}
