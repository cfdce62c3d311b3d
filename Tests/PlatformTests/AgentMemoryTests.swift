import Foundation
import Platform
import Synchronization
import TestSupport
import Testing

/// A date the test moves by hand.
final class ManualDate: Sendable {
    private let time: Mutex<Date>
    init(_ start: Date) { time = Mutex(start) }
    var now: Date { time.withLock { $0 } }
    func advance(seconds: Double) { time.withLock { $0 += seconds } }
}

@Suite("Agent memory")
struct AgentMemoryTests {
    static func withMemory(_ body: (AgentMemory, VectorCollections, ManualDate) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vectors = VectorCollections(root: directory.url)
        let clock = ManualDate(Date(timeIntervalSince1970: 1_800_000_000))
        try await body(AgentMemory(vectors: vectors, embeddings: EmbeddingService(), now: { clock.now }), vectors, clock)
    }

    static func pattern(_ task: String, _ embedding: [Float], reward: Double = 0.5, id: String? = nil) -> AgentMemory.Pattern {
        AgentMemory.Pattern(id: id, task: task, approach: "approach for \(task)", outcome: "success", reward: reward, embedding: embedding)
    }

    @Test func oneNamespaceDoesNotSeeAnothersMemoryUnlessAsked() async throws {
        try await Self.withMemory { memory, vectors, _ in
            try await vectors.createNamespace("alice")
            try await vectors.createNamespace("bob")
            _ = try await memory.add([Self.pattern("alice task", [1, 0, 0, 0], id: "a1")], namespace: "alice")
            _ = try await memory.add([Self.pattern("bob task", [1, 0.01, 0, 0], id: "b1")], namespace: "bob")
            let query = AgentMemory.Query(embedding: [1, 0, 0, 0], k: 5, scoring: try MemoryScoring())
            #expect(try await memory.search(.patterns, query, namespace: "alice").map(\.id) == ["a1"])
            #expect(try await memory.search(.patterns, query, namespace: "bob").map(\.id) == ["b1"])
            var both = query
            both.alsoNamespaces = ["bob"]
            let hits = try await memory.search(.patterns, both, namespace: "alice")
            #expect(hits.map(\.id) == ["a1", "b1"] && hits.map(\.namespace) == ["alice", "bob"])
            #expect(try await memory.search(.episodes, query, namespace: "alice").isEmpty, "no episodes yet: nothing, not an error")
            #expect(try await vectors.list(namespace: "alice").map(\.name) == ["memory-patterns"])
            #expect(try await vectors.list().isEmpty, "the default namespace holds none of it")
            #expect(await vectors.namespaces() == ["default", "alice", "bob"])
            try await vectors.dropNamespace("bob")
            await #expect(throws: PlatformError.self) { try await memory.search(.patterns, both, namespace: "alice") }
            let unknown = await #expect(throws: PlatformError.self) { try await memory.add([Self.pattern("x", [1, 0, 0, 0])], namespace: "carol") }
            #expect(unknown?.code == .notFound && unknown?.message.contains("'carol'") == true)
            #expect(try await memory.stats(namespace: "alice").patterns == 1)
        }
    }

    @Test func scoresFollowTheDocumentedFormula() throws {
        let s = try MemoryScoring(rewardWeight: 2, rewardMin: -1, rewardMax: 1, halfLifeSeconds: 100)
        #expect(s.rewardNorm(0) == 0.5 && s.rewardNorm(5) == 1 && s.rewardNorm(-3) == 0 && s.rewardNorm(nil) == 0)
        #expect(abs(s.decay(ageSeconds: 100) - 0.5) < 1e-12 && abs(s.decay(ageSeconds: 300) - 0.125) < 1e-12 && s.decay(ageSeconds: -5) == 1)
        #expect(abs(s.score(similarity: 0.8, reward: 0, ageSeconds: 200) - 0.8 * 2 * 0.25) < 1e-12)
        #expect(try MemoryScoring().score(similarity: 0.7, reward: 1, ageSeconds: 1e9) == 0.7, "defaults: no reward weight, no decay")
        #expect(throws: PlatformError.self) { try MemoryScoring(rewardWeight: -1) }
        #expect(throws: PlatformError.self) { try MemoryScoring(rewardMin: 1, rewardMax: 1) }
        #expect(throws: PlatformError.self) { try MemoryScoring(halfLifeSeconds: 0) }
        #expect(throws: PlatformError.self) { try MemoryScoring(rewardWeight: .nan) }
    }

    @Test func rewardWeightingAndRecencyDecayReorderHits() async throws {
        try await Self.withMemory { memory, _, clock in
            // "close" is the nearest; "rewarded" is a little farther but has the best reward.
            _ = try await memory.add([
                Self.pattern("close", [1, 0, 0, 0], reward: 0, id: "close"),
                Self.pattern("rewarded", [0.8, 0.6, 0, 0], reward: 1, id: "rewarded"),
            ], namespace: "default")
            var query = AgentMemory.Query(embedding: [1, 0, 0, 0], k: 2, scoring: try MemoryScoring())
            #expect(try await memory.search(.patterns, query, namespace: "default").map(\.id) == ["close", "rewarded"])
            query.scoring = try MemoryScoring(rewardWeight: 1)
            let weighted = try await memory.search(.patterns, query, namespace: "default")
            #expect(weighted.map(\.id) == ["rewarded", "close"])
            #expect(abs(weighted[0].similarity - 0.8) < 1e-5 && abs(weighted[0].score - 1.6) < 1e-5 && weighted[0].reward_norm == 1)
            #expect(abs(weighted[1].score - 1.0) < 1e-5)

            // Episodes: an old exact match against a fresh, less similar one.
            _ = try await memory.add([AgentMemory.Episode(id: "old", action: "deploy", result: "ok", embedding: [0, 0, 1, 0],
                                                          timestamp: clock.now.addingTimeInterval(-3600))], namespace: "default")
            _ = try await memory.add([AgentMemory.Episode(id: "new", action: "deploy", result: "ok", embedding: [0, 0.6, 0.8, 0])], namespace: "default")
            var recent = AgentMemory.Query(embedding: [0, 0, 1, 0], k: 2, scoring: try MemoryScoring())
            #expect(try await memory.search(.episodes, recent, namespace: "default").map(\.id) == ["old", "new"])
            recent.scoring = try MemoryScoring(halfLifeSeconds: 600)
            let decayed = try await memory.search(.episodes, recent, namespace: "default")
            #expect(decayed.map(\.id) == ["new", "old"])
            #expect(decayed[1].age_seconds == 3600 && abs(decayed[1].decay - 1.0 / 64) < 1e-9 && abs(decayed[1].score - 1.0 / 64) < 1e-6)
            #expect(decayed[0].age_seconds == 0 && decayed[0].decay == 1)
            let stored = try await memory.get(.episodes, id: "old", namespace: "default")
            #expect(stored["timestamp_ms"] == .number(1_800_000_000_000 - 3_600_000) && stored["action"] == .string("deploy"))
        }
    }

    @Test func badInputStoresNothing() async throws {
        try await Self.withMemory { memory, vectors, _ in
            func rejected(_ body: () async throws -> Any, _ words: String) async {
                let error = await #expect(throws: PlatformError.self) { _ = try await body() }
                #expect(error?.message.contains(words) == true, "\(error?.message ?? "no error") should mention \(words)")
            }
            await rejected({ try await memory.add([Self.pattern("a", [1, 0, 0]), Self.pattern("b", [1, 0])], namespace: "default") }, "dimension 3")
            await rejected({ try await memory.add([Self.pattern("a", [1, .nan, 0])], namespace: "default") }, "NaN")
            await rejected({ try await memory.add([Self.pattern("a", [0, 0, 0])], namespace: "default") }, "all zeros")
            await rejected({ try await memory.add([Self.pattern(" ", [1, 0, 0])], namespace: "default") }, "task must not be empty")
            await rejected({ try await memory.add([Self.pattern("a", [1, 0, 0], reward: .infinity)], namespace: "default") }, "reward")
            #expect(try await vectors.list().isEmpty, "a rejected first batch creates no collection")

            _ = try await memory.add([Self.pattern("a", [1, 0, 0], id: "a")], namespace: "default")
            await rejected({ try await memory.add([Self.pattern("b", [1, 1, 0], id: "b"), Self.pattern("c", [1, 1, 0, 0])], namespace: "default") }, "dimension 3")
            #expect(try await memory.stats(namespace: "default").patterns == 1, "a rejected batch stores none of its records")

            let query = AgentMemory.Query(embedding: [1, 0, 0], scoring: try MemoryScoring())
            var bad = query
            bad.filter = ["colour": .string("red")]
            await rejected({ try await memory.search(.patterns, bad, namespace: "default") }, "unknown filter field 'colour'")
            bad.filter = ["outcome": .object([:])]
            await rejected({ try await memory.search(.patterns, bad, namespace: "default") }, "must be a string, number or boolean")
            bad = query
            bad.embedding = [1, 0]
            await rejected({ try await memory.search(.patterns, bad, namespace: "default") }, "dimension 3")
            bad = query
            bad.embedding = nil
            await rejected({ try await memory.search(.patterns, bad, namespace: "default") }, "query text or an embedding")
            var filtered = query
            filtered.filter = ["outcome": .string("failure")]
            #expect(try await memory.search(.patterns, filtered, namespace: "default").isEmpty)
            filtered.filter = ["outcome": .string("success")]
            #expect(try await memory.search(.patterns, filtered, namespace: "default").map(\.id) == ["a"])

            try await vectors.createNamespace("odd")
            _ = try await vectors.create(name: "memory-episodes", dimension: 3, metric: "l2", namespace: "odd")
            await rejected({ try await memory.add([AgentMemory.Episode(action: "a", result: "r", embedding: [1, 0, 0])], namespace: "odd") }, "not agent memory")
        }
    }

    /// Records without an embedding are embedded by the real all-MiniLM-L6-v2 (scripts/setup.sh installs it).
    @Test func textIsEmbeddedWithTheInstalledModel() async throws {
        try await Self.withMemory { memory, vectors, _ in
            _ = try await memory.add([
                AgentMemory.Pattern(id: "db", task: "Fix a failing database schema migration", approach: "Roll back, add the missing column, re-run", outcome: "success", reward: 1),
                AgentMemory.Pattern(id: "ui", task: "Make the login button blue", approach: "Change the CSS colour", outcome: "success", reward: 1),
                AgentMemory.Pattern(id: "ran", task: "Tune handover thresholds in the radio simulator", approach: "Sweep hysteresis", outcome: "partial", reward: 0.4),
            ], namespace: "default")
            #expect(try await vectors.stats("memory-patterns").definition.dimension == 384)
            let hits = try await memory.search(.patterns, AgentMemory.Query(text: "the SQL migration broke the tables", k: 3, scoring: try MemoryScoring()), namespace: "default")
            #expect(hits.first?.id == "db", "\(hits.map { ($0.id, $0.similarity) })")
            // A text record cannot go into memory whose embeddings have another dimension.
            try await vectors.createNamespace("small")
            _ = try await memory.add([Self.pattern("a", [1, 0, 0])], namespace: "small")
            let error = await #expect(throws: PlatformError.self) {
                try await memory.add([AgentMemory.Pattern(task: "t", approach: "a", outcome: "o", reward: 0)], namespace: "small")
            }
            #expect(error?.message.contains("its text embeds to 384 values") == true)
        }
    }
}
