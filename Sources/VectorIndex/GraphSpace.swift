import CVectorIndexShims
/// How an ``HNSWIndex`` compares a prepared query with stored records and records with each
/// other. Chosen once per call (a switch over metric and encoding) so the graph loops are
/// specialised: no existential or switch per distance.
protocol GraphSpace {
    /// Floats of a prepared query (see ``HNSWIndex/prepareQuery(_:into:)``).
    var preparedCount: Int { get }
    func distance(_ query: UnsafePointer<Float>, _ node: UnsafeRawPointer) -> Float
    func distance(node a: UnsafeRawPointer, node b: UnsafeRawPointer) -> Float
    /// Whether a stored record must be turned into query form (``prepare(node:into:)``) to be
    /// compared with ``distance(_:_:)``; false when a record already is a query (floats).
    static var recordsNeedPreparation: Bool { get }
    /// Writes the query form of a stored record into `out` (``preparedCount`` floats).
    func prepare(node: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>)
}

extension GraphSpace {
    static var recordsNeedPreparation: Bool { false }
    func prepare(node: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {}
}

struct FloatL2Space: GraphSpace {
    let d: Int
    var preparedCount: Int { d }
    @inline(__always) func distance(_ q: UnsafePointer<Float>, _ node: UnsafeRawPointer) -> Float {
        Distance.l2Squared(q, node.assumingMemoryBound(to: Float.self), count: d)
    }
    @inline(__always) func distance(node a: UnsafeRawPointer, node b: UnsafeRawPointer) -> Float {
        Distance.l2Squared(a.assumingMemoryBound(to: Float.self), b.assumingMemoryBound(to: Float.self), count: d)
    }
}

struct FloatIPSpace: GraphSpace {
    let d: Int
    var preparedCount: Int { d }
    @inline(__always) func distance(_ q: UnsafePointer<Float>, _ node: UnsafeRawPointer) -> Float {
        1 - vi_dot_f32(q, node.assumingMemoryBound(to: Float.self), d)
    }
    @inline(__always) func distance(node a: UnsafeRawPointer, node b: UnsafeRawPointer) -> Float {
        1 - Distance.dot(a.assumingMemoryBound(to: Float.self), b.assumingMemoryBound(to: Float.self), count: d)
    }
}

/// Int8 records, inner product. Prepared query: `w_j = q_j * scale_j` (d floats), the
/// constant `C = sum q_j * min_j`, then the weights quantised once to int16 (`w_j ≈ α·v_j`,
/// α = max|w| / 32767, stored after `C` and `α`); distance `1 - (C + α · sum v_j c_j)`, the
/// sum exact in integers (AVX2 `madd`), the quantisation error about 1e-5 of the dot product.
/// `params`: mins (d), scales (d), scales squared (d).
struct SQ8IPSpace: GraphSpace {
    let d: Int
    let params: UnsafePointer<Float>
    var preparedCount: Int { Self.preparedCount(d) }
    /// d weights, C, α, then d int16 weights packed two per float slot.
    static func preparedCount(_ d: Int) -> Int { d + 2 + (d + 1) / 2 }

    /// Appends α and the int16 weights after the float weights and `C`.
    @inline(__always) static func quantizeWeights(_ out: UnsafeMutablePointer<Float>, _ d: Int) {
        let w16 = UnsafeMutableRawPointer(out + d + 2).bindMemory(to: Int16.self, capacity: d)
        out[d + 1] = vi_quantize_i16(out, w16, d)
    }
    static var recordsNeedPreparation: Bool { true }
    /// Decodes `x_j = min_j + s_j c_j`, then `w_j = x_j s_j`, constant `sum x_j min_j`.
    func prepare(node: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let c = node.assumingMemoryBound(to: UInt8.self)
        let rm = UnsafeRawPointer(params), rs = UnsafeRawPointer(params + d), ro = UnsafeMutableRawPointer(out)
        var acc = SIMD16<Float>()
        var j = 0
        while j &+ 16 <= d {
            let m = rm.loadUnaligned(fromByteOffset: j &* 4, as: SIMD16<Float>.self)
            let sc = rs.loadUnaligned(fromByteOffset: j &* 4, as: SIMD16<Float>.self)
            let x = m + sc * SQ8Kernels.floats(c, j)
            ro.storeBytes(of: x * sc, toByteOffset: j &* 4, as: SIMD16<Float>.self)
            acc += x * m
            j &+= 16
        }
        var k = acc.sum()
        while j < d {
            let x = params[j] + params[d + j] * Float(c[j])
            out[j] = x * params[d + j]
            k += x * params[j]
            j &+= 1
        }
        out[d] = k
        Self.quantizeWeights(out, d)
    }
    @inline(__always) func distance(_ q: UnsafePointer<Float>, _ node: UnsafeRawPointer) -> Float {
        let w16 = UnsafeRawPointer(q + d + 2).assumingMemoryBound(to: Int16.self)
        return 1 - (q[d] + q[d + 1] * Float(vi_dot_i16_u8(w16, node.assumingMemoryBound(to: UInt8.self), d)))
    }
    @inline(__always) func distance(node a: UnsafeRawPointer, node b: UnsafeRawPointer) -> Float {
        1 - SQ8Kernels.decodedDot(params, params + d, a.assumingMemoryBound(to: UInt8.self), b.assumingMemoryBound(to: UInt8.self), d)
    }
}

/// Int8 records, squared L2. Prepared query: `(q_j - min_j) / scale_j` (d floats);
/// distance `sum scale_j^2 (q'_j - c_j)^2`.
struct SQ8L2Space: GraphSpace {
    let d: Int
    let params: UnsafePointer<Float>
    var preparedCount: Int { d }
    static var recordsNeedPreparation: Bool { true }
    /// The code itself, as floats, is the shifted query form.
    func prepare(node: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let c = node.assumingMemoryBound(to: UInt8.self)
        for j in 0..<d { out[j] = Float(c[j]) }
    }
    @inline(__always) func distance(_ q: UnsafePointer<Float>, _ node: UnsafeRawPointer) -> Float {
        SQ8Kernels.weightedL2(params + 2 * d, q, node.assumingMemoryBound(to: UInt8.self), d)
    }
    @inline(__always) func distance(node a: UnsafeRawPointer, node b: UnsafeRawPointer) -> Float {
        SQ8Kernels.weightedL2Codes(params + 2 * d, a.assumingMemoryBound(to: UInt8.self), b.assumingMemoryBound(to: UInt8.self), d)
    }
}

@usableFromInline
enum SQ8Kernels {
    /// 16 codes from `p + i` as floats. Built lane by lane on purpose: LLVM turns this into
    /// vector unpack + convert, while the generic `SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded:))`
    /// conversions compile to out-of-line calls (measured 2-3x slower).
    @inlinable @inline(__always) static func floats(_ p: UnsafePointer<UInt8>, _ i: Int) -> SIMD16<Float> {
        let c = p + i
        return SIMD16<Float>(
            Float(c[0]), Float(c[1]), Float(c[2]), Float(c[3]), Float(c[4]), Float(c[5]), Float(c[6]), Float(c[7]),
            Float(c[8]), Float(c[9]), Float(c[10]), Float(c[11]), Float(c[12]), Float(c[13]), Float(c[14]), Float(c[15]))
    }

    /// `sum (min_j + s_j a_j)(min_j + s_j b_j)`.
    @inline(__always) static func decodedDot(_ mins: UnsafePointer<Float>, _ scales: UnsafePointer<Float>, _ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        let rm = UnsafeRawPointer(mins), rs = UnsafeRawPointer(scales)
        while i &+ 16 <= n {
            let m = rm.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            let s = rs.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            acc += (m + s * floats(a, i)) * (m + s * floats(b, i))
            i &+= 16
        }
        var r = acc.sum()
        while i < n {
            r += (mins[i] + scales[i] * Float(a[i])) * (mins[i] + scales[i] * Float(b[i]))
            i &+= 1
        }
        return r
    }

    /// `sum w_j (q_j - c_j)^2` with float `q`.
    @inline(__always) static func weightedL2(_ w: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ c: UnsafePointer<UInt8>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        let rw = UnsafeRawPointer(w), rq = UnsafeRawPointer(q)
        while i &+ 16 <= n {
            let diff = rq.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) - floats(c, i)
            acc += rw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * diff * diff
            i &+= 16
        }
        var r = acc.sum()
        while i < n {
            let diff = q[i] - Float(c[i])
            r += w[i] * diff * diff
            i &+= 1
        }
        return r
    }

    /// `sum w_j (a_j - b_j)^2` over two code vectors.
    @inline(__always) static func weightedL2Codes(_ w: UnsafePointer<Float>, _ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        let rw = UnsafeRawPointer(w)
        while i &+ 16 <= n {
            let diff = floats(a, i) - floats(b, i)
            acc += rw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * diff * diff
            i &+= 16
        }
        var r = acc.sum()
        while i < n {
            let diff = Float(a[i]) - Float(b[i])
            r += w[i] * diff * diff
            i &+= 1
        }
        return r
    }
}
