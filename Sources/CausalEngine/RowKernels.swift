/// Sums over a subset of the rows of a row-major matrix whose row stride is a multiple of 8
/// (the L-BFGS-B pair storage, `BoundedLBFGS.Memory`): the rows are read in place, by index,
/// with wide vectors, so nothing is gathered first.
///
/// The sums over rows hold up to 24 lanes of a row in registers (a 16-lane and an 8-lane
/// band, the whole row at the default memory of 10 pairs) and make one pass over the rows
/// per band: each row is read once, and the band's independent accumulators keep the adds
/// from waiting on each other.
enum RowKernels {
    /// `out[0 ..< stride] = Σ_a coefficient(a) · row(index[a])` for `a < count`.
    @inline(__always)
    static func combine(_ rows: UnsafePointer<Double>, stride: Int, _ index: UnsafePointer<Int>, _ count: Int,
                        into out: UnsafeMutablePointer<Double>, _ coefficient: (Int) -> Double) {
        bands(stride) { lane, wide in
            var acc16 = SIMD16<Double>(), acc8 = SIMD8<Double>()
            for a in 0..<count {
                let row = UnsafeRawPointer(rows + (index[a] &* stride &+ lane)), c = coefficient(a)
                if wide { acc16 += row.loadUnaligned(as: SIMD16<Double>.self) * SIMD16(repeating: c) }
                acc8 += row.loadUnaligned(fromByteOffset: wide ? 128 : 0, as: SIMD8<Double>.self) * SIMD8(repeating: c)
            }
            store(acc16, acc8, wide, out + lane)
        }
    }

    /// Two sums in one pass: `first = Σ_a c₁(a) · row(index[a])`, `second = Σ_a c₂(a) · row(index[a])`,
    /// with `(c₁, c₂) = coefficients(a)`.
    @inline(__always)
    static func combine2(_ rows: UnsafePointer<Double>, stride: Int, _ index: UnsafePointer<Int>, _ count: Int,
                         into first: UnsafeMutablePointer<Double>, _ second: UnsafeMutablePointer<Double>,
                         _ coefficients: (Int) -> (Double, Double)) {
        bands(stride) { lane, wide in
            var p16 = SIMD16<Double>(), p8 = SIMD8<Double>(), q16 = SIMD16<Double>(), q8 = SIMD8<Double>()
            for a in 0..<count {
                let row = UnsafeRawPointer(rows + (index[a] &* stride &+ lane)), (c1, c2) = coefficients(a)
                if wide {
                    let r16 = row.loadUnaligned(as: SIMD16<Double>.self)
                    p16 += r16 * SIMD16(repeating: c1); q16 += r16 * SIMD16(repeating: c2)
                }
                let r8 = row.loadUnaligned(fromByteOffset: wide ? 128 : 0, as: SIMD8<Double>.self)
                p8 += r8 * SIMD8(repeating: c1); q8 += r8 * SIMD8(repeating: c2)
            }
            store(p16, p8, wide, first + lane)
            store(q16, q8, wide, second + lane)
        }
    }

    /// `out[a] = row(index[a]) · v` (all `stride` entries) for `a < count`.
    @inline(__always)
    static func dots(_ rows: UnsafePointer<Double>, stride: Int, _ index: UnsafePointer<Int>, _ count: Int,
                     _ v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        for a in 0..<count { out[a] = dot(rows + index[a] &* stride, v, stride: stride) }
    }

    /// `row · v` over `stride` entries.
    @inline(__always)
    static func dot(_ row: UnsafePointer<Double>, _ v: UnsafePointer<Double>, stride: Int) -> Double {
        let rr = UnsafeRawPointer(row), rv = UnsafeRawPointer(v)
        var acc = SIMD8<Double>()
        var offset = 0
        while offset < stride &* 8 {
            acc += rr.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self) * rv.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
            offset &+= 64
        }
        let four = acc.lowHalf + acc.highHalf, two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// `matrix[a][0 ..< stride] += sign · row[a] · row` for `a < width` (row stride `stride`):
    /// adds (sign +1) or removes (−1) one row's outer product.
    @inline(__always)
    static func addOuterProduct(_ row: UnsafePointer<Double>, width: Int, stride: Int, sign: Double,
                                into matrix: UnsafeMutablePointer<Double>) {
        let rr = UnsafeRawPointer(row), rm = UnsafeMutableRawPointer(matrix)
        for a in 0..<width {
            let scale = SIMD8<Double>(repeating: sign * row[a])
            var chunk = 0
            while chunk < stride {
                let offset = (a &* stride &+ chunk) &* 8
                let updated = rm.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                    + scale * rr.loadUnaligned(fromByteOffset: chunk &* 8, as: SIMD8<Double>.self)
                rm.storeBytes(of: updated, toByteOffset: offset, as: SIMD8<Double>.self)
                chunk &+= 8
            }
        }
    }

    /// Splits a row of `stride` lanes into bands of 24 (16 + 8) lanes and, at the end, of 8
    /// lanes, and calls `body(lane, wide)` per band: `wide` bands have a 16-lane part at
    /// `lane`, and every band has an 8-lane part at `lane + (wide ? 16 : 0)`. A 16-lane end
    /// band is handled as two 8-lane ones.
    @inline(__always)
    private static func bands(_ stride: Int, _ body: (_ lane: Int, _ wide: Bool) -> Void) {
        var lane = 0
        while stride &- lane >= 24 { body(lane, true); lane &+= 24 }
        while lane < stride { body(lane, false); lane &+= 8 }
    }

    @inline(__always)
    private static func store(_ v16: SIMD16<Double>, _ v8: SIMD8<Double>, _ wide: Bool, _ out: UnsafeMutablePointer<Double>) {
        let raw = UnsafeMutableRawPointer(out)
        if wide { raw.storeBytes(of: v16, as: SIMD16<Double>.self) }
        raw.storeBytes(of: v8, toByteOffset: wide ? 128 : 0, as: SIMD8<Double>.self)
    }
}
