import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Namespaces, backup / restore, rebuild / check and agent memory over REST.
@Suite("Vector namespaces, maintenance and agent memory API")
struct VectorMemoryAPITests {
    static func ids(_ body: [String: Any]) -> [String] {
        (body["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func namespacesScopeCollectionsAndTheDefaultRoutesStillWork() async throws {
        try await withAPI { client, _ in
            #expect(try await client.call(.post, "/api/v1/namespaces", json: ["name": "alice"]).status == .created)
            var r = try await client.call(.post, "/api/v1/namespaces", json: ["name": "alice"])
            #expect(r.status == .badRequest && r.body["error_code"] as? String == "RESOURCE_ALREADY_EXISTS")
            #expect(try await client.call(.post, "/api/v1/namespaces", json: ["name": "../x"]).status == .badRequest)
            for prefix in ["/api/v1/collections", "/api/v1/namespaces/alice/collections"] {
                #expect(try await client.call(.post, prefix, json: ["name": "mem", "dimension": 2, "metric": "l2"]).status == .created)
            }
            _ = try await client.call(.post, "/api/v1/collections/mem/vectors", json: ["vectors": [["id": "public", "values": [1, 0]]]])
            _ = try await client.call(.post, "/api/v1/namespaces/alice/collections/mem/vectors", json: ["vectors": [["id": "private", "values": [1, 0]]]])
            #expect(Self.ids(try await client.call(.post, "/api/v1/collections/mem/search", json: ["vector": [1, 0], "k": 5]).body) == ["public"])
            #expect(Self.ids(try await client.call(.post, "/api/v1/namespaces/alice/collections/mem/search", json: ["vector": [1, 0], "k": 5]).body) == ["private"])
            #expect(try await client.call(.get, "/api/v1/namespaces/alice/collections/mem/vectors/public").status == .notFound)
            let stats = try await client.call(.get, "/api/v1/namespaces/alice/collections/mem")
            #expect((stats.body["definition"] as? [String: Any])?["namespace"] as? String == "alice")
            let names = (try await client.call(.get, "/api/v1/namespaces").body["namespaces"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["default", "alice"])
            r = try await client.call(.get, "/api/v1/namespaces/zed/collections")
            #expect(r.status == .notFound && (r.body["message"] as? String)?.contains("no namespace named 'zed'") == true)
            #expect(try await client.call(.delete, "/api/v1/namespaces/default").status == .badRequest)
            #expect(try await client.call(.delete, "/api/v1/namespaces/alice").status == .ok)
            #expect(try await client.call(.post, "/api/v1/namespaces/alice/collections/mem/search", json: ["vector": [1, 0]]).status == .notFound)
            #expect(Self.ids(try await client.call(.post, "/api/v1/collections/mem/search", json: ["vector": [1, 0], "k": 5]).body) == ["public"])
        }
    }

    @Test func backupRestoreRebuildAndCheck() async throws {
        try await withAPI { client, _ in
            _ = try await client.call(.post, "/api/v1/collections", json: ["name": "agents", "dimension": 3, "metric": "cosine"])
            let vectors = (0..<30).map { ["id": "v\($0)", "values": [1, Double($0), Double($0 % 4)], "metadata": ["n": $0]] as [String: Any] }
            _ = try await client.call(.post, "/api/v1/collections/agents/vectors", json: ["vectors": vectors])
            for i in 0..<5 { _ = try await client.call(.delete, "/api/v1/collections/agents/vectors/v\(i)") }

            let backup = try await client.execute(uri: "/api/v1/collections/agents/backup", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/octet-stream")
                return [UInt8](response.body.readableBytesView)
            }
            func restore(_ bytes: [UInt8], _ query: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(uri: "/api/v1/restore\(query)", method: .post, headers: [.contentType: "application/octet-stream"], body: ByteBuffer(bytes: bytes)) { response in
                    (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:])
                }
            }
            var damaged = backup
            damaged[damaged.count / 2] ^= 0x08
            let refused = try await restore(damaged, "?name=copy")
            #expect(refused.0 == .badRequest && (refused.1["message"] as? String)?.contains("not a valid vector backup") == true, "\(refused.1)")
            #expect(try await restore(Array(backup.prefix(backup.count - 1)), "?name=copy").0 == .badRequest)
            #expect(try await client.call(.get, "/api/v1/collections/copy").status == .notFound, "a refused restore creates nothing")
            #expect(try await restore(backup, "").0 == .badRequest, "agents exists")

            let restored = try await restore(backup, "?name=copy")
            #expect(restored.0 == .created && restored.1["vectors"] as? Int == 25 && restored.1["collections"] as? [String] == ["copy"])
            #expect(Self.ids(try await client.call(.post, "/api/v1/collections/copy/search", json: ["vector": [1, 7, 3], "k": 1]).body) == ["v7"])

            let rebuilt = try await client.call(.post, "/api/v1/collections/agents/rebuild")
            #expect(rebuilt.status == .ok && rebuilt.body["live_before"] as? Int == 25 && rebuilt.body["slots_before"] as? Int == 30 && rebuilt.body["slots_after"] as? Int == 25)
            let check = try await client.call(.get, "/api/v1/collections/agents/check")
            #expect(check.body["healthy"] as? Bool == true && check.body["checked_ids"] as? Int == 25 && (check.body["problems"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, "/api/v1/collections/nope/check").status == .notFound)

            _ = try await client.call(.post, "/api/v1/namespaces", json: ["name": "team"])
            _ = try await restore(backup, "?namespace=team")
            let namespaceBackup = try await client.execute(uri: "/api/v1/namespaces/team/backup", method: .get) { [UInt8]($0.body.readableBytesView) }
            let asTeam2 = try await restore(namespaceBackup, "?name=team2")
            #expect(asTeam2.0 == .created && asTeam2.1["scope"] as? String == "namespace" && asTeam2.1["namespace"] as? String == "team2")
            #expect(try await client.call(.get, "/api/v1/namespaces/team2/collections/agents").body["count"] as? Int == 25)
        }
    }

    @Test func agentMemoryOverREST() async throws {
        try await withAPI { client, _ in
            let m = "/api/v1/memory"
            #expect(try await client.call(.post, "\(m)/bot/patterns", json: ["task": "t", "approach": "a", "outcome": "o", "reward": 1, "embedding": [1, 0, 0]]).status == .notFound)
            _ = try await client.call(.post, "/api/v1/namespaces", json: ["name": "bot"])
            var r = try await client.call(.post, "\(m)/bot/patterns", json: ["id": "p1", "task": "t", "approach": "a", "outcome": "ok", "reward": 0, "embedding": [1, 0, 0]])
            #expect(r.status == .created && r.body["ids"] as? [String] == ["p1"])
            r = try await client.call(.post, "\(m)/bot/patterns", json: ["patterns": [
                ["id": "p2", "task": "t2", "approach": "a2", "outcome": "ok", "reward": 1, "embedding": [0.8, 0.6, 0], "metadata": ["tool": "sql"]],
            ]])
            #expect(r.status == .created)
            r = try await client.call(.post, "\(m)/bot/episodes", json: ["action": "ran tests", "result": "2 failed", "timestamp_ms": 1_700_000_000_000, "embedding": [0, 0, 1]])
            let episodeID = (r.body["ids"] as? [String])?.first ?? ""
            #expect(r.status == .created && !episodeID.isEmpty)

            r = try await client.call(.post, "\(m)/bot/patterns/search", json: ["embedding": [1, 0, 0], "k": 2])
            #expect(Self.ids(r.body) == ["p1", "p2"])
            r = try await client.call(.post, "\(m)/bot/patterns/search", json: ["embedding": [1, 0, 0], "k": 2, "reward_weight": 1])
            #expect(Self.ids(r.body) == ["p2", "p1"])
            let top = (r.body["hits"] as? [[String: Any]])?.first
            #expect(((top?["record"] as? [String: Any])?["metadata"] as? [String: Any])?["tool"] as? String == "sql")
            r = try await client.call(.post, "\(m)/bot/episodes/search", json: ["embedding": [0, 0, 1], "half_life_seconds": 86400])
            let hit = (r.body["hits"] as? [[String: Any]])?.first
            #expect(hit?["id"] as? String == episodeID && (hit?["decay"] as? Double ?? 1) < 0.01, "an episode from 2023 has decayed")
            #expect((try await client.call(.get, "\(m)/bot/episodes/\(episodeID)").body["record"] as? [String: Any])?["result"] as? String == "2 failed")
            #expect(try await client.call(.get, "\(m)/bot").body["patterns"] as? Int == 2)

            let bad: [(String, [String: Any], String)] = [
                ("patterns", ["task": "t", "approach": "a", "outcome": "o", "reward": 1, "embedding": [1, 0]], "dimension 3"),
                ("patterns", ["task": "t", "approach": "a", "outcome": "o", "embedding": [1, 0, 0]], "reward is required"),
                ("patterns", ["task": "t", "approach": "a", "outcome": "o", "reward": "NaN", "embedding": [1, 0, 0]], "reward must be a finite number"),
                ("patterns", ["task": "t", "approach": "a", "outcome": "o", "reward": 1, "embedding": [1, "x", 0]], "is not a number"),
                ("patterns", ["task": "", "approach": "a", "outcome": "o", "reward": 1, "embedding": [1, 0, 0]], "'task'"),
                ("patterns/search", ["embedding": [1, 0, 0], "filter": ["planet": "mars"]], "unknown filter field 'planet'"),
                ("patterns/search", ["embedding": [1, 0, 0], "filter": "outcome=ok"], "filter must be a JSON object"),
                ("patterns/search", ["embedding": [1, 0, 0], "reward_weight": -2], "reward_weight"),
                ("patterns/search", ["embedding": [1, 0, 0], "k": 0], "k must be"),
                ("episodes", ["action": "a", "result": "r", "embedding": [1e39, 0, 0]], "NaN or infinite"),
            ]
            for (path, body, words) in bad {
                let answer = try await client.call(.post, "\(m)/bot/\(path)", json: body)
                #expect(answer.status == .badRequest && (answer.body["message"] as? String)?.contains(words) == true, "\(path) \(body): \(answer.body)")
            }
            #expect(try await client.call(.get, "\(m)/bot").body["patterns"] as? Int == 2, "rejected calls store nothing")
            #expect(try await client.call(.delete, "\(m)/bot/patterns/p1").status == .ok)
            #expect(try await client.call(.get, "\(m)/bot/patterns/p1").status == .notFound)
            #expect(try await client.call(.get, "\(m)/nobody/patterns/p1").status == .notFound)
        }
    }
}
