/// The few dense loops the solvers spend their time in, written with explicit SIMD so they
/// vectorise whatever the compiler can prove about aliasing.
enum VectorKernels {
    /// `y[i] += a · x[i]` for `i < n`. With `−a` it is the elimination step `y[i] −= a · x[i]`
    /// bit for bit (negation is exact, and `y + (−p) = y − p` in IEEE arithmetic).
    @inline(__always)
    static func axpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        var i = 0
        let av = SIMD4<Double>(repeating: a)
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        while i &+ 4 <= n {
            let offset = i &* 8
            let v = ry.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                + av * rx.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            ry.storeBytes(of: v, toByteOffset: offset, as: SIMD4<Double>.self)
            i &+= 4
        }
        while i < n { y[i] += a * x[i]; i &+= 1 }
    }

    /// One row of a matrix product: `c[j] = Σ_p a[p]·b[p·ldb + j]` for `j < m`, over p ascending
    /// from 0, skipping `a[p] = 0` (as repeated `axpy` would). Columns go in pairs of bands
    /// (16+8, 16+4, …, 2+2) whose sums stay in registers for the whole pass over p, two bands
    /// per pass for more independent adds; the last 0–3 columns are plain loops.
    @inline(__always)
    static func productRow(_ k: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ ldb: Int,
                           _ c: UnsafeMutablePointer<Double>, _ m: Int) {
        @inline(__always) func bands<V: SIMD, U: SIMD>(_: V.Type, _: U.Type, _ j: Int) where V.Scalar == Double, U.Scalar == Double {
            var accV = V(), accU = U()
            let rb = UnsafeRawPointer(b + j), offsetU = V.scalarCount &* 8
            for p in 0..<k {
                let av = a[p]
                if av == 0 { continue }
                let offset = p &* ldb &* 8
                accV = accV + V(repeating: av) * rb.loadUnaligned(fromByteOffset: offset, as: V.self)
                accU = accU + U(repeating: av) * rb.loadUnaligned(fromByteOffset: offset &+ offsetU, as: U.self)
            }
            let out = UnsafeMutableRawPointer(c + j)
            out.storeBytes(of: accV, as: V.self)
            out.storeBytes(of: accU, toByteOffset: offsetU, as: U.self)
        }
        var j = 0
        while m &- j >= 4 {
            switch m &- j {
            case 24...: bands(SIMD16<Double>.self, SIMD8<Double>.self, j); j &+= 24
            case 20...: bands(SIMD16<Double>.self, SIMD4<Double>.self, j); j &+= 20
            case 18...: bands(SIMD16<Double>.self, SIMD2<Double>.self, j); j &+= 18
            case 12...: bands(SIMD8<Double>.self, SIMD4<Double>.self, j); j &+= 12
            case 10...: bands(SIMD8<Double>.self, SIMD2<Double>.self, j); j &+= 10
            case 6...: bands(SIMD4<Double>.self, SIMD2<Double>.self, j); j &+= 6
            default: bands(SIMD2<Double>.self, SIMD2<Double>.self, j); j &+= 4
            }
        }
        if j < m {
            for jj in j..<m { c[jj] = 0 }
            for p in 0..<k {
                let av = a[p]
                if av == 0 { continue }
                for jj in j..<m { c[jj] += av * b[p &* ldb &+ jj] }
            }
        }
    }

    /// `y[i] = y[i] ⊕ x[i]` lane-wise for `i < n`, with `⊕` one of `+`, `-`, `*`.
    @inline(__always)
    static func combine(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                        _ op: (SIMD4<Double>, SIMD4<Double>) -> SIMD4<Double>, _ scalar: (Double, Double) -> Double) {
        var i = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        while i &+ 4 <= n {
            let offset = i &* 8
            let v = op(ry.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self),
                       rx.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self))
            ry.storeBytes(of: v, toByteOffset: offset, as: SIMD4<Double>.self)
            i &+= 4
        }
        while i < n { y[i] = scalar(y[i], x[i]); i &+= 1 }
    }

    /// `y[i] *= a` for `i < n`.
    @inline(__always)
    static func scale(_ n: Int, _ a: Double, _ y: UnsafeMutablePointer<Double>) {
        var i = 0
        let av = SIMD4<Double>(repeating: a)
        let ry = UnsafeMutableRawPointer(y)
        while i &+ 4 <= n {
            let offset = i &* 8
            ry.storeBytes(of: ry.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self) * av, toByteOffset: offset, as: SIMD4<Double>.self)
            i &+= 4
        }
        while i < n { y[i] *= a; i &+= 1 }
    }

    // Eight lanes at a time over the L-BFGS-B per-variable vectors, whose buffers are padded
    // to a multiple of 8 (`BoundedLBFGS.Memory.paddedCount`), so there are no tails.

    @inline(__always)
    static func load8(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD8<Double> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Double>.self)
    }

    @inline(__always)
    static func store8(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD8<Double>.self)
    }

    /// `v` clamped lane-wise to [lower, upper] (a select per bound; the generic
    /// `pointwiseMin/Max` are not inlined).
    @inline(__always)
    static func clamp8(_ v: SIMD8<Double>, _ lower: SIMD8<Double>, _ upper: SIMD8<Double>) -> SIMD8<Double> {
        let below = v.replacing(with: upper, where: v .> upper)
        return below.replacing(with: lower, where: below .< lower)
    }

    /// Appends `base + lane` to `indices` for every lane set in `mask`, without branches
    /// (every lane is written; only the set ones advance `count`): which variables move or
    /// are free changes unpredictably, so branching on it would mispredict often.
    @inline(__always)
    static func appendLanes(_ mask: SIMDMask<SIMD8<Int64>>, base: Int, to indices: UnsafeMutablePointer<Int>, count: inout Int) {
        let bits = unsafeBitCast(mask, to: SIMD8<Int64>.self)   // −1 for a set lane, 0 otherwise
        for lane in 0..<8 {
            indices[count] = base &+ lane
            count &-= Int(bits[lane])
        }
    }
}
