import Foundation
import Testing
@testable import VectorIndex

@Suite struct VectorFileAndBenchmarkTests {
    @Test func npyAndFvecsRoundTrip() throws {
        let dir = TestData.temporaryDirectory("files")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = VectorMatrix(rows: 3, columns: 2, values: [Float](arrayLiteral: 1, 2, 3, 4, 5.5, -6))
        try VectorFile.write(VectorFile.npyBytes(m), to: dir + "/a.npy")
        try VectorFile.write(VectorFile.fvecsBytes(m), to: dir + "/a.fvecs")
        for p in ["/a.npy", "/a.fvecs"] {
            let back = try VectorFile.readFloat32(path: dir + p)
            #expect(back.rows == 3 && back.columns == 2 && back.values == m.values)
        }
        let ids = VectorMatrix(rows: 2, columns: 2, values: [Int32](arrayLiteral: 7, 8, 9, -1))
        try VectorFile.write(VectorFile.npyBytes(ids), to: dir + "/gt.npy")
        #expect(try VectorFile.readInt32(path: dir + "/gt.npy").values == [7, 8, 9, -1])
        // Wrong dtype and damaged files are typed errors.
        do { _ = try VectorFile.readFloat32(path: dir + "/gt.npy"); Issue.record("int read as float") } catch { #expect(error.code == .unsupportedFormat) }
        try PersistenceTests.truncate(dir + "/a.npy", by: 4)
        do { _ = try VectorFile.readFloat32(path: dir + "/a.npy"); Issue.record("short npy") } catch { #expect(error.code == .corruptFile) }
        try PersistenceTests.truncate(dir + "/a.fvecs", by: 4)
        do { _ = try VectorFile.readFloat32(path: dir + "/a.fvecs"); Issue.record("short fvecs") } catch { #expect(error.code == .corruptFile) }
    }

    @Test func readsRealNumpyFileWhenPresent() throws {
        // ../shared beside the repository (as on the developers' machines and in CI).
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/vectors/docstrings-minilm/gt_ip_k100.npy").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipping readsRealNumpyFileWhenPresent: \(path) is absent (the shared data set lives beside the repository)")
            return
        }
        let gt = try VectorFile.readInt32(path: path)
        #expect(gt.rows == 1000 && gt.columns == 100)
        #expect(gt.values.allSatisfy { $0 >= 0 && $0 < 19322 })
    }

    /// Int8 without re-scoring ranks by the codes alone: still a usable recall, and the
    /// re-scored run is at least as good at the same ef.
    @Test func int8WithoutRescoringRanksByTheCodes() throws {
        let d = 32
        let base = VectorMatrix(rows: 500, columns: d, values: TestData.normalizedRows(TestData.clustered(n: 500, d: d, seed: 37), d: d))
        let queries = VectorMatrix(rows: 20, columns: d, values: TestData.normalizedRows(TestData.clustered(n: 20, d: d, seed: 38), d: d))
        let dir = TestData.temporaryDirectory("bench-norescore")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func run(_ rescore: Bool) throws -> VectorBenchmark.Result {
            let config = VectorBenchmark.Configuration(metric: .innerProduct, k: 5, m: 8, efConstruction: 40, efValues: [64],
                                                       quantization: .int8, rescore: rescore, scratchDirectory: dir)
            return try VectorBenchmark.run(base: base, queries: queries, groundTruth: nil, configuration: config)
        }
        let plain = try run(false), rescored = try run(true)
        #expect(plain.results[0].recallAtK >= 0.8, "\(plain.results)")
        #expect(rescored.results[0].recallAtK >= plain.results[0].recallAtK)
        #expect(plain.indexBytes == rescored.indexBytes)
    }

    @Test(arguments: VectorBenchmark.Quantization.allCases)
    func benchmarkCoreMeasuresRecallAgainstFlatGroundTruth(q: VectorBenchmark.Quantization) throws {
        let d = 32
        let base = VectorMatrix(rows: 500, columns: d, values: TestData.normalizedRows(TestData.clustered(n: 500, d: d, seed: 31), d: d))
        let queries = VectorMatrix(rows: 20, columns: d, values: TestData.normalizedRows(TestData.clustered(n: 20, d: d, seed: 31), d: d))
        let dir = TestData.temporaryDirectory("bench")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = VectorBenchmark.Configuration(metric: .innerProduct, k: 5, m: 8, efConstruction: 40, efValues: [8, 64], quantization: q, oversample: 8, scratchDirectory: dir, pqSubspaces: 8, pqCentroids: 32)
        let result = try VectorBenchmark.run(base: base, queries: queries, groundTruth: nil, configuration: config)
        #expect(result.results.map(\.ef) == [8, 64])
        #expect(result.results.allSatisfy { $0.qps > 0 && $0.recallAtK >= 0 && $0.recallAtK <= 1 })
        #expect(result.results.last!.recallAtK >= 0.9, "\(q): \(result.results)")
        #expect(result.indexBytes > 0 && result.buildSeconds >= 0)
        // The JSON shape the CLI prints.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as! [String: Any]
        #expect(Set(json.keys) == ["build_seconds", "index_bytes", "results", "flat_qps"])
        #expect(result.flatQPS ?? 0 > 0)
        let first = (json["results"] as! [[String: Any]])[0]
        #expect(Set(first.keys) == ["ef", "recall_at_k", "qps"])
        // Recall computation against a hand-made truth.
        let truth = VectorMatrix(rows: 2, columns: 2, values: [Int32](arrayLiteral: 1, 2, 3, 4))
        #expect(VectorBenchmark.recall(found: [[1, 9], [4, 3]], truth: truth, k: 2) == 0.75)
    }
}
