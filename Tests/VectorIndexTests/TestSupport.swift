import Foundation
@testable import VectorIndex

/// Seeded synthetic data and brute-force oracles for the tests.
enum TestData {
    /// `n` vectors of dimension `d` around `clusters` random centres (Gaussian-ish noise).
    static func clustered(n: Int, d: Int, clusters: Int = 10, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        let centres = (0..<(clusters * d)).map { _ in Float.random(in: -1...1, using: &rng) }
        var out: [Float] = []
        out.reserveCapacity(n * d)
        for _ in 0..<n {
            let c = Int.random(in: 0..<clusters, using: &rng)
            for j in 0..<d {
                let noise = (Float.random(in: -1...1, using: &rng) + Float.random(in: -1...1, using: &rng)) * 0.25
                out.append(centres[c * d + j] + noise)
            }
        }
        return out
    }

    static func normalizedRows(_ data: [Float], d: Int) -> [Float] {
        var out: [Float] = []
        for i in 0..<(data.count / d) {
            var r = row(data, i, d)
            Distance.normalize(&r)
            out += r
        }
        return out
    }

    static func row(_ data: [Float], _ i: Int, _ d: Int) -> [Float] { Array(data[i * d ..< (i + 1) * d]) }

    /// Distance by the scalar reference kernels (independent of the SIMD ones).
    static func referenceDistance(_ a: [Float], _ b: [Float], _ metric: DistanceMetric) -> Float {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                switch metric {
                case .l2: return Distance.l2SquaredReference(pa.baseAddress!, pb.baseAddress!, count: a.count)
                case .innerProduct: return 1 - Distance.dotReference(pa.baseAddress!, pb.baseAddress!, count: a.count)
                case .cosine: return Distance.cosineDistanceReference(pa.baseAddress!, pb.baseAddress!, count: a.count)
                }
            }
        }
    }

    /// Exact top-k labels (row numbers) by sorting reference distances.
    static func bruteForce(_ data: [Float], d: Int, query: [Float], k: Int, metric: DistanceMetric, allowed: (Int) -> Bool = { _ in true }) -> [UInt64] {
        let n = data.count / d
        let scored = (0..<n).filter(allowed).map { ($0, referenceDistance(row(data, $0, d), query, metric)) }
        return scored.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(k).map { UInt64($0.0) }
    }

    static func recall(_ found: [UInt64], _ truth: [UInt64]) -> Double {
        Double(Set(found).intersection(truth).count) / Double(max(1, truth.count))
    }

    static func temporaryDirectory(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "vectorindex-tests-\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
