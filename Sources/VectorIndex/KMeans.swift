/// Lloyd's k-means on row-major float vectors, squared-L2, seeded.
///
/// Initialisation is k-means++ (Arthur & Vassilvitskii 2007: each next centre drawn with
/// probability proportional to its squared distance to the nearest chosen one) with the
/// injected generator; empty clusters are re-seeded from a random row. Cost: O(iterations * n * k * d).
public enum KMeans {
    /// Returns `k * d` centroid values (row-major).
    public static func train<G: RandomNumberGenerator>(
        _ data: UnsafeBufferPointer<Float>, dimension d: Int, k: Int, iterations: Int, using rng: inout G
    ) -> [Float] {
        let n = data.count / d
        precondition(n > 0 && k > 0, "k-means needs data and k > 0")
        var centroids = [Float](repeating: 0, count: k * d)
        var nearest = [Float](repeating: .infinity, count: n)
        var pick = Int.random(in: 0..<n, using: &rng)
        for c in 0..<k {
            for j in 0..<d { centroids[c * d + j] = data[pick * d + j] }
            var total: Double = 0
            for i in 0..<n {
                let dist = Distance.l2Squared(data.baseAddress! + i * d, data.baseAddress! + pick * d, count: d)
                nearest[i] = min(nearest[i], dist)
                total += Double(nearest[i])
            }
            guard total > 0 else { pick = Int.random(in: 0..<n, using: &rng); continue }
            var target = Double.random(in: 0..<total, using: &rng)
            pick = n - 1
            for i in 0..<n {
                target -= Double(nearest[i])
                if target < 0 { pick = i; break }
            }
        }
        var assign = [Int](repeating: 0, count: n)
        for _ in 0..<iterations {
            centroids.withUnsafeBufferPointer { cb in
                for i in 0..<n {
                    var best = 0
                    var bestD = Float.infinity
                    for c in 0..<k {
                        let dist = Distance.l2Squared(data.baseAddress! + i * d, cb.baseAddress! + c * d, count: d)
                        if dist < bestD { bestD = dist; best = c }
                    }
                    assign[i] = best
                }
            }
            var sums = [Float](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                counts[assign[i]] += 1
                for j in 0..<d { sums[assign[i] * d + j] += data[i * d + j] }
            }
            for c in 0..<k {
                if counts[c] == 0 {
                    let r = Int.random(in: 0..<n, using: &rng)
                    for j in 0..<d { centroids[c * d + j] = data[r * d + j] }
                } else {
                    for j in 0..<d { centroids[c * d + j] = sums[c * d + j] / Float(counts[c]) }
                }
            }
        }
        return centroids
    }
}
