/// Sums over a subset of the rows of a row-major matrix whose row stride is a multiple of 8
/// (the L-BFGS-B pair storage, `BoundedLBFGS.Memory`): the rows are read in place, by index,
/// with 8-lane vectors, so nothing is gathered first.
enum RowKernels {
    /// `out[0 ..< stride] = Σ_a coefficient(a) · row(index[a])` for `a < count`.
    @inline(__always)
    static func combine(_ rows: UnsafePointer<Double>, stride: Int, _ index: UnsafePointer<Int>, _ count: Int,
                        into out: UnsafeMutablePointer<Double>, _ coefficient: (Int) -> Double) {
        let raw = UnsafeRawPointer(rows)
        @inline(__always) func load(_ a: Int, _ chunk: Int) -> SIMD8<Double> {
            raw.loadUnaligned(fromByteOffset: (index[a] &* stride &+ chunk) &* 8, as: SIMD8<Double>.self)
        }
        var chunk = 0
        while chunk < stride {
            // Two accumulators so consecutive rows' adds overlap.
            var even = SIMD8<Double>(), odd = SIMD8<Double>()
            var a = 0
            while a &+ 2 <= count {
                even += load(a, chunk) * SIMD8(repeating: coefficient(a))
                odd += load(a &+ 1, chunk) * SIMD8(repeating: coefficient(a &+ 1))
                a &+= 2
            }
            if a < count { even += load(a, chunk) * SIMD8(repeating: coefficient(a)) }
            UnsafeMutableRawPointer(out + chunk).storeBytes(of: even + odd, as: SIMD8<Double>.self)
            chunk &+= 8
        }
    }

    /// `out[a] = row(index[a]) · v` (all `stride` entries) for `a < count`.
    @inline(__always)
    static func dots(_ rows: UnsafePointer<Double>, stride: Int, _ index: UnsafePointer<Int>, _ count: Int,
                     _ v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let raw = UnsafeRawPointer(rows), rv = UnsafeRawPointer(v)
        for a in 0..<count {
            let base = index[a] &* stride &* 8
            var acc = SIMD8<Double>()
            var chunk = 0
            while chunk < stride {
                acc += raw.loadUnaligned(fromByteOffset: base &+ chunk &* 8, as: SIMD8<Double>.self)
                    * rv.loadUnaligned(fromByteOffset: chunk &* 8, as: SIMD8<Double>.self)
                chunk &+= 8
            }
            let four = acc.lowHalf + acc.highHalf, two = four.lowHalf + four.highHalf
            out[a] = two[0] + two[1]
        }
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
}
