extension BoundedLBFGS.Memory {
    /// Generalized Cauchy point (Byrd et al. 1995, Algorithm CP) into `xcp`, with
    /// c = Wᵀ(xcp − x) into `c` for the subspace step. `x` and `g` are `paddedCount` long.
    func cauchy(x: UnsafePointer<Double>, g: UnsafePointer<Double>) {
        let k2 = 2 * count
        let d = dir
        // The projected steepest-descent direction d and the variables it moves (`indices`);
        // then the breakpoints of those with a finite bound ahead: the step length at which
        // each reaches it.
        var nMoving = 0
        var fpLanes = SIMD8<Double>()
        for i in Swift.stride(from: 0, to: paddedCount, by: 8) {
            let xv = VectorKernels.load8(x, i), gv = VectorKernels.load8(g, i)
            VectorKernels.store8(xv, xcp.baseAddress!, i)
            let moves = (gv .< 0 .& xv .< VectorKernels.load8(upper.baseAddress!, i))
                .| (gv .> 0 .& xv .> VectorKernels.load8(lower.baseAddress!, i))
            let dv = SIMD8<Double>().replacing(with: -gv, where: moves)
            VectorKernels.store8(dv, d.baseAddress!, i)
            fpLanes -= dv * dv
            VectorKernels.appendLanes(moves, base: i, to: indices.baseAddress!, count: &nMoving)
        }
        var fp = fpLanes.sum()
        var nBreaks = 0
        for a in 0..<nMoving {
            let i = indices[a], gi = g[i]
            let bound = gi < 0 ? upper[i] : lower[i]
            breaks[nBreaks] = ((x[i] - bound) / gi, i)
            // Counted from the bound, not from t (the next store would wait for the division),
            // and without a branch: the sign of g, hence which bound, is unpredictable.
            nBreaks &+= Int(unsafeBitCast(bound.isFinite, to: UInt8.self))
        }
        for j in 0..<k2 { c[j] = 0; mc[j] = 0 }
        if fp == 0 { return }
        if k2 > 0 {
            // p = Wᵀd over the moving rows, then M p.
            RowKernels.combine(rows.baseAddress!, stride: stride, indices.baseAddress!, nMoving, into: rowSum.baseAddress!) { a in
                d[indices[a]]
            }
            logical(from: rowSum.baseAddress!, into: p.baseAddress!)
            mTimes(p, into: mp)
        }
        var pmp = 0.0
        for j in 0..<k2 { pmp += p[j] * mp[j] }
        var fpp = -theta * fp - pmp
        let fpp0 = -theta * fp
        fpp = max(fpp, 2.220446049250313e-16 * fpp0)
        var dtMin = -fp / fpp
        var tOld = 0.0
        // Breakpoints in increasing (t, index) order, the order of a stable sort by t. The
        // search usually stops at the first, so that one is found by a scan (the first
        // smallest t in index order) and the rest become a heap only if the search goes on.
        let heap = breaks.baseAddress!
        var isFirst = true, isHeap = false
        while nBreaks > 0 {
            let next: (Double, Int)
            if isFirst {
                var m = 0
                for q in 1..<nBreaks where heap[q].0 < heap[m].0 { m = q }
                next = heap[m]
                nBreaks -= 1
                heap[m] = heap[nBreaks]
                isFirst = false
            } else {
                if !isHeap {
                    for q in Swift.stride(from: nBreaks / 2 - 1, through: 0, by: -1) { Self.siftDown(heap, count: nBreaks, from: q) }
                    isHeap = true
                }
                next = heap[0]
                nBreaks -= 1
                heap[0] = heap[nBreaks]
                Self.siftDown(heap, count: nBreaks, from: 0)
            }
            let (t, b) = next
            let dt = t - tOld
            if dtMin < dt { break }
            let gb = g[b]
            if d[b] > 0 { xcp[b] = upper[b] } else { xcp[b] = lower[b] }
            let zb = xcp[b] - x[b]
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
        for a in 0..<nMoving {
            let i = indices[a]
            if d[i] != 0 { xcp[i] = min(max(x[i] + tOld * d[i], lower[i]), upper[i]) }
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
}
