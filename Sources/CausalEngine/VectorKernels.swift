/// The few dense loops the solvers spend their time in, written with explicit SIMD so they
/// vectorise whatever the compiler can prove about aliasing. Every lane does the same
/// IEEE multiply and add, in the same order per element, as the plain scalar loop, so
/// results are bit-for-bit those of the scalar code (no fused multiply-add, no
/// reassociation); the NOTEARS trajectory depends on that.
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

    /// `out[a] = Σ_j rows[a·pitch + j]·v[j]` for `a < count`, each summed over j ascending
    /// from 0 like the scalar loop; four rows at a time in SIMD lanes, so their add
    /// latencies overlap instead of forming one chain per row.
    static func rowDots(_ rows: UnsafePointer<Double>, count: Int, width: Int, pitch: Int,
                        _ v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        var a = 0
        while a &+ 4 <= count {
            let r0 = rows + a &* pitch, r1 = r0 + pitch, r2 = r1 + pitch, r3 = r2 + pitch
            var acc = SIMD4<Double>()
            for j in 0..<width { acc = acc + SIMD4(r0[j], r1[j], r2[j], r3[j]) * SIMD4(repeating: v[j]) }
            for lane in 0..<4 { out[a &+ lane] = acc[lane] }
            a &+= 4
        }
        while a < count {
            let r = rows + a &* pitch
            var s = 0.0
            for j in 0..<width { s += r[j] * v[j] }
            out[a] = s
            a &+= 1
        }
    }

    /// `out[j] = Σ_a rows[a·pitch + j]·w[a]` for `j < width`, each summed over a ascending
    /// from 0 like repeated `axpy`, in column bands of 16, 8, 4, 2 (then one) held in registers.
    static func columnSums(_ rows: UnsafePointer<Double>, count: Int, width: Int, pitch: Int,
                           _ w: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        @inline(__always) func band<V: SIMD>(_: V.Type, _ j: Int) where V.Scalar == Double {
            var acc = V()
            let src = UnsafeRawPointer(rows + j)
            for a in 0..<count { acc = acc + src.loadUnaligned(fromByteOffset: a &* pitch &* 8, as: V.self) * V(repeating: w[a]) }
            UnsafeMutableRawPointer(out + j).storeBytes(of: acc, as: V.self)
        }
        var j = 0
        while j &+ 16 <= width { band(SIMD16<Double>.self, j); j &+= 16 }
        if j &+ 8 <= width { band(SIMD8<Double>.self, j); j &+= 8 }
        if j &+ 4 <= width { band(SIMD4<Double>.self, j); j &+= 4 }
        if j &+ 2 <= width { band(SIMD2<Double>.self, j); j &+= 2 }
        if j < width {
            var s = 0.0
            for a in 0..<count { s += rows[a &* pitch &+ j] * w[a] }
            out[j] = s
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
}
