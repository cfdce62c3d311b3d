/// LU factorisation with partial pivoting of a small dense square matrix, for repeated
/// solves (the L-BFGS-B middle matrix). O(n³/3) to factor, O(n²) per solve.
struct LUFactorization: Sendable {
    let n: Int
    var lu: [Double]
    var pivots: [Int]

    /// nil when the matrix is singular.
    init?(_ a: Matrix) {
        n = a.rows
        lu = a.values
        pivots = Array(0..<n)
        for col in 0..<n {
            var piv = col
            var best = abs(lu[col * n + col])
            for r in (col + 1)..<max(col + 1, n) where abs(lu[r * n + col]) > best { piv = r; best = abs(lu[r * n + col]) }
            if best < 1e-300 { return nil }
            if piv != col {
                for j in 0..<n { lu.swapAt(col * n + j, piv * n + j) }
                pivots.swapAt(col, piv)
            }
            let d = lu[col * n + col]
            lu.withUnsafeMutableBufferPointer { p in
                let a = p.baseAddress!
                for r in (col + 1)..<max(col + 1, n) {
                    let f = a[r &* n &+ col] / d
                    a[r &* n &+ col] = f
                    if f == 0 { continue }
                    VectorKernels.axpy(n &- col &- 1, -f, a + (col &* n &+ col &+ 1), a + (r &* n &+ col &+ 1))
                }
            }
        }
    }

    /// Solves A x = b.
    func solve(_ b: [Double]) -> [Double] {
        var x = pivots.map { b[$0] }
        lu.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var s = x[i]
                for k in 0..<i { s -= p[i * n + k] * x[k] }
                x[i] = s
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = x[i]
                for k in (i + 1)..<max(i + 1, n) { s -= p[i * n + k] * x[k] }
                x[i] = s / p[i * n + i]
            }
        }
        return x
    }
}
