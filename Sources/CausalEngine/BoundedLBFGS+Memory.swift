extension BoundedLBFGS {
    /// The limited-memory compact representation B = θI − W M Wᵀ, W = [Y  θS]
    /// (Byrd, Nocedal & Schnabel 1994), with the Cauchy-point and subspace steps.
    struct Memory {
        let n: Int
        let capacity: Int
        var s: [[Double]] = []
        var y: [[Double]] = []
        var theta = 1.0
        /// The middle matrix M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] (2k×2k) and its LU factors;
        /// M·v is applied as a solve with M⁻¹.
        var middle = Matrix(rows: 0, cols: 0)
        var middleLU: LUFactorization?
        /// Cached SᵀY (sy[i][j] = s_i·y_j) and SᵀS.
        var sy: [[Double]] = []
        var ss: [[Double]] = []

        /// Row i of [Y | S] stored contiguously at `i * 2 * capacity` (y block, then s block),
        /// so a row of W = [Y θS] is one cache-friendly read.
        var rows: [Double]
        /// Physical slot of the oldest pair in `rows`.
        var head = 0

        init(n: Int, capacity: Int) {
            self.n = n
            self.capacity = capacity
            rows = [Double](repeating: 0, count: n * 2 * capacity)
        }

        var count: Int { s.count }

        mutating func reset() {
            s.removeAll(); y.removeAll(); sy.removeAll(); ss.removeAll(); head = 0
            theta = 1; middle = Matrix(rows: 0, cols: 0); middleLU = nil
        }

        /// Adds a correction pair when the curvature sᵀy is safely positive.
        mutating func update(s sNew: [Double], y yNew: [Double]) {
            let curv = Memory.dot(sNew, yNew), yy = Memory.dot(yNew, yNew)
            guard curv > 2.220446049250313e-16 * yy, curv > 0 else { return }
            let stride = 2 * capacity
            if s.count == capacity {
                s.removeFirst(); y.removeFirst()
                sy.removeFirst(); ss.removeFirst()
                for i in sy.indices { sy[i].removeFirst(); ss[i].removeFirst() }
                head = (head + 1) % capacity          // ring buffer: the oldest slot is reused
            }
            s.append(sNew)
            y.append(yNew)
            let k = s.count
            let slot = (head + k - 1) % capacity
            rows.withUnsafeMutableBufferPointer { r in
                for i in 0..<n { r[i * stride + slot] = yNew[i]; r[i * stride + capacity + slot] = sNew[i] }
            }
            // All new inner products in one pass over the rows, vectorised across slots. Each
            // accumulator still sums over i in order, so results equal sequential dots bitwise.
            // Active physical slots are 0..<k (head is 0 until the buffer is full).
            var sDotY = [Double](repeating: 0, count: k)   // s_p · y_new
            var yDotS = [Double](repeating: 0, count: k)   // y_p · s_new
            var sDotS = [Double](repeating: 0, count: k)   // s_p · s_new
            rows.withUnsafeBufferPointer { r in
                sDotY.withUnsafeMutableBufferPointer { a in
                    yDotS.withUnsafeMutableBufferPointer { b in
                        sDotS.withUnsafeMutableBufferPointer { c in
                            for i in 0..<n {
                                let base = i * stride
                                let yi = yNew[i], si = sNew[i]
                                for q in 0..<k {
                                    let sv = r[base + capacity + q]
                                    a[q] += sv * yi
                                    b[q] += si * r[base + q]
                                    c[q] += sv * si
                                }
                            }
                        }
                    }
                }
            }
            let newest = slot
            func logical(_ q: Int) -> Int { (q - head + capacity) % capacity }
            var syRow = [Double](repeating: 0, count: k), ssRow = [Double](repeating: 0, count: k)
            for q in 0..<k {
                let j = logical(q)
                syRow[j] = yDotS[q]
                ssRow[j] = sDotS[q]
                if q != newest {
                    sy[j].append(sDotY[q])
                    ss[j].append(sDotS[q])
                }
            }
            sy.append(syRow)
            ss.append(ssRow)
            theta = yy / curv
            rebuildM()
        }

        /// Sequential dot product (left-to-right, like reference BLAS `ddot`). A reassociated
        /// SIMD sum was measured no faster here and changes the optimisation trajectory.
        private static func dot(_ a: [Double], _ b: [Double]) -> Double {
            var r = 0.0
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in for i in 0..<pa.count { r += pa[i] * pb[i] } } }
            return r
        }

        /// M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹ with D = diag(SᵀY), L = strictly lower part of SᵀY.
        private mutating func rebuildM() {
            let k = s.count
            var mid = Matrix(rows: 2 * k, cols: 2 * k)
            for i in 0..<k {
                for j in 0..<k {
                    let syij = sy[i][j]
                    if i == j { mid[i, j] = -syij }
                    if i > j { mid[k + i, j] = syij; mid[j, k + i] = syij }   // L and Lᵀ
                    if j >= i {
                        let ss = theta * self.ss[i][j]
                        mid[k + i, k + j] = ss
                        mid[k + j, k + i] = ss
                    }
                }
            }
            middle = mid
            middleLU = LUFactorization(mid)
            if middleLU == nil { reset() }
        }

        /// Row i of W = [Y θS] (length 2k).
        @inline(__always) func wRow(_ i: Int, into w: inout [Double]) {
            let k = s.count
            let b = i * 2 * capacity
            rows.withUnsafeBufferPointer { r in
                w.withUnsafeMutableBufferPointer { wp in
                    var slot = head
                    for j in 0..<k {
                        wp[j] = r[b + slot]; wp[k + j] = theta * r[b + capacity + slot]
                        slot += 1
                        if slot == capacity { slot = 0 }
                    }
                }
            }
        }

        /// M·v, computed as a solve with the factored middle matrix.
        func mTimes(_ v: [Double]) -> [Double] { middleLU?.solve(v) ?? v.map { _ in 0 } }

        /// Generalized Cauchy point (Byrd et al. 1995, Algorithm CP). Also leaves `c` = Wᵀ(xcp − x)
        /// in `lastC` for the subspace step.
        func cauchyPoint(x: [Double], g: [Double], lower: [Double], upper: [Double]) -> [Double] {
            cauchy(x: x, g: g, lower: lower, upper: upper).xcp
        }

        func cauchy(x: [Double], g: [Double], lower: [Double], upper: [Double]) -> (xcp: [Double], c: [Double]) {
            let k2 = 2 * s.count
            var d = [Double](repeating: 0, count: n)
            var breaks: [(Double, Int)] = []
            breaks.reserveCapacity(n)
            var xcp = x
            for i in 0..<n {
                let gi = g[i]
                var t = Double.infinity
                if gi < 0 { t = upper[i].isFinite ? (x[i] - upper[i]) / gi : .infinity }
                else if gi > 0 { t = lower[i].isFinite ? (x[i] - lower[i]) / gi : .infinity }
                if t > 0 { d[i] = -gi; if t.isFinite { breaks.append((t, i)) } }
            }
            var p = [Double](repeating: 0, count: k2)
            var w = [Double](repeating: 0, count: k2)
            var fp = 0.0
            for i in 0..<n where d[i] != 0 {
                fp -= d[i] * d[i]
                if k2 > 0 { wRow(i, into: &w); for j in 0..<k2 { p[j] += w[j] * d[i] } }
            }
            var c = [Double](repeating: 0, count: k2)
            if fp == 0 { return (x, c) }
            var mp = k2 > 0 ? mTimes(p) : []
            var mc = [Double](repeating: 0, count: k2)
            var fpp = -theta * fp - zip(p, mp).reduce(0) { $0 + $1.0 * $1.1 }
            let fpp0 = -theta * fp
            fpp = max(fpp, 2.220446049250313e-16 * fpp0)
            var dtMin = -fp / fpp
            var tOld = 0.0
            breaks.sort { $0.0 < $1.0 }
            var hit = [Bool](repeating: false, count: n)
            for (t, b) in breaks {
                let dt = t - tOld
                if dtMin < dt { break }
                let gb = g[b]
                let zb: Double
                if d[b] > 0 { xcp[b] = upper[b] } else { xcp[b] = lower[b] }
                zb = xcp[b] - x[b]
                hit[b] = true
                for j in 0..<k2 { c[j] += dt * p[j] }
                if k2 > 0 {
                    wRow(b, into: &w)
                    for j in 0..<k2 { mc[j] += dt * mp[j] }          // M c, kept in step with c
                    let mw = mTimes(w)
                    var wmc = 0.0, wmp = 0.0, wmw = 0.0
                    for j in 0..<k2 { wmc += w[j] * mc[j]; wmp += w[j] * mp[j]; wmw += w[j] * mw[j] }
                    fp += dt * fpp + gb * gb + theta * gb * zb - gb * wmc
                    fpp -= theta * gb * gb + 2 * gb * wmp + gb * gb * wmw
                    for j in 0..<k2 { p[j] += gb * w[j]; mp[j] += gb * mw[j] }
                } else {
                    fp += dt * fpp + gb * gb + theta * gb * zb
                    fpp -= theta * gb * gb
                }
                d[b] = 0
                fpp = max(fpp, 2.220446049250313e-16 * fpp0)
                dtMin = -fp / fpp
                tOld = t
                if fp >= 0 { dtMin = 0; break }
            }
            dtMin = max(dtMin, 0)
            tOld += dtMin
            for i in 0..<n where d[i] != 0 && !hit[i] {
                xcp[i] = min(max(x[i] + tOld * d[i], lower[i]), upper[i])
            }
            for j in 0..<k2 { c[j] += dtMin * p[j] }
            return (xcp, c)
        }

        /// `AᵀA` (width × width) of the row-major `rows × width` matrix stored with row
        /// stride `pitch`. Each entry sums its products over the rows in order, from 0, as
        /// the rank-one updates it replaces did (same bits); eight entries of a row at a time
        /// in registers, so the sums never go through memory. Upper triangle, mirrored.
        static func gram(_ a: [Double], rows: Int, width: Int, pitch: Int) -> Matrix {
            var out = Matrix(rows: width, cols: width)
            a.withUnsafeBufferPointer { pa in
                out.values.withUnsafeMutableBufferPointer { po in
                    let (src, dst) = (UnsafeRawPointer(pa.baseAddress!), po.baseAddress!)
                    for j in 0..<width {
                        var l = j
                        while l < width {
                            var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
                            for row in 0..<rows {
                                let base = row &* pitch
                                let wj = SIMD4<Double>(repeating: pa[base &+ j])
                                let offset = (base &+ l) &* 8
                                acc0 = acc0 + wj * src.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                                acc1 = acc1 + wj * src.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD4<Double>.self)
                            }
                            for lane in 0..<min(8, width &- l) {
                                let v = lane < 4 ? acc0[lane] : acc1[lane &- 4]
                                dst[j &* width &+ l &+ lane] = v
                                dst[(l &+ lane) &* width &+ j] = v
                            }
                            l &+= 8
                        }
                    }
                }
            }
            return out
        }

        /// Subspace minimisation over the variables free at the Cauchy point (direct primal
        /// method, Byrd et al. 1995 §5.1), then projection onto the box (Morales & Nocedal
        /// 2011) with a fall-back to the truncated step if the projection is not descent.
        func subspaceMinimum(x: [Double], g: [Double], xcp xc: [Double], c: [Double], lower: [Double], upper: [Double]) -> [Double] {
            let k = s.count
            if k == 0 { return xc }
            let k2 = 2 * k
            let free = (0..<n).filter { xc[$0] > lower[$0] && xc[$0] < upper[$0] }
            if free.isEmpty { return xc }
            // r = Zᵀ(g + θ(xcp − x) − W M c)
            let mc = mTimes(c)
            var w = [Double](repeating: 0, count: k2)
            var r = [Double](repeating: 0, count: free.count)
            var wtzr = [Double](repeating: 0, count: k2)     // Wᵀ Z r
            // Rows of W for the free variables, gathered (zero-padded so 8-lane reads past k2
            // stay inside the buffer).
            let pitch = (k2 + 7) / 8 * 8 + 8
            var gathered = [Double](repeating: 0, count: free.count * pitch)
            for (a, i) in free.enumerated() {
                wRow(i, into: &w)
                var wmc = 0.0
                for j in 0..<k2 { wmc += w[j] * mc[j] }
                r[a] = g[i] + theta * (xc[i] - x[i]) - wmc
                let ra = r[a]
                for j in 0..<k2 { wtzr[j] += w[j] * ra; gathered[a * pitch + j] = w[j] }
            }
            let wzzw = Memory.gram(gathered, rows: free.count, width: k2, pitch: pitch)   // Wᵀ Z Zᵀ W
            // v = (I − M WᵀZZᵀW / θ)⁻¹ M WᵀZ r = (M⁻¹ − WᵀZZᵀW / θ)⁻¹ WᵀZ r
            var nMat = middle
            for q in 0..<(k2 * k2) { nMat.values[q] -= wzzw.values[q] / theta }
            guard let v = nMat.solve(Matrix(rows: k2, cols: 1, values: wtzr)) else { return xc }
            var du = [Double](repeating: 0, count: free.count)
            for (a, i) in free.enumerated() {
                wRow(i, into: &w)
                var wv = 0.0
                for j in 0..<k2 { wv += w[j] * v.values[j] }
                du[a] = -r[a] / theta - wv / (theta * theta)
            }
            // Projected step (L-BFGS-B 3.0); keep it if it is a descent direction.
            var xbar = xc
            for (a, i) in free.enumerated() { xbar[i] = min(max(xc[i] + du[a], lower[i]), upper[i]) }
            var dg = 0.0
            for i in 0..<n { dg += (xbar[i] - x[i]) * g[i] }
            if dg < 0 { return xbar }
            // Otherwise truncate the unconstrained step at the first bound.
            var alpha = 1.0
            for (a, i) in free.enumerated() {
                if du[a] > 0 && upper[i].isFinite { alpha = min(alpha, (upper[i] - xc[i]) / du[a]) }
                if du[a] < 0 && lower[i].isFinite { alpha = min(alpha, (lower[i] - xc[i]) / du[a]) }
            }
            xbar = xc
            for (a, i) in free.enumerated() { xbar[i] = xc[i] + alpha * du[a] }
            return xbar
        }
    }
}
