/// Distance kernels on Float32 and packed bits.
///
/// Each kernel comes twice: a plain scalar reference (`...Reference`) and the SIMD version used
/// by the indexes; tests check one against the other. The SIMD kernels read
/// 32 floats per step into two `SIMD16<Float>` accumulators (the compiler maps these to
/// SSE/AVX registers) and finish the tail in scalar code. Cost: O(count).
public enum Distance {
    // MARK: scalar references

    /// Dot product, scalar reference. O(n).
    public static func dotReference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        var s: Float = 0
        for i in 0..<n { s += a[i] * b[i] }
        return s
    }

    /// Squared Euclidean distance, scalar reference. O(n).
    public static func l2SquaredReference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        var s: Float = 0
        for i in 0..<n {
            let d = a[i] - b[i]
            s += d * d
        }
        return s
    }

    /// Cosine distance `1 - a.b / (|a| |b|)`, scalar reference (inputs need not be unit length).
    /// Returns 1 when either vector is zero.
    public static func cosineDistanceReference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        var ab: Float = 0, aa: Float = 0, bb: Float = 0
        for i in 0..<n {
            ab += a[i] * b[i]
            aa += a[i] * a[i]
            bb += b[i] * b[i]
        }
        let den = (aa * bb).squareRoot()
        return den > 0 ? 1 - ab / den : 1
    }

    /// Hamming distance of two bit strings packed in `words` 64-bit words, scalar reference
    /// (bit by bit, no popcount).
    public static func hammingReference(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, words: Int) -> Int {
        var d = 0
        for w in 0..<words {
            var x = a[w] ^ b[w]
            while x != 0 {
                d += Int(x & 1)
                x >>= 1
            }
        }
        return d
    }

    // MARK: SIMD kernels

    /// Dot product with SIMD accumulation. O(n).
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i &+ 32 <= n {
            let o = i &* 4
            acc0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self)
            i &+= 32
        }
        if i &+ 16 <= n {
            let o = i &* 4
            acc0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
            i &+= 16
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            s += a[i] * b[i]
            i &+= 1
        }
        return s
    }

    /// Squared Euclidean distance with SIMD accumulation. O(n).
    @inlinable @inline(__always)
    public static func l2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i &+ 32 <= n {
            let o = i &* 4
            let d0 = ra.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
            let d1 = ra.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self)
            acc0 += d0 * d0
            acc1 += d1 * d1
            i &+= 32
        }
        if i &+ 16 <= n {
            let o = i &* 4
            let d0 = ra.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
            acc0 += d0 * d0
            i &+= 16
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            let d = a[i] - b[i]
            s += d * d
            i &+= 1
        }
        return s
    }

    /// Cosine distance `1 - a.b / (|a| |b|)` with the SIMD kernels. Returns 1 for a zero vector.
    @inlinable
    public static func cosineDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        let ab = dot(a, b, count: n)
        let den = (dot(a, a, count: n) * dot(b, b, count: n)).squareRoot()
        return den > 0 ? 1 - ab / den : 1
    }

    /// Hamming distance of two bit strings packed in `words` 64-bit words, using popcount
    /// (`nonzeroBitCount`, one POPCNT instruction per word where the target has it). O(words).
    @inlinable @inline(__always)
    public static func hamming(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, words: Int) -> Int {
        var d0 = 0, d1 = 0
        var w = 0
        while w &+ 2 <= words {
            d0 &+= (a[w] ^ b[w]).nonzeroBitCount
            d1 &+= (a[w &+ 1] ^ b[w &+ 1]).nonzeroBitCount
            w &+= 2
        }
        if w < words { d0 &+= (a[w] ^ b[w]).nonzeroBitCount }
        return d0 &+ d1
    }

    // MARK: array conveniences

    /// Dot product of two equal-length arrays.
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "dot: lengths differ")
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in dot(pa.baseAddress!, pb.baseAddress!, count: a.count) } }
    }

    /// Squared Euclidean distance of two equal-length arrays.
    public static func l2Squared(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "l2Squared: lengths differ")
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in l2Squared(pa.baseAddress!, pb.baseAddress!, count: a.count) } }
    }

    /// Cosine distance of two equal-length arrays.
    public static func cosineDistance(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "cosineDistance: lengths differ")
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in cosineDistance(pa.baseAddress!, pb.baseAddress!, count: a.count) } }
    }

    /// Hamming distance of two equal-length packed bit arrays.
    public static func hamming(_ a: [UInt64], _ b: [UInt64]) -> Int {
        precondition(a.count == b.count, "hamming: lengths differ")
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in hamming(pa.baseAddress!, pb.baseAddress!, words: a.count) } }
    }

    /// Normalises `v` in place to unit length. Returns false (and leaves `v`) for a zero vector.
    @discardableResult
    public static func normalize(_ v: inout [Float]) -> Bool {
        let n2 = l2Squared(v, [Float](repeating: 0, count: v.count))
        guard n2 > 0 else { return false }
        let inv = 1 / n2.squareRoot()
        for i in v.indices { v[i] *= inv }
        return true
    }
}

/// Checks that a vector has the expected dimension and only finite components.
@usableFromInline
func validate(_ v: [Float], dimension: Int, what: String = "vector") throws(VectorIndexError) {
    guard v.count == dimension else {
        throw VectorIndexError(.dimensionMismatch, "\(what) has \(v.count) components, the index dimension is \(dimension)")
    }
    for (i, x) in v.enumerated() where !x.isFinite {
        throw VectorIndexError(.invalidValue, "\(what) component \(i) is \(x); only finite values are allowed")
    }
}
