/// Product quantization (Jégou, Douze, Schmid, "Product quantization for nearest neighbor
/// search", TPAMI 2011): the vector is cut into `subspaces` sub-vectors, each replaced by the
/// id of its nearest of 256 k-means centroids, so a code is `subspaces` bytes.
///
/// Search uses asymmetric distance computation (ADC): a table of query-to-centroid partial
/// distances (`subspaces x 256`) is built once per query in O(256 * d), then each code costs
/// `subspaces` table look-ups.
public struct ProductQuantizer: Sendable, Codable, Hashable {
    public let dimension: Int
    public let subspaces: Int
    public let centroidsPerSubspace: Int
    /// `subspaces x 256 x (dimension / subspaces)` centroid values.
    public private(set) var codebooks: [Float]
    public var subDimension: Int { dimension / subspaces }

    /// Trains the codebooks on row-major `rows` with `iterations` Lloyd steps per subspace.
    /// `centroids` (at most 256, the code is one byte per subspace) is lowered to the number
    /// of training rows when there are fewer.
    public init<G: RandomNumberGenerator>(
        dimension: Int, subspaces: Int, training rows: [Float], iterations: Int = 20, centroids: Int = 256, using rng: inout G
    ) throws(VectorIndexError) {
        guard centroids >= 1 && centroids <= 256 else {
            throw VectorIndexError(.invalidArgument, "centroids per subspace must be in 1...256, got \(centroids)")
        }
        guard subspaces > 0, dimension % subspaces == 0 else {
            throw VectorIndexError(.invalidArgument, "dimension \(dimension) is not divisible by \(subspaces) subspaces")
        }
        guard !rows.isEmpty, rows.count % dimension == 0 else {
            throw VectorIndexError(.invalidArgument, "product quantizer needs a non-empty row-major buffer of dimension \(dimension)")
        }
        self.dimension = dimension
        self.subspaces = subspaces
        let n = rows.count / dimension
        let kc = min(centroids, n)
        centroidsPerSubspace = kc
        let sd = dimension / subspaces
        var books: [Float] = []
        books.reserveCapacity(subspaces * 256 * sd)
        for s in 0..<subspaces {
            var sub = [Float](repeating: 0, count: n * sd)
            for i in 0..<n { for j in 0..<sd { sub[i * sd + j] = rows[i * dimension + s * sd + j] } }
            var c = sub.withUnsafeBufferPointer { KMeans.train($0, dimension: sd, k: kc, iterations: iterations, using: &rng) }
            c += [Float](repeating: .greatestFiniteMagnitude / 4, count: (256 - kc) * sd)
            books += c
        }
        codebooks = books
    }

    /// The code of `v`: per subspace, the nearest centroid's id. O(256 * d).
    public func encode(_ v: [Float]) -> [UInt8] {
        let sd = subDimension
        var out = [UInt8](repeating: 0, count: subspaces)
        v.withUnsafeBufferPointer { vb in
            codebooks.withUnsafeBufferPointer { cb in
                for s in 0..<subspaces {
                    var best = 0
                    var bestD = Float.infinity
                    for c in 0..<centroidsPerSubspace {
                        let d = Distance.l2Squared(vb.baseAddress! + s * sd, cb.baseAddress! + (s * 256 + c) * sd, count: sd)
                        if d < bestD { bestD = d; best = c }
                    }
                    out[s] = UInt8(best)
                }
            }
        }
        return out
    }

    /// The vector a code stands for (concatenated centroids).
    public func decode(_ code: [UInt8]) -> [Float] {
        let sd = subDimension
        var out: [Float] = []
        for s in 0..<subspaces {
            let start: Int = (s * 256 + Int(code[s])) * sd
            out += codebooks[start ..< start + sd]
        }
        return out
    }

    /// The ADC table of `query`: `table[s * 256 + c]` is the partial distance of sub-vector `s`
    /// to centroid `c` (squared L2 for `.l2`; minus the partial dot product otherwise, so the
    /// sum plus 1 is `1 - dot`).
    public func distanceTable(_ query: [Float], metric: DistanceMetric) -> [Float] {
        let sd = subDimension
        var table = [Float](repeating: 0, count: subspaces * 256)
        query.withUnsafeBufferPointer { qb in
            codebooks.withUnsafeBufferPointer { cb in
                for s in 0..<subspaces {
                    for c in 0..<256 {
                        let q = qb.baseAddress! + s * sd, cen = cb.baseAddress! + (s * 256 + c) * sd
                        table[s * 256 + c] = metric == .l2 ? Distance.l2Squared(q, cen, count: sd) : -Distance.dot(q, cen, count: sd)
                    }
                }
            }
        }
        return table
    }

    /// ADC distance of a code through a table: `sum table[s * 256 + code[s]]` (+1 for ip/cosine).
    @inlinable @inline(__always)
    public static func adc(_ table: UnsafePointer<Float>, _ code: UnsafePointer<UInt8>, subspaces m: Int) -> Float {
        var s0: Float = 0, s1: Float = 0
        var s = 0
        while s &+ 2 <= m {
            s0 += table[s &* 256 &+ Int(code[s])]
            s1 += table[(s &+ 1) &* 256 &+ Int(code[s &+ 1])]
            s &+= 2
        }
        if s < m { s0 += table[s &* 256 &+ Int(code[s])] }
        return s0 + s1
    }
}
