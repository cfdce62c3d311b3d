extension BoundedLBFGS {
    /// The limited-memory compact representation B = θI − W M Wᵀ, W = [Y  θS]
    /// (Byrd, Nocedal & Schnabel 1994), with the Cauchy-point and subspace steps
    /// (`BoundedLBFGS+Cauchy.swift`, `BoundedLBFGS+Subspace.swift`).
    ///
    /// The pairs live in a ring of `capacity` physical slots, the oldest at `head`. Variable i
    /// owns one row `rows[i·stride ..< (i + 1)·stride]`: its y value in every slot, then its
    /// s value in every slot, then zeros up to a multiple of 8 doubles, so the sums over
    /// variables (Wᵀd, W·v, WᵀZZᵀW) run on whole rows with 8-lane vectors in slot order and
    /// only their 2k-long results are put in logical (oldest-first) order, with θ applied to
    /// the S half (`logical(from:into:)`, `physical(from:into:)`).
    ///
    /// The per-variable vectors (bounds, Cauchy point, candidate, direction, and the caller's
    /// x and g) are padded to `paddedCount`, a multiple of 8, with variables fixed at 0, so the
    /// O(n) passes run 8 lanes at a time with no tail. All storage is allocated once, so an
    /// iteration allocates nothing.
    final class Memory {
        let n: Int
        let paddedCount: Int
        let capacity: Int
        /// Doubles per variable row (2·capacity rounded up to a multiple of 8).
        let stride: Int
        /// Number of stored correction pairs.
        private(set) var count = 0
        private(set) var theta = 1.0
        /// Physical slot of the oldest pair.
        private(set) var head = 0
        let lower, upper: UnsafeMutableBufferPointer<Double>
        let rows: UnsafeMutableBufferPointer<Double>
        /// s_p·y_q and s_p·s_q at `p * capacity + q`, by physical slot.
        let sy, ss: UnsafeMutableBufferPointer<Double>
        /// The blocks of the middle matrix M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] in logical order (k×k,
        /// row stride k): D = diag(SᵀY), L = the strictly lower part of SᵀY, θSᵀS; and the
        /// Cholesky factor of T = θSᵀS + L D⁻¹ Lᵀ, through which M·v is applied (Byrd, Nocedal
        /// & Schnabel 1994 §4, Fortran L-BFGS-B `formt` / `bmv`).
        let curvatures, inverseCurvatures, lowerSY, scaledSS, tFactor, tInverseDiagonal: UnsafeMutableBufferPointer<Double>
        /// The generalized Cauchy point and c = Wᵀ(xcp − x), written by `cauchy`.
        let xcp, c: UnsafeMutableBufferPointer<Double>
        /// The subspace-step candidate, written by `subspaceMinimum`.
        let xbar: UnsafeMutableBufferPointer<Double>
        // Scratch: per variable (n), logical (2·capacity) and physical (stride) vectors.
        let dir, r, du: UnsafeMutableBufferPointer<Double>
        let p, mp, mc, w, mw, v, system: UnsafeMutableBufferPointer<Double>
        let rowSum: UnsafeMutableBufferPointer<Double>
        let indices: UnsafeMutableBufferPointer<Int>
        let breaks: UnsafeMutableBufferPointer<(Double, Int)>
        /// For each variable, the serial number of the newest stored pair whose s is nonzero
        /// there: the support of every stored s is where this is ≥ the oldest pair's serial.
        let lastMoved: UnsafeMutableBufferPointer<Int>
        private var pairsStored = 0
        /// WᵀZZᵀW kept up to date between iterations (`BoundedLBFGS+Subspace.swift`):
        /// Σ over `inGram` variables of row·rowᵀ (physical, stride × stride), the variables it
        /// covers, and the slots rewritten since it was last brought up to date.
        let gram: UnsafeMutableBufferPointer<Double>
        let inGram: UnsafeMutableBufferPointer<Int64>   // −1 in, 0 out: a SIMD mask's lanes
        let staleSlots: UnsafeMutableBufferPointer<Bool>
        var gramIsValid = false

        init(n: Int, capacity: Int, lower: [Double], upper: [Double]) {
            self.n = n
            paddedCount = (n + 7) / 8 * 8
            self.capacity = capacity
            stride = (2 * capacity + 7) / 8 * 8
            func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
                let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
                b.initialize(repeating: value)
                return b
            }
            let k2 = 2 * capacity
            let padded = paddedCount
            self.lower = buffer(padded, 0); _ = self.lower.initialize(from: lower)
            self.upper = buffer(padded, 0); _ = self.upper.initialize(from: upper)
            rows = buffer(n * stride, 0)
            sy = buffer(capacity * capacity, 0); ss = buffer(capacity * capacity, 0)
            curvatures = buffer(capacity, 0); inverseCurvatures = buffer(capacity, 0)
            lowerSY = buffer(capacity * capacity, 0); scaledSS = buffer(capacity * capacity, 0)
            tFactor = buffer(capacity * capacity, 0); tInverseDiagonal = buffer(capacity, 0)
            system = buffer(k2 * k2 + k2, 0)
            xcp = buffer(padded, 0); xbar = buffer(padded, 0); dir = buffer(padded, 0)
            r = buffer(n, 0); du = buffer(n, 0)
            c = buffer(k2, 0); p = buffer(k2, 0); mp = buffer(k2, 0); mc = buffer(k2, 0)
            w = buffer(k2, 0); mw = buffer(k2, 0); v = buffer(k2, 0)
            rowSum = buffer(2 * stride, 0)
            indices = buffer(padded, 0)
            breaks = buffer(n, (0, 0))
            lastMoved = buffer(n, -1)
            gram = buffer(stride * stride, 0)
            inGram = buffer(padded, 0)
            staleSlots = buffer(capacity, false)
        }

        deinit {
            for b in [lower, upper, rows, sy, ss, curvatures, inverseCurvatures, lowerSY, scaledSS, tFactor, tInverseDiagonal, system, xcp, xbar, dir, r, du,
                      c, p, mp, mc, w, mw, v, rowSum, gram] { b.deallocate() }
            indices.deallocate(); breaks.deallocate(); lastMoved.deallocate()
            inGram.deallocate(); staleSlots.deallocate()
        }

        func reset() { count = 0; head = 0; theta = 1; gramIsValid = false }

        /// Physical slot of the logical pair j (0 = oldest).
        @inline(__always) func slot(_ j: Int) -> Int {
            let s = head &+ j
            return s >= capacity ? s &- capacity : s
        }

        /// Adds the correction pair s = xNew − x, y = gNew − g when the curvature sᵀy is
        /// safely positive. The new inner products with the stored pairs only need the
        /// variables where some stored s is nonzero, usually a small part of n.
        /// The vectors are `paddedCount` long.
        func update(x: UnsafePointer<Double>, xNew: UnsafePointer<Double>, g: UnsafePointer<Double>, gNew: UnsafePointer<Double>) {
            var curvLanes = SIMD8<Double>(), yyLanes = SIMD8<Double>()
            for i in Swift.stride(from: 0, to: paddedCount, by: 8) {
                let sv = VectorKernels.load8(xNew, i) - VectorKernels.load8(x, i)
                let yv = VectorKernels.load8(gNew, i) - VectorKernels.load8(g, i)
                curvLanes += sv * yv; yyLanes += yv * yv
            }
            let curv = curvLanes.sum(), yy = yyLanes.sum()
            guard curv > 2.220446049250313e-16 * yy, curv > 0 else { return }
            if count == capacity { head = head + 1 == capacity ? 0 : head + 1 } else { count += 1 }   // the oldest slot is reused
            let k = count, slot = slot(k - 1)
            pairsStored += 1
            staleSlots[slot] = true
            let base = rows.baseAddress!
            // (The loops over all n are branch-free: which variables moved is unpredictable.)
            for i in 0..<n {
                let si = xNew[i] - x[i]
                base[i &* stride &+ slot] = gNew[i] - g[i]
                base[i &* stride &+ capacity &+ slot] = si
                lastMoved[i] = si != 0 ? pairsStored : lastMoved[i]
            }
            // s_q·y_new, y_q·s_new and s_q·s_new for every slot q, over the union of the
            // stored s supports: per variable, its row times y_new(i) and times s_new(i).
            let oldest = pairsStored - k + 1
            var support = 0
            for i in 0..<n { indices[support] = i; support &-= (oldest &- 1 &- lastMoved[i]) >> 63 }   // +1 when lastMoved ≥ oldest
            let bySNew = rowSum.baseAddress!, byYNew = rowSum.baseAddress! + stride
            RowKernels.combine2(base, stride: stride, indices.baseAddress!, support, into: bySNew, byYNew) { a in
                let row = base + indices[a] &* stride
                return (row[capacity &+ slot], row[slot])   // (s_new, y_new) of this variable
            }
            // bySNew: y_q·s_new, then s_q·s_new; byYNew: (y_q·y_new, unused), then s_q·y_new.
            for q in 0..<capacity {
                sy[slot * capacity + q] = bySNew[q]
                ss[slot * capacity + q] = bySNew[capacity + q]
                ss[q * capacity + slot] = bySNew[capacity + q]
                if q != slot { sy[q * capacity + slot] = byYNew[capacity + q] }
            }
            theta = yy / curv
            rebuildM()
        }

        /// Refreshes the middle matrix's blocks and factors T = θSᵀS + L D⁻¹ Lᵀ; a T that is
        /// not numerically positive definite drops the memory.
        private func rebuildM() {
            let k = count
            for i in 0..<k {
                let pi = slot(i)
                curvatures[i] = sy[pi * capacity + pi]
                inverseCurvatures[i] = 1 / curvatures[i]
                for j in 0..<k {
                    let pj = slot(j)
                    lowerSY[i * k + j] = i > j ? sy[pi * capacity + pj] : 0
                    scaledSS[i * k + j] = theta * ss[pi * capacity + pj]
                }
            }
            for i in 0..<k {
                for j in 0...i {
                    var t = scaledSS[i * k + j]
                    for p in 0..<j { t += lowerSY[i * k + p] * lowerSY[j * k + p] * inverseCurvatures[p] }
                    tFactor[i * k + j] = t
                }
            }
            if !Cholesky.factor(tFactor.baseAddress!, n: k, inverseDiagonal: tInverseDiagonal.baseAddress!) { reset() }
        }

        /// The logical 2k-vector of a physical slot-ordered one: out[j] = phys[slot(j)],
        /// out[k + j] = θ·phys[capacity + slot(j)]. Turns Σᵢ rowᵢ·zᵢ into Wᵀz.
        @inline(__always) func logical(from phys: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
            let k = count
            for j in 0..<k { let s = slot(j); out[j] = phys[s]; out[k &+ j] = theta * phys[capacity &+ s] }
        }

        /// The physical vector (zero in empty slots and padding) whose dot with row i is
        /// (W·v)ᵢ for the logical 2k-vector v.
        @inline(__always) func physical(from v: UnsafePointer<Double>, into phys: UnsafeMutablePointer<Double>) {
            let k = count
            for q in 0..<stride { phys[q] = 0 }
            for j in 0..<k { let s = slot(j); phys[s] = v[j]; phys[capacity &+ s] = theta * v[k &+ j] }
        }

        /// Row i of W = [Y θS] (length 2k, logical order) into `out`.
        @inline(__always) func wRow(_ i: Int, into out: UnsafeMutablePointer<Double>) {
            let k = count, row = UnsafePointer(rows.baseAddress!) + i &* stride
            for j in 0..<k { let s = slot(j); out[j] = row[s]; out[k &+ j] = theta * row[capacity &+ s] }
        }

        /// `out` = M·v: solves [[−D, Lᵀ], [L, θSᵀS]]·[a; b] = [p; q] (v = [p; q]) as
        /// T b = q + L D⁻¹ p, a = D⁻¹(Lᵀ b − p). O(k²).
        func mTimes(_ v: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
            let k = count
            let a = out.baseAddress!, b = a + k
            for j in 0..<k { a[j] = v[j] * inverseCurvatures[j] }   // D⁻¹ p, for now
            for i in 0..<k {
                var u = v[k + i]
                for j in 0..<i { u += lowerSY[i * k + j] * a[j] }
                b[i] = u
            }
            Cholesky.solve(tFactor.baseAddress!, n: k, inverseDiagonal: tInverseDiagonal.baseAddress!, b)
            for j in 0..<k {
                var s = -v[j]
                for i in (j + 1)..<max(j + 1, k) { s += lowerSY[i * k + j] * b[i] }
                a[j] = s * inverseCurvatures[j]
            }
        }
    }
}
