/// Cholesky factorisation A = C·Cᵀ of a small symmetric positive definite matrix, in caller
/// storage, for the k×k blocks of the L-BFGS-B middle and subspace matrices (k ≤ the
/// memory, about 10): O(k³/6) to factor and O(k²) per solve, with no pivoting and no
/// allocation. Row-major, row stride n; only the lower triangle is read and written. The
/// reciprocals of C's diagonal are kept beside it, so the substitutions multiply instead
/// of dividing (a division's latency would sit on their dependency chain).
enum Cholesky {
    /// Factors `a` in place (C in the lower triangle, 1/Cᵢᵢ into `inverseDiagonal`).
    /// Returns false when a pivot is not positive, i.e. A is not numerically positive definite.
    static func factor(_ a: UnsafeMutablePointer<Double>, n: Int, inverseDiagonal: UnsafeMutablePointer<Double>) -> Bool {
        for j in 0..<n {
            let rowJ = a + j &* n
            var pivot = rowJ[j]
            for p in 0..<j { pivot -= rowJ[p] * rowJ[p] }
            guard pivot > 0, pivot.isFinite else { return false }
            let cjj = pivot.squareRoot(), inverse = 1 / cjj
            rowJ[j] = cjj
            inverseDiagonal[j] = inverse
            for i in (j + 1)..<max(j + 1, n) {
                let rowI = a + i &* n
                var s = rowI[j]
                for p in 0..<j { s -= rowI[p] * rowJ[p] }
                rowI[j] = s * inverse
            }
        }
        return true
    }

    /// b ← C⁻¹·b (forward substitution).
    static func forward(_ c: UnsafePointer<Double>, n: Int, inverseDiagonal: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>) {
        for i in 0..<n {
            let row = c + i &* n
            var s = b[i]
            for p in 0..<i { s -= row[p] * b[p] }
            b[i] = s * inverseDiagonal[i]
        }
    }

    /// b ← C⁻ᵀ·b (back substitution with the transpose).
    static func backward(_ c: UnsafePointer<Double>, n: Int, inverseDiagonal: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>) {
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            for p in (i + 1)..<max(i + 1, n) { s -= c[p &* n &+ i] * b[p] }
            b[i] = s * inverseDiagonal[i]
        }
    }

    /// b ← A⁻¹·b with the factor from `factor`.
    static func solve(_ c: UnsafePointer<Double>, n: Int, inverseDiagonal: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>) {
        forward(c, n: n, inverseDiagonal: inverseDiagonal, b)
        backward(c, n: n, inverseDiagonal: inverseDiagonal, b)
    }
}
