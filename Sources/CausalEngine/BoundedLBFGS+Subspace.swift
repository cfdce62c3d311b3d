extension BoundedLBFGS.Memory {
    /// Subspace minimisation over the variables free at the Cauchy point (direct primal
    /// method, Byrd et al. 1995 §5.1), then projection onto the box (Morales & Nocedal
    /// 2011) with a fall-back to the truncated step if the projection is not descent.
    /// Reads `xcp` and `c` from `cauchy`; writes the candidate into `xbar`. `x` and `g` are
    /// `paddedCount` long.
    func subspaceMinimum(x: UnsafePointer<Double>, g: UnsafePointer<Double>) {
        let xc = xcp
        xbar.baseAddress!.update(from: xc.baseAddress!, count: paddedCount)
        let k = count
        if k == 0 { return }
        let nFree = updateFreeGram()
        if nFree == 0 { return }
        let base = UnsafePointer(rows.baseAddress!), free = UnsafePointer(indices.baseAddress!)
        // r = Zᵀ(g + θ(xcp − x) − W M c)
        mTimes(c, into: mc)
        physical(from: mc.baseAddress!, into: rowSum.baseAddress!)
        let wmc = UnsafePointer(rowSum.baseAddress!), wtzr = rowSum.baseAddress! + stride
        RowKernels.combine(base, stride: stride, free, nFree, into: wtzr) { a in   // Wᵀ Z r, r formed on the way
            let i = free[a]
            let ra = g[i] + theta * (xc[i] - x[i]) - RowKernels.dot(base + i &* stride, wmc, stride: stride)
            r[a] = ra
            return ra
        }
        logical(from: wtzr, into: v.baseAddress!)
        // v = (I − M WᵀZZᵀW / θ)⁻¹ M WᵀZ r = K⁻¹ WᵀZ r with K = M⁻¹ − WᵀZZᵀW / θ.
        if !solveSubspaceSystem(v.baseAddress!) { return }
        physical(from: v.baseAddress!, into: rowSum.baseAddress!)
        RowKernels.dots(base, stride: stride, free, nFree, rowSum.baseAddress!, into: du.baseAddress!)   // (W v)ᵢ
        for a in 0..<nFree { du[a] = -r[a] / theta - du[a] / (theta * theta) }
        // Projected step (L-BFGS-B 3.0); keep it if it is a descent direction.
        for a in 0..<nFree { let i = free[a]; xbar[i] = min(max(xc[i] + du[a], lower[i]), upper[i]) }
        var dgLanes = SIMD8<Double>()
        for i in Swift.stride(from: 0, to: paddedCount, by: 8) {
            dgLanes += (VectorKernels.load8(xbar.baseAddress!, i) - VectorKernels.load8(x, i)) * VectorKernels.load8(g, i)
        }
        if dgLanes.sum() < 0 { return }
        // Otherwise truncate the unconstrained step at the first bound.
        var alpha = 1.0
        for a in 0..<nFree {
            let i = free[a]
            if du[a] > 0 && upper[i].isFinite { alpha = min(alpha, (upper[i] - xc[i]) / du[a]) }
            if du[a] < 0 && lower[i].isFinite { alpha = min(alpha, (lower[i] - xc[i]) / du[a]) }
        }
        xbar.baseAddress!.update(from: xc.baseAddress!, count: paddedCount)
        for a in 0..<nFree { let i = free[a]; xbar[i] = xc[i] + alpha * du[a] }
    }

    /// Lists the variables free at the Cauchy point in `indices` (returning how many) and
    /// brings `gram` = Σ over them of row·rowᵀ up to date, as Fortran L-BFGS-B's `formk`
    /// does: the rows of variables that entered or left the free set are added or removed,
    /// and only the slots rewritten since the last call are summed afresh. From scratch
    /// that is O(free · m²); kept up to date it is O(changes · m² + free · m) per iteration.
    func updateFreeGram() -> Int {
        let base = UnsafePointer(rows.baseAddress!), g = gram.baseAddress!, width = 2 * capacity
        let wasValid = gramIsValid
        var nFree = 0
        for i in Swift.stride(from: 0, to: paddedCount, by: 8) {
            let xv = VectorKernels.load8(xcp.baseAddress!, i)
            let isFree = (xv .> VectorKernels.load8(lower.baseAddress!, i)) .& (xv .< VectorKernels.load8(upper.baseAddress!, i))
            VectorKernels.appendLanes(isFree, base: i, to: indices.baseAddress!, count: &nFree)
            let bits = unsafeBitCast(isFree, to: SIMD8<Int64>.self)
            let was = UnsafeRawPointer(inGram.baseAddress! + i).loadUnaligned(as: SIMD8<Int64>.self)
            if wasValid && any(bits .!= was) {
                for lane in 0..<8 where bits[lane] != was[lane] {
                    RowKernels.addOuterProduct(base + (i + lane) &* stride, width: width, stride: stride,
                                               sign: bits[lane] != 0 ? 1 : -1, into: g)
                }
            }
            UnsafeMutableRawPointer(inGram.baseAddress! + i).storeBytes(of: bits, as: SIMD8<Int64>.self)
        }
        let free = UnsafePointer(indices.baseAddress!)
        // Rows `slot` and `capacity + slot` (the pair in that slot) of the Gram matrix summed
        // afresh over the free rows, and mirrored into the columns.
        for slot in 0..<capacity where !wasValid || staleSlots[slot] {
            let (ya, sa) = (slot, capacity + slot)
            RowKernels.combine2(base, stride: stride, free, nFree, into: g + ya &* stride, g + sa &* stride) { q in
                let row = base + free[q] &* stride
                return (row[ya], row[sa])
            }
            for b in 0..<width {
                g[b &* stride &+ ya] = g[ya &* stride &+ b]
                g[b &* stride &+ sa] = g[sa &* stride &+ b]
            }
            staleSlots[slot] = false
        }
        gramIsValid = true
        return nFree
    }

    /// Solves K·[a; b] = v in place for the subspace matrix
    ///     K = M⁻¹ − WᵀZZᵀW / θ = [[−D − YᵀZZᵀY / θ, Lᵀ − YᵀZZᵀS], [L − SᵀZZᵀY, θSᵀ(I − ZZᵀ)S]]
    /// by block elimination, as Fortran L-BFGS-B's `formk`: P = −K₁₁ is positive definite, and
    /// so is the Schur complement K₂₂ + K₁₂ᵀP⁻¹K₁₂; two k×k Cholesky factorisations instead of
    /// a pivoted 2k×2k elimination. Falls back to that elimination if either factorisation
    /// fails; returns false when K is singular.
    func solveSubspaceSystem(_ v: UnsafeMutablePointer<Double>) -> Bool {
        let k = count, kk = k * k
        let cp = system.baseAddress!, et = cp + kk, schur = et + kk
        let cpInverse = schur + kk, schurInverse = cpInverse + k   // reciprocal diagonals
        /// Entries of WᵀZZᵀW's blocks (physical Gram matrix) for logical pairs a, b.
        @inline(__always) func yy(_ a: Int, _ b: Int) -> Double { gram[slot(a) * stride + slot(b)] }
        @inline(__always) func ys(_ a: Int, _ b: Int) -> Double { gram[slot(a) * stride + capacity + slot(b)] }
        @inline(__always) func sSS(_ a: Int, _ b: Int) -> Double { gram[(capacity + slot(a)) * stride + capacity + slot(b)] }
        /// K₁₂[a][b] = L[b][a] − (YᵀZZᵀS)[a][b]; K₂₁ is its transpose.
        @inline(__always) func k12(_ a: Int, _ b: Int) -> Double { lowerSY[b * k + a] - ys(a, b) }
        for a in 0..<k {
            for b in 0..<k { cp[a * k + b] = (a == b ? curvatures[a] : 0) + yy(a, b) / theta }
        }
        var factored = Cholesky.factor(cp, n: k, inverseDiagonal: cpInverse)
        if factored {
            // E = C_P⁻¹ K₁₂, stored transposed (row b = column b); Schur = K₂₂ + EᵀE.
            for b in 0..<k {
                for a in 0..<k { et[b * k + a] = k12(a, b) }
                Cholesky.forward(cp, n: k, inverseDiagonal: cpInverse, et + b * k)
            }
            for i in 0..<k {
                for j in 0...i {
                    var sum = scaledSS[i * k + j] - theta * sSS(i, j)
                    for p in 0..<k { sum += et[i * k + p] * et[j * k + p] }
                    schur[i * k + j] = sum
                }
            }
            factored = Cholesky.factor(schur, n: k, inverseDiagonal: schurInverse)
        }
        if factored {
            // z = C_P⁻¹ p; b = Schur⁻¹ (q + Eᵀz); a = C_P⁻ᵀ (E b − z).
            let z = v, b = v + k
            Cholesky.forward(cp, n: k, inverseDiagonal: cpInverse, z)
            for i in 0..<k {
                var sum = 0.0
                for p in 0..<k { sum += et[i * k + p] * z[p] }
                b[i] += sum
            }
            Cholesky.solve(schur, n: k, inverseDiagonal: schurInverse, b)
            for p in 0..<k {
                var sum = -z[p]
                for i in 0..<k { sum += et[i * k + p] * b[i] }
                z[p] = sum
            }
            Cholesky.backward(cp, n: k, inverseDiagonal: cpInverse, z)
            return true
        }
        let k2 = 2 * k, full = system.baseAddress!
        for a in 0..<k {
            for b in 0..<k {
                full[a * k2 + b] = (a == b ? -curvatures[a] : 0) - yy(a, b) / theta
                full[a * k2 + k + b] = k12(a, b)
                full[(k + a) * k2 + b] = k12(b, a)
                full[(k + a) * k2 + k + b] = scaledSS[a * k + b] - theta * sSS(a, b)
            }
        }
        return !Matrix.eliminate(full, n: k2, v, m: 1)
    }
}
