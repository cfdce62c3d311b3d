import Foundation
import Testing

/// `mlplane vectors backup|restore|rebuild|check`, `namespaces` and `memory` against the real
/// server binary, in their `--json` forms.
@Suite("Vector and memory CLI (real binary)", .serialized)
struct VectorCLITests {
    @Test func backupRestoreCheckRebuildAndMemoryFromTheCommandLine() async throws {
        let binary = try ServerProcess.locateBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("mlplane-veccli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try await ServerProcess.start(binary: binary, dataDirectory: data)
        defer { server.kill9() }
        func run(_ arguments: [String]) throws -> (status: Int32, out: [String: Any], err: String) {
            let r = try ComputeCommandTests.mlplane(arguments + ["--server", server.baseURL, "--json"])
            return (r.status, ComputeCommandTests.object(r.out), r.err)
        }

        #expect(try run(["vectors", "create", "docs", "--dimension", "3", "--metric", "l2"]).status == 0)
        let lines = (0..<20).map { #"{"id": "d\#($0)", "values": [\#($0), 1, 2], "metadata": {"n": \#($0)}}"# }.joined(separator: "\n")
        let input = data.appendingPathComponent("in.jsonl"), file = data.appendingPathComponent("docs.bak")
        try lines.write(to: input, atomically: true, encoding: .utf8)
        #expect(try run(["vectors", "upsert", "docs", "--input", input.path]).out["upserted"] as? Int == 20)
        #expect(try run(["vectors", "delete", "docs", "d3"]).status == 0)

        let backup = try run(["vectors", "backup", "docs", "--output", file.path])
        #expect(backup.status == 0 && (backup.out["bytes"] as? Int ?? 0) > 100, "\(backup.err)")
        let restored = try run(["vectors", "restore", file.path, "--name", "docs2"])
        #expect(restored.status == 0 && restored.out["vectors"] as? Int == 19, "\(restored.err)")
        let search = try run(["vectors", "search", "docs2", "--vector", "7,1,2", "--k", "1"])
        #expect((search.out["hits"] as? [[String: Any]])?.first?["id"] as? String == "d7")

        var damaged = try Data(contentsOf: file)
        damaged[damaged.count - 5] ^= 0x40
        let broken = data.appendingPathComponent("broken.bak")
        try damaged.write(to: broken)
        let refused = try run(["vectors", "restore", broken.path, "--name", "docs3"])
        #expect(refused.status == 1 && refused.err.contains("not a valid vector backup"), "\(refused.err)")
        #expect(try run(["vectors", "stats", "docs3"]).status == 1, "a refused restore creates nothing")

        let check = try run(["vectors", "check", "docs"])
        #expect(check.status == 0 && check.out["healthy"] as? Bool == true)
        let rebuild = try run(["vectors", "rebuild", "docs"])
        #expect(rebuild.status == 0 && rebuild.out["slots_before"] as? Int == 20 && rebuild.out["slots_after"] as? Int == 19)

        #expect(try run(["namespaces", "create", "agent-7"]).status == 0)
        let stored = try run(["memory", "pattern", "agent-7", "--task", "retry flaky upload", "--approach", "exponential backoff",
                              "--outcome", "success", "--reward", "0.9", "--embedding", "1,0,0", "--id", "p1"])
        #expect(stored.status == 0 && stored.out["ids"] as? [String] == ["p1"], "\(stored.err)")
        let found = try run(["memory", "search", "agent-7", "patterns", "--embedding", "0.9,0.1,0", "--reward-weight", "1"])
        let hit = (found.out["hits"] as? [[String: Any]])?.first
        #expect(hit?["id"] as? String == "p1" && (hit?["reward_norm"] as? Double) == 0.9)
        #expect(try run(["memory", "search", "agent-7", "patterns", "--embedding", "1,0"]).status == 1, "wrong dimension is an error")
        #expect(try run(["vectors", "backup", "--namespace", "agent-7", "--output", data.appendingPathComponent("ns.bak").path]).status == 0)
        let ns = try run(["vectors", "restore", data.appendingPathComponent("ns.bak").path, "--name", "agent-8"])
        #expect(ns.status == 0 && ns.out["collections"] as? [String] == ["memory-patterns"], "\(ns.err)")
        #expect(try run(["memory", "stats", "agent-8"]).out["patterns"] as? Int == 1)
    }
}
