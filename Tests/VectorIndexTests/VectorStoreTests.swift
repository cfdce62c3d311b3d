import Foundation
import Testing
@testable import VectorIndex

@Suite struct VectorStoreTests {
    static let config = HNSWConfiguration(dimension: 4, metric: .cosine, m: 6, efConstruction: 40)

    static func vec(_ i: Int) -> [Float] { [Float(i % 7) + 1, Float(i % 5) - 2, Float(i % 3), 0.5] }

    @Test func acknowledgedWritesSurviveReopenWithAndWithoutCheckpoint() throws {
        let dir = TestData.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try VectorStore.open(directory: dir, configuration: Self.config)
            for i in 0..<40 { try store.upsert(id: "v\(i)", vector: Self.vec(i), metadata: [UInt8(i)]) }
            #expect(try store.delete(id: "v3"))
            #expect(try !store.delete(id: "nope"))
            try store.upsert(id: "v4", vector: [0, 0, 0, 9], metadata: [44])
            // No checkpoint, no close: the object is dropped as a crashed process would be.
        }
        do {
            let store = try VectorStore.open(directory: dir, configuration: Self.config)
            #expect(store.recovery.isClean)
            #expect(store.count == 39)
            #expect(store.get(id: "v3") == nil)
            #expect(store.get(id: "v4")?.metadata == [44])
            #expect(try store.search([0, 0, 0, 1], k: 1).first?.id == "v4")
            for i in 0..<40 where i != 3 && i != 4 {
                #expect(try store.search(Self.vec(i), k: 40, ef: 80).contains { $0.id == "v\(i)" })
            }
            try store.checkpoint()
            try store.upsert(id: "after", vector: [1, 1, 1, 1], metadata: Array("x".utf8))
        }
        let store = try VectorStore.open(directory: dir, configuration: Self.config)
        #expect(store.count == 40)
        #expect(store.get(id: "after")?.metadata == Array("x".utf8))
        #expect(store.get(id: "v10")?.metadata == [10])
        // Filtered search by metadata.
        let hits = try store.search(Self.vec(1), k: 5, filter: { _, meta in (meta.first ?? 0) % 2 == 0 })
        #expect(!hits.isEmpty && hits.allSatisfy { ($0.metadata.first ?? 0) % 2 == 0 })
        try store.compact()
        #expect(store.index.tombstoneCount == 0)
        #expect(try VectorStore.open(directory: dir, configuration: Self.config).count == 40)
    }

    @Test func badInputWritesNothing() throws {
        let dir = TestData.temporaryDirectory("storebad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try VectorStore.open(directory: dir, configuration: Self.config)
        try store.upsert(id: "a", vector: [1, 2, 3, 4])
        let walSize = try Data(contentsOf: URL(fileURLWithPath: dir + "/wal.log")).count
        for (vector, code) in [([Float](repeating: 1, count: 3), VectorIndexError.Code.dimensionMismatch), ([1, .nan, 1, 1], .invalidValue), ([0, 0, 0, 0], .invalidValue)] {
            do {
                try store.upsert(id: "b", vector: vector)
                Issue.record("accepted \(vector)")
            } catch {
                #expect(error.code == code)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/wal.log")).count == walSize)
        #expect(store.count == 1)
        // A snapshot of another dimension or metric is refused by name.
        try store.checkpoint()
        do {
            _ = try VectorStore.open(directory: dir, configuration: HNSWConfiguration(dimension: 5, metric: .cosine))
            Issue.record("opened a 4-d store as 5-d")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("dimension 4"))
        }
    }

    @Test func tornLogTailIsReportedOnOpenAndCorruptSnapshotRefused() throws {
        let dir = TestData.temporaryDirectory("storetorn")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try VectorStore.open(directory: dir, configuration: Self.config)
            for i in 0..<5 { try store.upsert(id: "v\(i)", vector: Self.vec(i)) }
        }
        try PersistenceTests.truncate(dir + "/wal.log", by: 7)
        do {
            let store = try VectorStore.open(directory: dir, configuration: Self.config)
            #expect(!store.recovery.isClean)
            #expect(store.recovery.validRecords == 4)
            #expect(store.count == 4)
            try store.checkpoint()
        }
        try PersistenceTests.flip(dir + "/snapshot.vix", byte: 100)
        do {
            _ = try VectorStore.open(directory: dir, configuration: Self.config)
            Issue.record("corrupt snapshot loaded")
        } catch {
            #expect(error.code == .corruptFile)
        }
    }
}
