/// LU factorisation with partial pivoting of a small dense square matrix, for repeated
/// solves (the L-BFGS-B middle matrix). O(n³/3) to factor, O(n²) per solve.
/// Both work in caller-owned storage, so the solver's per-iteration refactorisations and
/// solves allocate nothing.
enum LUFactorization {
    /// Factors the row-major n×n matrix `a` in place (unit-lower multipliers below the
    /// diagonal, U on and above it), recording the row permutation in `pivots`.
    /// Returns false when the matrix is singular.
    static func factor(_ a: UnsafeMutablePointer<Double>, n: Int, pivots: UnsafeMutablePointer<Int>) -> Bool {
        for i in 0..<n { pivots[i] = i }
        for col in 0..<n {
            var piv = col
            var best = abs(a[col &* n &+ col])
            for r in (col + 1)..<max(col + 1, n) where abs(a[r &* n &+ col]) > best { piv = r; best = abs(a[r &* n &+ col]) }
            if best < 1e-300 { return false }
            if piv != col {
                for j in 0..<n { swap(&a[col &* n &+ j], &a[piv &* n &+ j]) }
                swap(&pivots[col], &pivots[piv])
            }
            let d = a[col &* n &+ col]
            for r in (col + 1)..<max(col + 1, n) {
                let f = a[r &* n &+ col] / d
                a[r &* n &+ col] = f
                if f == 0 { continue }
                VectorKernels.axpy(n &- col &- 1, -f, a + (col &* n &+ col &+ 1), a + (r &* n &+ col &+ 1))
            }
        }
        return true
    }

    /// Solves A x = b with the factors from `factor`; `b` and `x` must not overlap.
    static func solve(_ lu: UnsafePointer<Double>, n: Int, pivots: UnsafePointer<Int>,
                      _ b: UnsafePointer<Double>, into x: UnsafeMutablePointer<Double>) {
        for i in 0..<n { x[i] = b[pivots[i]] }
        for i in 0..<n {
            var s = x[i]
            for k in 0..<i { s -= lu[i &* n &+ k] * x[k] }
            x[i] = s
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(i + 1, n) { s -= lu[i &* n &+ k] * x[k] }
            x[i] = s / lu[i &* n &+ i]
        }
    }
}
