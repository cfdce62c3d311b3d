extension BoundedLBFGS {
    /// The limited-memory compact representation B = θI − W M Wᵀ, W = [Y  θS]
    /// (Byrd, Nocedal & Schnabel 1994), with the Cauchy-point and subspace steps.
    ///
    /// All storage (the pairs, their inner products, the middle matrix and its LU factors,
    /// and every per-iteration vector) is allocated once, so an iteration allocates nothing.
    /// Pairs live in a ring of `capacity` physical slots; the oldest is at `head`.
    final class Memory {
        let n: Int
        let capacity: Int
        /// Number of stored correction pairs.
        private(set) var count = 0
        private(set) var theta = 1.0
        /// Physical slot of the oldest pair.
        private var head = 0
        private let lower: UnsafeMutableBufferPointer<Double>
        private let upper: UnsafeMutableBufferPointer<Double>
        /// Row i of [Y | S] stored contiguously at `i * 2 * capacity` (y block, then s block),
        /// so a row of W = [Y θS] is one cache-friendly read; 4 doubles of padding at the end
        /// keep the 4-slot reads of `update` in bounds.
        private let rows: UnsafeMutableBufferPointer<Double>
        /// s_p·y_q and s_p·s_q at `p * capacity + q`, by physical slot.
        private let sy: UnsafeMutableBufferPointer<Double>
        private let ss: UnsafeMutableBufferPointer<Double>
        /// The middle matrix M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] (2k×2k, row stride 2k) and its LU
        /// factors; M·v is applied as a solve with M⁻¹.
        private let middle: UnsafeMutableBufferPointer<Double>
        private let lu: UnsafeMutableBufferPointer<Double>
        private let pivots: UnsafeMutableBufferPointer<Int>
        /// The generalized Cauchy point and c = Wᵀ(xcp − x), written by `cauchy`.
        let xcp: UnsafeMutableBufferPointer<Double>
        private let c: UnsafeMutableBufferPointer<Double>
        /// The subspace-step candidate, written by `subspaceMinimum`.
        let xbar: UnsafeMutableBufferPointer<Double>
        // Scratch, sized n or 2·capacity.
        private let sNew, yNew, dir, dMoving, r, du: UnsafeMutableBufferPointer<Double>
        private let w, p, mp, mc, mw, v: UnsafeMutableBufferPointer<Double>
        /// Rows of W for a subset of the variables (those moving in the Cauchy step, then the
        /// free ones), `pitch` apart (zero-padded so 8-lane reads past 2k stay inside the
        /// buffer), and the free rows' Gram matrix / the subspace system.
        private let gathered, wzzw, system: UnsafeMutableBufferPointer<Double>
        private let pitch: Int
        private let free: UnsafeMutableBufferPointer<Int>
        private let breaks: UnsafeMutableBufferPointer<(Double, Int)>

        init(n: Int, capacity: Int, lower: [Double], upper: [Double]) {
            self.n = n
            self.capacity = capacity
            func doubles(_ count: Int, from source: [Double] = []) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
                b.initialize(repeating: 0)
                _ = b.initialize(from: source)
                return b
            }
            let k2 = 2 * capacity, square = k2 * k2
            pitch = (k2 + 7) / 8 * 8 + 8
            self.lower = doubles(n, from: lower); self.upper = doubles(n, from: upper)
            rows = doubles(n * k2 + 4)
            sy = doubles(capacity * capacity); ss = doubles(capacity * capacity)
            middle = doubles(square); lu = doubles(square); wzzw = doubles(square); system = doubles(square)
            pivots = .allocate(capacity: k2); pivots.initialize(repeating: 0)
            xcp = doubles(n); xbar = doubles(n)
            sNew = doubles(n); yNew = doubles(n); dir = doubles(n); dMoving = doubles(n); r = doubles(n); du = doubles(n)
            c = doubles(k2); w = doubles(k2); p = doubles(k2); mp = doubles(k2); mc = doubles(k2)
            mw = doubles(k2); v = doubles(k2)
            gathered = doubles(n * pitch)
            free = .allocate(capacity: n); free.initialize(repeating: 0)
            breaks = .allocate(capacity: n); breaks.initialize(repeating: (0, 0))
        }

        deinit {
            for b in [lower, upper, rows, sy, ss, middle, lu, wzzw, system, xcp, xbar, sNew, yNew, dir, dMoving, r, du,
                      c, w, p, mp, mc, mw, v, gathered] { b.deallocate() }
            pivots.deallocate(); free.deallocate(); breaks.deallocate()
        }

        func reset() { count = 0; head = 0; theta = 1 }

        /// Adds the correction pair s = xNew − x, y = gNew − g when the curvature sᵀy is
        /// safely positive.
        func update(x: [Double], xNew: [Double], g: [Double], gNew: [Double]) {
            var curv = 0.0, yy = 0.0
            for i in 0..<n {
                let si = xNew[i] - x[i], yi = gNew[i] - g[i]
                sNew[i] = si; yNew[i] = yi
                curv += si * yi; yy += yi * yi
            }
            guard curv > 2.220446049250313e-16 * yy, curv > 0 else { return }
            if count == capacity { head = (head + 1) % capacity } else { count += 1 }   // the oldest slot is reused
            let k = count, stride = 2 * capacity
            let slot = (head + k - 1) % capacity
            for i in 0..<n { rows[i &* stride &+ slot] = yNew[i]; rows[i &* stride &+ capacity &+ slot] = sNew[i] }
            // All new inner products in one pass over the rows per 4 slots, vectorised across
            // slots. Each accumulator still sums over i in order, so results equal sequential
            // dots bitwise. Active physical slots are 0..<k (head is 0 until the buffer is full).
            let src = UnsafeRawPointer(rows.baseAddress!)
            var q0 = 0
            while q0 < k {
                var sDotY = SIMD4<Double>(), yDotS = SIMD4<Double>(), sDotS = SIMD4<Double>()
                for i in 0..<n {
                    let base = (i &* stride &+ q0) &* 8
                    let yv = src.loadUnaligned(fromByteOffset: base, as: SIMD4<Double>.self)
                    let sv = src.loadUnaligned(fromByteOffset: base &+ capacity &* 8, as: SIMD4<Double>.self)
                    let yi = SIMD4<Double>(repeating: yNew[i]), si = SIMD4<Double>(repeating: sNew[i])
                    sDotY = sDotY + sv * yi      // s_q · y_new
                    yDotS = yDotS + si * yv      // y_q · s_new
                    sDotS = sDotS + sv * si      // s_q · s_new
                }
                for lane in 0..<min(4, k - q0) {
                    let q = q0 + lane
                    sy[slot * capacity + q] = yDotS[lane]
                    if q != slot { sy[q * capacity + slot] = sDotY[lane] }
                    ss[slot * capacity + q] = sDotS[lane]
                    ss[q * capacity + slot] = sDotS[lane]
                }
                q0 += 4
            }
            theta = yy / curv
            rebuildM()
        }

        /// M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹ with D = diag(SᵀY), L = strictly lower part of SᵀY
        /// (logical order, oldest pair first).
        private func rebuildM() {
            let k = count, k2 = 2 * k
            for q in 0..<(k2 * k2) { middle[q] = 0 }
            for i in 0..<k {
                let pi = (head + i) % capacity
                for j in 0..<k {
                    let pj = (head + j) % capacity
                    let syij = sy[pi * capacity + pj]
                    if i == j { middle[i * k2 + j] = -syij }
                    if i > j { middle[(k + i) * k2 + j] = syij; middle[j * k2 + k + i] = syij }   // L and Lᵀ
                    if j >= i {
                        let ssij = theta * ss[pi * capacity + pj]
                        middle[(k + i) * k2 + k + j] = ssij
                        middle[(k + j) * k2 + k + i] = ssij
                    }
                }
            }
            for q in 0..<(k2 * k2) { lu[q] = middle[q] }
            if !LUFactorization.factor(lu.baseAddress!, n: k2, pivots: pivots.baseAddress!) { reset() }
        }

        /// Row i of W = [Y θS] (length 2k) into `out`: the ring of slots read as its two
        /// contiguous runs, oldest first, two slots at a time.
        @inline(__always) private func wRow(_ i: Int, into out: UnsafeMutablePointer<Double>) {
            let k = count, th = theta, h = head, cap = capacity
            let first = min(k, cap &- h)
            /// out[j] = y[j], out[k + j] = θ·s[j] for j < length, where s = y + capacity.
            @inline(__always) func run(_ y: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ length: Int) {
                let (ry, rs, ro) = (UnsafeRawPointer(y), UnsafeRawPointer(y + cap), UnsafeMutableRawPointer(out))
                let thv = SIMD2<Double>(repeating: th), sOffset = k &* 8
                var j = 0
                while j &+ 2 <= length {
                    let o = j &* 8
                    ro.storeBytes(of: ry.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self), toByteOffset: o, as: SIMD2<Double>.self)
                    ro.storeBytes(of: thv * rs.loadUnaligned(fromByteOffset: o, as: SIMD2<Double>.self), toByteOffset: sOffset &+ o, as: SIMD2<Double>.self)
                    j &+= 2
                }
                if j < length { out[j] = y[j]; out[k &+ j] = th * y[cap &+ j] }
            }
            let y = UnsafePointer(rows.baseAddress!) + i &* 2 &* cap
            run(y + h, out, first)
            run(y, out + first, k &- first)
        }

        /// `out` = M·v, as a solve with the factored middle matrix.
        @inline(__always) private func mTimes(_ v: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
            LUFactorization.solve(lu.baseAddress!, n: 2 * count, pivots: pivots.baseAddress!, v.baseAddress!, into: out.baseAddress!)
        }

        /// Generalized Cauchy point (Byrd et al. 1995, Algorithm CP) into `xcp`, with
        /// c = Wᵀ(xcp − x) into `c` for the subspace step.
        func cauchy(x: UnsafeBufferPointer<Double>, g: UnsafeBufferPointer<Double>) {
            let k2 = 2 * count
            let d = dir
            var nBreaks = 0
            for i in 0..<n {
                xcp[i] = x[i]
                d[i] = 0
                let gi = g[i]
                var t = Double.infinity
                if gi < 0 { t = upper[i].isFinite ? (x[i] - upper[i]) / gi : .infinity }
                else if gi > 0 { t = lower[i].isFinite ? (x[i] - lower[i]) / gi : .infinity }
                if t > 0 { d[i] = -gi; if t.isFinite { breaks[nBreaks] = (t, i); nBreaks += 1 } }
            }
            for j in 0..<k2 { c[j] = 0; mc[j] = 0 }
            // p = Wᵀd: the rows of W with d ≠ 0 gathered, then column sums in index order.
            var fp = 0.0, nMoving = 0
            for i in 0..<n where d[i] != 0 {
                fp -= d[i] * d[i]
                if k2 > 0 { wRow(i, into: gathered.baseAddress! + nMoving &* pitch); dMoving[nMoving] = d[i]; nMoving += 1 }
            }
            VectorKernels.columnSums(gathered.baseAddress!, count: nMoving, width: k2, pitch: pitch, dMoving.baseAddress!, into: p.baseAddress!)
            if fp == 0 { return }
            if k2 > 0 { mTimes(p, into: mp) }
            var pmp = 0.0
            for j in 0..<k2 { pmp += p[j] * mp[j] }
            var fpp = -theta * fp - pmp
            let fpp0 = -theta * fp
            fpp = max(fpp, 2.220446049250313e-16 * fpp0)
            var dtMin = -fp / fpp
            var tOld = 0.0
            // Breakpoints in increasing (t, index) order, i.e. the order of a stable sort by t,
            // popped lazily from a binary heap: the search usually stops after a few.
            let heap = breaks.baseAddress!
            for i in stride(from: nBreaks / 2 - 1, through: 0, by: -1) { Memory.siftDown(heap, count: nBreaks, from: i) }
            while nBreaks > 0 {
                let (t, b) = heap[0]
                nBreaks -= 1
                heap[0] = heap[nBreaks]
                Memory.siftDown(heap, count: nBreaks, from: 0)
                let dt = t - tOld
                if dtMin < dt { break }
                let gb = g[b]
                let zb: Double
                if d[b] > 0 { xcp[b] = upper[b] } else { xcp[b] = lower[b] }
                zb = xcp[b] - x[b]
                for j in 0..<k2 { c[j] += dt * p[j] }
                if k2 > 0 {
                    wRow(b, into: w.baseAddress!)
                    for j in 0..<k2 { mc[j] += dt * mp[j] }          // M c, kept in step with c
                    mTimes(w, into: mw)
                    var wmc = 0.0, wmp = 0.0, wmw = 0.0
                    for j in 0..<k2 { wmc += w[j] * mc[j]; wmp += w[j] * mp[j]; wmw += w[j] * mw[j] }
                    fp += dt * fpp + gb * gb + theta * gb * zb - gb * wmc
                    fpp -= theta * gb * gb + 2 * gb * wmp + gb * gb * wmw
                    for j in 0..<k2 { p[j] += gb * w[j]; mp[j] += gb * mw[j] }
                } else {
                    fp += dt * fpp + gb * gb + theta * gb * zb
                    fpp -= theta * gb * gb
                }
                d[b] = 0   // also marks b as placed on its bound
                fpp = max(fpp, 2.220446049250313e-16 * fpp0)
                dtMin = -fp / fpp
                tOld = t
                if fp >= 0 { dtMin = 0; break }
            }
            dtMin = max(dtMin, 0)
            tOld += dtMin
            for i in 0..<n where d[i] != 0 {
                xcp[i] = min(max(x[i] + tOld * d[i], lower[i]), upper[i])
            }
            for j in 0..<k2 { c[j] += dtMin * p[j] }
        }

        /// Restores the min-heap order by (t, index) below `start`.
        private static func siftDown(_ heap: UnsafeMutablePointer<(Double, Int)>, count: Int, from start: Int) {
            func before(_ a: (Double, Int), _ b: (Double, Int)) -> Bool { a.0 < b.0 || (a.0 == b.0 && a.1 < b.1) }
            var i = start
            let item = heap[i]
            while true {
                var child = 2 &* i &+ 1
                if child >= count { break }
                if child &+ 1 < count && before(heap[child &+ 1], heap[child]) { child &+= 1 }
                if !before(heap[child], item) { break }
                heap[i] = heap[child]
                i = child
            }
            heap[i] = item
        }

        /// `AᵀA` (width × width, row-major into `out`) of the row-major `rows × width` matrix
        /// stored with row stride `pitch`, width even. Each entry sums its products over the
        /// rows in order, from 0, as the rank-one updates it replaces did (same bits). A tile of
        /// two result rows × eight columns (four at the end of a row) stays in registers:
        /// eight independent accumulators, enough to hide the add latency. Upper triangle,
        /// mirrored.
        static func gram(_ a: UnsafePointer<Double>, rows: Int, width: Int, pitch: Int, into out: UnsafeMutablePointer<Double>) {
            let src = UnsafeRawPointer(a)
            @inline(__always) func tile<V: SIMD>(_: V.Type, _ j: Int, _ l: Int) where V.Scalar == Double {
                var accJ = V(), accJ1 = V()
                for row in 0..<rows {
                    let base = row &* pitch
                    let wl = src.loadUnaligned(fromByteOffset: (base &+ l) &* 8, as: V.self)
                    accJ = accJ + V(repeating: a[base &+ j]) * wl
                    accJ1 = accJ1 + V(repeating: a[base &+ j &+ 1]) * wl
                }
                for lane in 0..<min(V.scalarCount, width &- l) {
                    let col = l &+ lane
                    out[j &* width &+ col] = accJ[lane]; out[col &* width &+ j] = accJ[lane]
                    out[(j &+ 1) &* width &+ col] = accJ1[lane]; out[col &* width &+ j &+ 1] = accJ1[lane]
                }
            }
            var j = 0
            while j < width {
                var l = j
                while l < width {
                    if width &- l > 4 { tile(SIMD8<Double>.self, j, l); l &+= 8 } else { tile(SIMD4<Double>.self, j, l); l &+= 4 }
                }
                j &+= 2
            }
        }

        /// Subspace minimisation over the variables free at the Cauchy point (direct primal
        /// method, Byrd et al. 1995 §5.1), then projection onto the box (Morales & Nocedal
        /// 2011) with a fall-back to the truncated step if the projection is not descent.
        /// Reads `xcp` and `c` from `cauchy`; writes the candidate into `xbar`.
        func subspaceMinimum(x: UnsafeBufferPointer<Double>, g: UnsafeBufferPointer<Double>) {
            let xc = xcp
            for i in 0..<n { xbar[i] = xc[i] }
            let k = count
            if k == 0 { return }
            let k2 = 2 * k
            var nFree = 0
            for i in 0..<n where xc[i] > lower[i] && xc[i] < upper[i] { free[nFree] = i; nFree += 1 }
            if nFree == 0 { return }
            // r = Zᵀ(g + θ(xcp − x) − W M c)
            mTimes(c, into: mc)
            let rowsZ = gathered.baseAddress!
            for a in 0..<nFree { wRow(free[a], into: rowsZ + a &* pitch) }
            VectorKernels.rowDots(rowsZ, count: nFree, width: k2, pitch: pitch, mc.baseAddress!, into: r.baseAddress!)   // (W M c)ᵢ
            for a in 0..<nFree { let i = free[a]; r[a] = g[i] + theta * (xc[i] - x[i]) - r[a] }
            VectorKernels.columnSums(rowsZ, count: nFree, width: k2, pitch: pitch, r.baseAddress!, into: v.baseAddress!)   // Wᵀ Z r
            Memory.gram(rowsZ, rows: nFree, width: k2, pitch: pitch, into: wzzw.baseAddress!)   // Wᵀ Z Zᵀ W
            // v = (I − M WᵀZZᵀW / θ)⁻¹ M WᵀZ r = (M⁻¹ − WᵀZZᵀW / θ)⁻¹ WᵀZ r
            for q in 0..<(k2 * k2) { system[q] = middle[q] - wzzw[q] / theta }
            if Matrix.eliminate(system.baseAddress!, n: k2, v.baseAddress!, m: 1) { return }
            VectorKernels.rowDots(rowsZ, count: nFree, width: k2, pitch: pitch, v.baseAddress!, into: du.baseAddress!)   // (W v)ᵢ
            for a in 0..<nFree { du[a] = -r[a] / theta - du[a] / (theta * theta) }
            // Projected step (L-BFGS-B 3.0); keep it if it is a descent direction.
            for a in 0..<nFree { let i = free[a]; xbar[i] = min(max(xc[i] + du[a], lower[i]), upper[i]) }
            var dg = 0.0
            for i in 0..<n { dg += (xbar[i] - x[i]) * g[i] }
            if dg < 0 { return }
            // Otherwise truncate the unconstrained step at the first bound.
            var alpha = 1.0
            for a in 0..<nFree {
                let i = free[a]
                if du[a] > 0 && upper[i].isFinite { alpha = min(alpha, (upper[i] - xc[i]) / du[a]) }
                if du[a] < 0 && lower[i].isFinite { alpha = min(alpha, (lower[i] - xc[i]) / du[a]) }
            }
            for i in 0..<n { xbar[i] = xc[i] }
            for a in 0..<nFree { let i = free[a]; xbar[i] = xc[i] + alpha * du[a] }
        }
    }
}
