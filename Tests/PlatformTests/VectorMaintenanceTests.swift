import Foundation
import Platform
import TestSupport
import Testing

@Suite("Vector backup, restore, rebuild and check")
struct VectorMaintenanceTests {
    static func vector(_ i: Int) -> [Float] { [Float(i % 7) + 1, Float(i % 5) - 2, Float(i % 3), Float(i) / 10] }

    /// A collection "agents" (l2, 4-d) with 60 vectors of which 10 were deleted.
    static func seeded(_ vectors: VectorCollections, namespace: String = VectorCollections.defaultNamespace, name: String = "agents") async throws {
        _ = try await vectors.create(name: name, dimension: 4, metric: "l2", m: 8, efConstruction: 64, namespace: namespace)
        _ = try await vectors.upsert(name, items: (0..<60).map { VectorCollections.Item(id: "v\($0)", vector: vector($0), metadata: ["i": .number(Double($0))]) }, namespace: namespace)
        for i in 0..<10 { try await vectors.delete(name, id: "v\(i * 6)", namespace: namespace) }
    }

    static func searchAll(_ vectors: VectorCollections, _ name: String, namespace: String = VectorCollections.defaultNamespace) async throws -> [[String]] {
        var out: [[String]] = []
        for i in 0..<60 { out.append(try await vectors.search(name, vector: vector(i), k: 3, ef: 64, filter: [:], namespace: namespace).map(\.id)) }
        return out
    }

    /// Every file under `url`, with its size: what "nothing was created" is checked against.
    static func tree(_ url: URL) -> [String: Int] {
        var out: [String: Int] = [:]
        guard let paths = FileManager.default.enumerator(atPath: url.path) else { return out }
        for case let path as String in paths {
            out[path] = (try? FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(path).path)[.size] as? Int) ?? -1
        }
        return out
    }

    @Test func aCollectionBackupRestoresUnderANewNameAndInAnotherNamespace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vectors = VectorCollections(root: directory.url)
        try await Self.seeded(vectors)
        let backup = try await vectors.backup("agents")
        let expected = try await Self.searchAll(vectors, "agents")

        let report = try await vectors.restore(backup, name: "copy")
        #expect(report.scope == "collection" && report.collections == ["copy"] && report.vectors == 50 && report.namespace == "default")
        #expect(try await Self.searchAll(vectors, "copy") == expected)
        #expect(try await vectors.get("copy", id: "v7").metadata["i"] == .number(7))
        await #expect(throws: PlatformError.self) { try await vectors.get("copy", id: "v6") }

        try await vectors.createNamespace("team")
        #expect(try await vectors.restore(backup, namespace: "team").collections == ["agents"])
        #expect(try await Self.searchAll(vectors, "agents", namespace: "team") == expected)
        // A fresh process sees the restored collections too.
        let reopened = VectorCollections(root: directory.url)
        #expect(try await reopened.stats("copy").count == 50)
        #expect(try await reopened.stats("agents", namespace: "team").count == 50)

        let exists = await #expect(throws: PlatformError.self) { try await vectors.restore(backup) }
        #expect(exists?.code == .alreadyExists)
        let unknown = await #expect(throws: PlatformError.self) { try await vectors.restore(backup, namespace: "nobody") }
        #expect(unknown?.code == .notFound)
        #expect(try await vectors.stats("agents").count == 50, "the original is untouched")
    }

    @Test func aNamespaceBackupRestoresAsANewNamespace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vectors = VectorCollections(root: directory.url)
        try await vectors.createNamespace("alice")
        try await Self.seeded(vectors, namespace: "alice")
        try await Self.seeded(vectors, namespace: "alice", name: "notes")
        let backup = try await vectors.backupNamespace("alice")
        let exists = await #expect(throws: PlatformError.self) { try await vectors.restore(backup) }
        #expect(exists?.code == .alreadyExists, "alice exists: a namespace restore needs a new name")
        let report = try await vectors.restore(backup, name: "alice2")
        #expect(report.scope == "namespace" && report.namespace == "alice2" && report.collections == ["agents", "notes"] && report.vectors == 100)
        #expect(try await vectors.list(namespace: "alice2").map(\.name) == ["agents", "notes"])
        #expect(try await Self.searchAll(vectors, "notes", namespace: "alice2") == (try await Self.searchAll(vectors, "notes", namespace: "alice")))
        try await vectors.dropNamespace("alice")
        #expect(try await vectors.restore(backup).namespace == "alice", "over an absent namespace it keeps its name")
    }

    @Test func aDamagedBackupIsRefusedAndCreatesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vectors = VectorCollections(root: directory.url)
        try await Self.seeded(vectors)
        let backup = try await vectors.backup("agents")
        let before = Self.tree(directory.url)
        var damaged: [(String, [UInt8])] = [("empty", []), ("junk", Array("hello, this is not a backup".utf8)),
                                            ("truncated", Array(backup.dropLast(100))), ("header only", Array(backup.prefix(32)))]
        for position in [12, 30, backup.count / 2, backup.count - 1] {
            var flipped = backup
            flipped[position] ^= 0x20
            damaged.append(("bit flip at \(position)", flipped))
        }
        for (what, bytes) in damaged {
            let error = await #expect(throws: PlatformError.self, "\(what)") { try await vectors.restore(bytes, name: "restored") }
            #expect(error?.code == .invalidParameter && error?.message.hasPrefix("not a valid vector backup") == true, "\(what): \(error?.message ?? "")")
        }
        #expect(Self.tree(directory.url) == before, "a refused restore leaves no file behind")
        #expect(try await vectors.list().map(\.name) == ["agents"])
    }

    @Test func rebuildAndCheckThroughTheService() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vectors = VectorCollections(root: directory.url)
        try await Self.seeded(vectors)
        let healthy = try await vectors.check("agents")
        #expect(healthy.healthy && healthy.count == 50 && healthy.checked_ids == 50 && healthy.log_records == 70 && healthy.snapshot_vectors == nil)
        let rebuilt = try await vectors.rebuild("agents")
        #expect(rebuilt.live_before == 50 && rebuilt.live_after == 50 && rebuilt.slots_before == 60 && rebuilt.slots_after == 50)
        let after = try await vectors.check("agents")
        #expect(after.healthy && after.snapshot_vectors == 50 && after.log_records == 0)

        // Damage the snapshot of a collection no one has opened yet: the check reports it.
        let snapshot = directory.url.appendingPathComponent("agents/snapshot.vix")
        var bytes = try Data(contentsOf: snapshot)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: snapshot)
        let fresh = VectorCollections(root: directory.url)
        let report = try await fresh.check("agents")
        #expect(!report.healthy && report.problems.first?.contains("cannot open the collection") == true && report.problems.first?.contains("checksum") == true)
        #expect(try Data(contentsOf: snapshot) == bytes)
        await #expect(throws: PlatformError.self) { try await fresh.check("missing") }
    }
}
