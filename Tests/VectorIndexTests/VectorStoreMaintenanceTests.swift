import Foundation
import Testing
@testable import VectorIndex

/// Index rebuild, integrity check and the backup archive format.
@Suite struct VectorStoreMaintenanceTests {
    static let d = 16
    static let config = HNSWConfiguration(dimension: d, metric: .l2, m: 8, efConstruction: 64)
    static let data = TestData.clustered(n: 300, d: d, seed: 7)

    static func filledStore(_ dir: String) throws -> VectorStore {
        let store = try VectorStore.open(directory: dir, configuration: config)
        for i in 0..<300 { try store.upsert(id: "v\(i)", vector: TestData.row(data, i, d), metadata: [UInt8(i % 256)]) }
        return store
    }

    @Test func rebuildDropsTombstonesAndKeepsEveryVector() throws {
        let dir = TestData.temporaryDirectory("rebuild")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Self.filledStore(dir)
        for i in stride(from: 0, to: 300, by: 2) { try store.delete(id: "v\(i)") }
        for i in stride(from: 1, to: 41, by: 2) { try store.upsert(id: "v\(i)", vector: TestData.row(Self.data, i, Self.d), metadata: [9]) }
        #expect(store.index.tombstoneCount == 170)

        let report = try store.rebuild()
        #expect(report.liveBefore == 150 && report.liveAfter == 150)
        #expect(report.slotsBefore == 320 && report.slotsAfter == 150 && report.tombstonesBefore == 170)
        #expect(report.seconds > 0)
        #expect(store.index.tombstoneCount == 0)
        for i in stride(from: 1, to: 300, by: 2) {
            let hit = try store.search(TestData.row(Self.data, i, Self.d), k: 1, ef: 64).first
            #expect(hit?.id == "v\(i)" && hit?.distance == 0, "v\(i) not found after the rebuild")
        }
        #expect(store.get(id: "v1")?.metadata == [9] && store.get(id: "v41")?.metadata == [41])
        #expect(store.check().isHealthy)
        let reopened = try VectorStore.open(directory: dir, configuration: Self.config)
        #expect(reopened.count == 150 && reopened.index.tombstoneCount == 0)
    }

    @Test func checkIsHealthyThenReportsDamageWithoutChangingFiles() throws {
        let dir = TestData.temporaryDirectory("check")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Self.filledStore(dir)
        try store.checkpoint()
        for i in 0..<5 { try store.upsert(id: "late\(i)", vector: TestData.row(Self.data, i, Self.d)) }
        try store.delete(id: "v7")
        let healthy = store.check()
        #expect(healthy.problems == [])
        #expect(healthy.count == 304 && healthy.snapshotVectors == 300 && healthy.logRecords == 6 && healthy.checkedIDs == 304)

        // A flipped bit in the log's last record: reported, and the file is left as it is.
        let wal = dir + "/wal.log", snapshot = dir + "/snapshot.vix"
        var bytes = try FileIO.read(wal)
        bytes[bytes.count - 3] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: wal))
        let damagedLog = store.check()
        #expect(damagedLog.problems.contains { $0.contains("write-ahead log") && $0.contains("checksum mismatch") }, "\(damagedLog.problems)")
        #expect(try FileIO.read(wal) == bytes, "check must not repair or truncate")

        // A log that lost its records: memory holds ids the files do not.
        try Data(bytes[0..<WriteAheadLog.headerSize]).write(to: URL(fileURLWithPath: wal))
        let lost = store.check()
        #expect(lost.problems.contains { $0.contains("5 ids in memory are not in snapshot + log") }, "\(lost.problems)")
        #expect(lost.problems.contains { $0.contains("1 ids in snapshot + log are not in memory, e.g. 'v7'") }, "\(lost.problems)")

        // A flipped bit in the snapshot.
        var snap = try FileIO.read(snapshot)
        snap[snap.count / 2] ^= 0x01
        try Data(snap).write(to: URL(fileURLWithPath: snapshot))
        #expect(store.check().problems.contains { $0.hasPrefix("snapshot:") && $0.contains("checksum") })
        #expect(try FileIO.read(snapshot) == snap)
    }

    @Test func checkFindsANodeNoSearchCanReach() throws {
        let dir = TestData.temporaryDirectory("reach")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Self.filledStore(dir)
        #expect(store.index.unreachableLabels().isEmpty)
        // Cut every layer-0 link into one node (not the entry point).
        let index = store.index, s = index.storage
        let entry = index.entryPoint()!.id
        let victim = entry == 5 ? 6 : 5
        for id in 0..<index.slotCount {
            let kept = s.links(id, level: 0).filter { Int($0) != victim }
            kept.withUnsafeBufferPointer { s.setLinks(id, level: 0, $0) }
        }
        #expect(index.unreachableLabels() == [s.label(victim)])
        let report = store.check()
        #expect(report.problems.contains { $0.contains("1 ids are unreachable") && $0.contains("'v\(victim)'") }, "\(report.problems)")
        #expect(report.checkedIDs == 299)
    }

    @Test func backupArchiveRoundTripsAndRejectsEveryDamage() throws {
        let dir = TestData.temporaryDirectory("backup")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Self.filledStore(dir)
        let archive = BackupArchive(manifest: Array("{\"scope\":\"collection\"}".utf8),
                                    entries: [.init(name: "agents", definition: Array("{}".utf8), snapshot: store.snapshotBytes())])
        let bytes = archive.encoded()
        #expect(try BackupArchive.decode(bytes, what: "b") == archive)
        #expect(!FileIO.exists(dir + "/snapshot.vix"), "taking snapshot bytes writes no file")

        for length in [0, 7, 31, 32, 33, bytes.count / 2, bytes.count - 1] {
            #expect(throws: VectorIndexError.self, "truncated to \(length)") { try BackupArchive.decode(Array(bytes[0..<length]), what: "b") }
        }
        #expect(throws: VectorIndexError.self) { try BackupArchive.decode(bytes + [0], what: "b") }
        for position in [0, 9, 13, 20, 26, 40, bytes.count / 3, bytes.count - 1] {
            var flipped = bytes
            flipped[position] ^= 0x04
            let error = #expect(throws: VectorIndexError.self) { try BackupArchive.decode(flipped, what: "b") }
            #expect(error?.code == .corruptFile, "byte \(position)")
        }
        // A store snapshot is not a backup, and a backup whose inner snapshot is damaged (with
        // an outer checksum that matches) is still refused.
        #expect(throws: VectorIndexError.self) { try BackupArchive.decode(store.snapshotBytes(), what: "b") }
        var inner = store.snapshotBytes()
        inner[inner.count - 10] ^= 0xFF
        let wrapped = BackupArchive(manifest: [], entries: [.init(name: "x", definition: [], snapshot: inner)]).encoded()
        let error = #expect(throws: VectorIndexError.self) { try BackupArchive.decode(wrapped, what: "b") }
        #expect(error?.message.contains("entry 0 ('x')") == true)
    }
}
