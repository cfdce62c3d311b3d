/// Scalar int8 quantization with a per-dimension range: component `j` maps
/// `[min_j, max_j]` linearly onto codes `0...255` (4x smaller than float32).
///
/// Distances are asymmetric (query in float, stored vector as code), as FAISS's
/// `ScalarQuantizer` QT_8bit: the query is folded with the per-dimension scale once,
/// then each distance is one pass over `d` bytes. Cost: O(d) per distance.
public struct ScalarQuantizer: Sendable, Codable, Hashable {
    public let dimension: Int
    public private(set) var mins: [Float]
    public private(set) var scales: [Float]

    /// Learns per-dimension ranges from `rows` (row-major, `rows.count / dimension` vectors).
    public init(dimension: Int, training rows: [Float]) throws(VectorIndexError) {
        guard dimension > 0, !rows.isEmpty, rows.count % dimension == 0 else {
            throw VectorIndexError(.invalidArgument, "scalar quantizer needs a non-empty row-major buffer of dimension \(dimension)")
        }
        self.dimension = dimension
        var lo = [Float](repeating: .infinity, count: dimension)
        var hi = [Float](repeating: -.infinity, count: dimension)
        for (i, x) in rows.enumerated() {
            let j = i % dimension
            guard x.isFinite else { throw VectorIndexError(.invalidValue, "training value \(i) is \(x)") }
            lo[j] = min(lo[j], x)
            hi[j] = max(hi[j], x)
        }
        mins = lo
        scales = zip(lo, hi).map { l, h in h > l ? (h - l) / 255 : 1 }
    }

    /// A quantizer with given ranges (as read from a snapshot).
    public init(dimension: Int, mins: [Float], scales: [Float]) {
        precondition(mins.count == dimension && scales.count == dimension, "ranges must have one value per dimension")
        self.dimension = dimension
        self.mins = mins
        self.scales = scales
    }

    /// The code of `v`; values outside the trained range are clamped.
    public func encode(_ v: [Float]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: dimension)
        v.withUnsafeBufferPointer { encode($0.baseAddress!, into: &out, at: 0) }
        return out
    }

    func encode(_ v: UnsafePointer<Float>, into out: inout [UInt8], at offset: Int) {
        for j in 0..<dimension {
            let c = ((v[j] - mins[j]) / scales[j]).rounded()
            out[offset + j] = UInt8(max(0, min(255, c)))
        }
    }

    /// The vector a code stands for.
    public func decode(_ code: [UInt8]) -> [Float] {
        (0..<dimension).map { mins[$0] + scales[$0] * Float(code[$0]) }
    }

    /// A query folded for asymmetric distances: for `innerProduct`/`cosine` the weights
    /// `q_j * scale_j` and the constant `sum q_j * min_j`; for `l2` the shifted query
    /// `(q_j - min_j) / scale_j` and weights `scale_j^2`.
    public struct PreparedQuery: Sendable {
        public var weights: [Float]
        public var shifted: [Float]
        public var constant: Float
    }

    public func prepare(_ q: [Float], metric: DistanceMetric) -> PreparedQuery {
        switch metric {
        case .l2:
            return PreparedQuery(weights: scales.map { $0 * $0 }, shifted: (0..<dimension).map { (q[$0] - mins[$0]) / scales[$0] }, constant: 0)
        case .innerProduct, .cosine:
            var c: Float = 0
            for j in 0..<dimension { c += q[j] * mins[j] }
            return PreparedQuery(weights: (0..<dimension).map { q[$0] * scales[$0] }, shifted: [], constant: c)
        }
    }

    /// Asymmetric distance of a prepared query to a code at `code`, under `metric`.
    @inlinable @inline(__always)
    public static func distance(_ pq: UnsafePointer<Float>, _ shifted: UnsafePointer<Float>?, constant: Float, code: UnsafePointer<UInt8>, count n: Int, metric: DistanceMetric) -> Float {
        if metric == .l2 {
            return weightedL2(pq, shifted!, code, n)
        }
        return 1 - (constant + dotCode(pq, code, n))
    }

    /// `sum w_j * c_j` over uint8 codes, 16 lanes at a time.
    @inlinable @inline(__always)
    public static func dotCode(_ w: UnsafePointer<Float>, _ c: UnsafePointer<UInt8>, _ n: Int) -> Float {
        let rw = UnsafeRawPointer(w)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i &+ 32 <= n {
            let c0 = SQ8Kernels.floats(c, i)
            let c1 = SQ8Kernels.floats(c, i &+ 16)
            acc0 += rw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * c0
            acc1 += rw.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self) * c1
            i &+= 32
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            s += w[i] * Float(c[i])
            i &+= 1
        }
        return s
    }

    /// `sum weights_j * (shifted_j - c_j)^2`.
    @inlinable @inline(__always)
    public static func weightedL2(_ weights: UnsafePointer<Float>, _ shifted: UnsafePointer<Float>, _ c: UnsafePointer<UInt8>, _ n: Int) -> Float {
        var s: Float = 0
        for i in 0..<n {
            let d = shifted[i] - Float(c[i])
            s += weights[i] * d * d
        }
        return s
    }
}
