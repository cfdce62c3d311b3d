import Foundation
import Testing
@testable import VectorIndex

@Suite struct QuantizerTests {
    @Test func scalarInt8RoundTripWithinHalfAStep() throws {
        let d = 24
        let data = TestData.clustered(n: 200, d: d, seed: 5)
        let sq = try ScalarQuantizer(dimension: d, training: data)
        for i in 0..<50 {
            let v = TestData.row(data, i, d)
            let back = sq.decode(sq.encode(v))
            for j in 0..<d { #expect(abs(back[j] - v[j]) <= sq.scales[j] / 2 + 1e-5) }
        }
        // Out-of-range values clamp to the ends of the code range.
        let big = [Float](repeating: 1e6, count: d)
        #expect(sq.encode(big).allSatisfy { $0 == 255 })
    }

    @Test(arguments: [DistanceMetric.l2, .innerProduct])
    func scalarAsymmetricDistanceEqualsDistanceToDecoded(metric: DistanceMetric) throws {
        let d = 40
        let data = TestData.clustered(n: 100, d: d, seed: 6)
        let sq = try ScalarQuantizer(dimension: d, training: data)
        let q = TestData.row(TestData.clustered(n: 1, d: d, seed: 60), 0, d)
        let pq = sq.prepare(q, metric: metric)
        for i in 0..<20 {
            let code = sq.encode(TestData.row(data, i, d))
            let want = TestData.referenceDistance(q, sq.decode(code), metric)
            let got = pq.weights.withUnsafeBufferPointer { w in
                pq.shifted.withUnsafeBufferPointer { sh in
                    code.withUnsafeBufferPointer { c in
                        ScalarQuantizer.distance(w.baseAddress!, sh.baseAddress, constant: pq.constant, code: c.baseAddress!, count: d, metric: metric)
                    }
                }
            }
            #expect(abs(got - want) <= 1e-3 * max(1, abs(want)))
        }
    }

    @Test func binaryCodesAreSignBitsAndHammingCountsDisagreements() throws {
        let bq = BinaryQuantizer(dimension: 70)
        var v = [Float](repeating: -1, count: 70)
        v[0] = 1; v[63] = 2; v[64] = 0.5; v[69] = 3
        let code = bq.encode(v)
        #expect(code == [UInt64(1) | (UInt64(1) << 63), UInt64(1) | (UInt64(1) << 5)])
        var rng = SplitMix64(seed: 8)
        for _ in 0..<20 {
            let a = (0..<70).map { _ in Float.random(in: -1...1, using: &rng) }
            let b = (0..<70).map { _ in Float.random(in: -1...1, using: &rng) }
            let disagree = zip(a, b).filter { ($0 > 0) != ($1 > 0) }.count
            #expect(Distance.hamming(bq.encode(a), bq.encode(b)) == disagree)
        }
        let trained = try BinaryQuantizer(dimension: 2, training: [1, 10, 3, 20])
        #expect(trained.thresholds == [2, 15])
        #expect(trained.encode([2.5, 14]) == [1])
    }

    @Test func kMeansFindsSeparatedCentres() {
        var rng = SplitMix64(seed: 9)
        let centres: [[Float]] = [[0, 0], [10, 10], [-10, 10]]
        var data: [Float] = []
        for i in 0..<300 {
            let c = centres[i % 3]
            data += [c[0] + Float.random(in: -0.5...0.5, using: &rng), c[1] + Float.random(in: -0.5...0.5, using: &rng)]
        }
        var best: Float = 0
        // k-means++ seeding finds all three centres from every start.
        for s in 0..<3 {
            var g = SplitMix64(seed: UInt64(100 + s))
            let found = data.withUnsafeBufferPointer { KMeans.train($0, dimension: 2, k: 3, iterations: 15, using: &g) }
            let err = centres.map { c in (0..<3).map { Distance.l2Squared(c, [found[$0 * 2], found[$0 * 2 + 1]]) }.min()! }.max()!
            best = max(best, err)
        }
        #expect(best < 0.1)
    }

    @Test(arguments: [DistanceMetric.l2, .innerProduct])
    func productQuantizerADCEqualsDistanceToDecoded(metric: DistanceMetric) throws {
        let d = 16
        let data = TestData.clustered(n: 400, d: d, seed: 10)
        var rng = SplitMix64(seed: 11)
        let pq = try ProductQuantizer(dimension: d, subspaces: 4, training: data, iterations: 8, using: &rng)
        let q = TestData.row(data, 3, d)
        let table = pq.distanceTable(q, metric: metric)
        var reconstructionError: Float = 0
        var spread: Float = 0
        for i in 0..<30 {
            let v = TestData.row(data, i, d)
            let code = pq.encode(v)
            let decoded = pq.decode(code)
            var adc = table.withUnsafeBufferPointer { t in code.withUnsafeBufferPointer { ProductQuantizer.adc(t.baseAddress!, $0.baseAddress!, subspaces: 4) } }
            if metric != .l2 { adc += 1 }
            let want = TestData.referenceDistance(q, decoded, metric)
            #expect(abs(adc - want) <= 1e-3 * max(1, abs(want)))
            reconstructionError += Distance.l2Squared(v, decoded)
            spread += Distance.l2Squared(v, TestData.row(data, (i + 200) % 400, d))
        }
        // The codebooks are far better than a random stand-in vector.
        #expect(reconstructionError < spread / 10)
    }

    @Test(arguments: ["binary", "pq", "int8"])
    func quantizedFlatIndexWithMappedRescoringHasHighRecall(kind: String) throws {
        // Binary codes need dimension to rank well (32 sign bits are too coarse): use 128.
        let d = 128, n = 600
        let data = TestData.normalizedRows(TestData.clustered(n: n, d: d, seed: 12), d: d)
        let dir = TestData.temporaryDirectory("qflat")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let full = try FullVectorSource.writeAndMap(values: data, dimension: d, path: dir + "/full.f32")
        #expect(full.residentBytes == 0)
        var rng = SplitMix64(seed: 13)
        let codec: QuantizedFlatIndex.Codec
        switch kind {
        case "binary": codec = .binary(try BinaryQuantizer(dimension: d, training: data))
        case "pq": codec = .product(try ProductQuantizer(dimension: d, subspaces: 32, training: data, iterations: 6, centroids: 32, using: &rng))
        default: codec = .scalar(try ScalarQuantizer(dimension: d, training: data))
        }
        let index = try QuantizedFlatIndex(values: data, dimension: d, metric: .innerProduct, codec: codec, full: full)
        #expect(index.memoryBytes < n * d * 4 / 2)
        // Queries from the data distribution: stored rows plus noise.
        var qrng = SplitMix64(seed: 14)
        var total = 0.0
        for qi in 0..<20 {
            var q = TestData.row(data, qi * 29 % n, d).map { $0 + Float.random(in: -0.05...0.05, using: &qrng) }
            Distance.normalize(&q)
            let got = try index.search(q, k: 10, candidates: 80)
            total += TestData.recall(got.map(\.label), TestData.bruteForce(data, d: d, query: q, k: 10, metric: .innerProduct))
            // Re-scored distances are exact.
            for r in got { #expect(abs(r.distance - TestData.referenceDistance(TestData.row(data, Int(r.label), d), q, .innerProduct)) < 1e-4) }
        }
        #expect(total / 20 >= 0.95, "\(kind) recall \(total / 20)")
    }
}
