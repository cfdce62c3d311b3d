/// Binary quantization: one sign bit per dimension of the centred vector
/// (`bit j = v_j > mean_j`), packed into 64-bit words, so a 384-d float vector (1536 bytes)
/// becomes 48 bytes (32x smaller). Codes are compared by Hamming distance (popcount).
///
/// Binary codes rank coarsely; ``QuantizedFlatIndex`` re-scores an oversampled candidate list
/// with the exact distance on full vectors, which may stay on disk (memory-mapped).
public struct BinaryQuantizer: Sendable, Codable, Hashable {
    public let dimension: Int
    /// Per-dimension threshold (training mean; zeros when trained on nothing).
    public private(set) var thresholds: [Float]
    public var words: Int { (dimension + 63) / 64 }

    /// Thresholds at zero: plain sign bits.
    public init(dimension: Int) {
        self.dimension = dimension
        thresholds = [Float](repeating: 0, count: dimension)
    }

    /// Thresholds at the per-dimension mean of `rows` (centring helps embeddings whose
    /// components are not zero-mean).
    public init(dimension: Int, training rows: [Float]) throws(VectorIndexError) {
        guard dimension > 0, !rows.isEmpty, rows.count % dimension == 0 else {
            throw VectorIndexError(.invalidArgument, "binary quantizer needs a non-empty row-major buffer of dimension \(dimension)")
        }
        self.dimension = dimension
        var mean = [Double](repeating: 0, count: dimension)
        for (i, x) in rows.enumerated() { mean[i % dimension] += Double(x) }
        let n = Double(rows.count / dimension)
        thresholds = mean.map { Float($0 / n) }
    }

    /// Packs the sign bits of `v` (bit `j % 64` of word `j / 64`).
    public func encode(_ v: [Float]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: words)
        for j in 0..<dimension where v[j] > thresholds[j] { out[j >> 6] |= 1 << UInt64(j & 63) }
        return out
    }
}
