import Foundation
import Testing
@testable import VectorIndex

@Suite struct PersistenceTests {
    static func smallIndex() throws -> (HNSWIndex, [Float]) {
        let d = 8, n = 300
        let data = TestData.clustered(n: n, d: d, seed: 21)
        let index = try HNSWIndex(HNSWConfiguration(dimension: d, metric: .l2, m: 6, efConstruction: 40, initialCapacity: 32))
        try index.add(rows: data, labels: (0..<n).map { UInt64($0) + 1000 })
        index.remove(label: 1005)
        return (index, data)
    }

    static func flip(_ path: String, byte: Int, bit: UInt8 = 0x10) throws {
        var b = try Data(contentsOf: URL(fileURLWithPath: path))
        b[byte] ^= bit
        try b.write(to: URL(fileURLWithPath: path))
    }

    static func truncate(_ path: String, by n: Int) throws {
        let b = try Data(contentsOf: URL(fileURLWithPath: path))
        try b.prefix(b.count - n).write(to: URL(fileURLWithPath: path))
    }

    @Test func snapshotRoundTripGivesIdenticalSearches() throws {
        let (index, data) = try Self.smallIndex()
        let dir = TestData.temporaryDirectory("snap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/index.vix"
        try index.write(to: path)
        let loaded = try HNSWIndex.read(from: path)
        #expect(loaded.count == index.count)
        #expect(loaded.tombstoneCount == 1)
        #expect(!loaded.contains(label: 1005))
        #expect(loaded.configuration == HNSWConfiguration(dimension: 8, metric: .l2, m: 6, efConstruction: 40, initialCapacity: 299 + 1))
        for i in stride(from: 0, to: 300, by: 17) {
            let q = TestData.row(data, i, 8)
            #expect(try loaded.search(q, k: 5) == index.search(q, k: 5))
        }
        // The loaded index keeps accepting writes.
        try loaded.add([Float](repeating: 0, count: 8), label: 7)
        #expect(try loaded.search([Float](repeating: 0, count: 8), k: 1).first?.label == 7)
    }

    @Test func truncatedOrBitFlippedSnapshotIsReported() throws {
        let (index, _) = try Self.smallIndex()
        let dir = TestData.temporaryDirectory("snapbad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/index.vix"
        let size = try { try index.write(to: path); return try Data(contentsOf: URL(fileURLWithPath: path)).count }()
        // Every kind of damage: tail cut, header cut, payload bit, header bit.
        let damages: [(String, () throws -> Void)] = [
            ("truncated tail", { try Self.truncate(path, by: 3) }),
            ("truncated header", { try Self.truncate(path, by: size - 20) }),
            ("payload bit", { try Self.flip(path, byte: size / 2) }),
            ("last byte", { try Self.flip(path, byte: size - 1, bit: 1) }),
            ("length field", { try Self.flip(path, byte: 17) }),
        ]
        for (name, damage) in damages {
            try index.write(to: path)
            try damage()
            do {
                _ = try HNSWIndex.read(from: path)
                Issue.record("\(name): damaged snapshot loaded")
            } catch {
                #expect(error.code == .corruptFile, "\(name): \(error)")
            }
        }
    }

    @Test func otherFormatVersionIsRefusedByName() throws {
        let (index, _) = try Self.smallIndex()
        let dir = TestData.temporaryDirectory("snapver")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/index.vix"
        try index.write(to: path)
        var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        b[8] = 2  // version 2, with a valid header checksum
        let crc = CRC32.checksum(b[0..<28])
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { b[28 + i] = $0[i] } }
        try Data(b).write(to: URL(fileURLWithPath: path))
        do {
            _ = try HNSWIndex.read(from: path)
            Issue.record("version 2 loaded")
        } catch {
            #expect(error.code == .unsupportedVersion)
            #expect(error.message.contains("version 2"))
        }
    }

    static func records(_ n: Int) -> [WALRecord] {
        (0..<n).map { (i: Int) -> WALRecord in
            if i % 4 == 3 { return WALRecord.delete(sequence: UInt64(i + 1), id: "doc-\(i - 1)") }
            let v: [Float] = [Float(i), -1, 0.5]
            let meta: [UInt8] = Array("{\"i\":\(i)}".utf8)
            return WALRecord.upsert(sequence: UInt64(i + 1), id: "doc-\(i)", vector: v, metadata: meta)
        }
    }

    @Test func walRoundTripIsClean() throws {
        let dir = TestData.temporaryDirectory("wal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/wal.log"
        do {
            let (wal, recs, report) = try WriteAheadLog.open(path: path)
            #expect(recs.isEmpty && report.isClean)
            for r in Self.records(10) { try wal.append(r) }
        }
        let (_, recs, report) = try WriteAheadLog.open(path: path)
        #expect(recs == Self.records(10))
        #expect(report == WALRecoveryReport(validRecords: 10, validBytes: report.validBytes, discardedBytes: 0, problem: nil))
    }

    @Test(arguments: ["torn", "bitflip", "garbage"])
    func walDamagedTailIsReportedAndTruncated(kind: String) throws {
        let dir = TestData.temporaryDirectory("walbad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/wal.log"
        let all = Self.records(8)
        var sizeAfter7 = 0
        do {
            let (wal, _, _) = try WriteAheadLog.open(path: path)
            for r in all.prefix(7) { try wal.append(r) }
            sizeAfter7 = wal.size
            try wal.append(all[7])
        }
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        switch kind {
        case "torn": try Self.truncate(path, by: 5)                 // crash mid-append
        case "bitflip": try Self.flip(path, byte: sizeAfter7 + 12)  // rot inside the last record
        default: try (full + Data([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).write(to: URL(fileURLWithPath: path))
        }
        let (wal, recs, report) = try WriteAheadLog.open(path: path)
        let expected = kind == "garbage" ? all : Array(all.prefix(7))
        #expect(recs == expected)
        #expect(!report.isClean)
        #expect(report.problem != nil)
        #expect(report.validRecords == expected.count)
        #expect(report.validBytes == (kind == "garbage" ? full.count : sizeAfter7))
        // The file was truncated to the valid prefix, and appends continue from there.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == report.validBytes)
        try wal.append(.delete(sequence: 99, id: "x"))
        let (_, again, clean) = try WriteAheadLog.open(path: path)
        #expect(clean.isClean)
        #expect(again == expected + [.delete(sequence: 99, id: "x")])
    }

    @Test func walWithDamagedHeaderIsRefused() throws {
        let dir = TestData.temporaryDirectory("walhdr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/wal.log"
        _ = try WriteAheadLog.open(path: path)
        try Self.flip(path, byte: 9)
        do {
            _ = try WriteAheadLog.open(path: path)
            Issue.record("damaged header accepted")
        } catch {
            #expect(error.code == .corruptFile)
        }
    }
}
