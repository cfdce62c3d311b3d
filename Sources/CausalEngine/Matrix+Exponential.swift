import Foundation

extension Matrix {
    /// Matrix exponential by scaling and squaring with a [13/13] Padé approximant
    /// (Higham 2005, "The scaling and squaring method for the matrix exponential revisited";
    /// the algorithm behind `scipy.linalg.expm`). Lower-degree approximants (3, 5, 7, 9) are
    /// used when the 1-norm is small enough. O(n³) per multiplication, ~6–10 + s products.
    public func exponential() -> Matrix {
        precondition(rows == cols, "exponential needs a square matrix")
        let n = rows
        if n == 0 { return self }
        var norm1 = 0.0   // max column sum
        for j in 0..<n {
            var s = 0.0
            for i in 0..<n { s += abs(values[i &* n &+ j]) }
            norm1 = max(norm1, s)
        }
        let theta: [(Int, Double)] = [(3, 1.495585217958292e-2), (5, 2.539398330063230e-1),
                                      (7, 9.504178996162932e-1), (9, 2.097847961257068e0)]
        for (m, t) in theta where norm1 <= t { return padeLow(m) }
        let theta13 = 5.371920351148152
        var s = 0
        if norm1 > theta13 { s = max(0, Int(ceil(log2(norm1 / theta13)))) }
        let a = s > 0 ? pow(2.0, -Double(s)) * self : self
        var r = a.pade13()
        for _ in 0..<s { r = r * r }
        return r
    }

    // The Padé sums below are formed element by element in one pass, each element with
    // exactly the scalar operations, in the same order, of the whole-matrix expressions
    // they stand for (`b₀I + b₂A² + …` left to right), so results are bit-for-bit those
    // expressions' without their temporaries.

    private func padeLow(_ m: Int) -> Matrix {
        let b: [Double]
        switch m {
        case 3: b = [120, 60, 12, 1]
        case 5: b = [30240, 15120, 3360, 420, 30, 1]
        case 7: b = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1]
        default: b = [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1]
        }
        let n = rows
        let a2 = self * self
        var powers = [Matrix.identity(n), a2]
        while powers.count <= m / 2 { powers.append(powers.last! * a2) }
        // u = Σₖ b₂ₖ₊₁ A²ᵏ, v = Σₖ b₂ₖ A²ᵏ, each summed from 0.
        var u = Matrix(rows: n, cols: n), v = Matrix(rows: n, cols: n)
        for q in 0..<(n * n) {
            var uq = 0.0, vq = 0.0
            for k in 0...(m / 2) {
                uq = uq + b[2 * k + 1] * powers[k].values[q]
                vq = vq + b[2 * k] * powers[k].values[q]
            }
            u.values[q] = uq
            v.values[q] = vq
        }
        return Matrix.padeQuotient(u: self * u, v: v)
    }

    private func pade13() -> Matrix {
        let b: [Double] = [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800,
                           129060195264000, 10559470521600, 670442572800, 33522128640, 1323241920,
                           40840800, 960960, 16380, 182, 1]
        let n = rows
        let a2 = self * self, a4 = a2 * a2, a6 = a4 * a2
        // u1 = b₁₃A⁶ + b₁₁A⁴ + b₉A², v1 = b₁₂A⁶ + b₁₀A⁴ + b₈A².
        var u1 = Matrix(rows: n, cols: n), v1 = Matrix(rows: n, cols: n)
        for q in 0..<(n * n) {
            let (p6, p4, p2) = (a6.values[q], a4.values[q], a2.values[q])
            u1.values[q] = b[13] * p6 + b[11] * p4 + b[9] * p2
            v1.values[q] = b[12] * p6 + b[10] * p4 + b[8] * p2
        }
        // u = A(A⁶u1 + b₇A⁶ + b₅A⁴ + b₃A² + b₁I), v = A⁶v1 + b₆A⁶ + b₄A⁴ + b₂A² + b₀I.
        var tu = a6 * u1, v = a6 * v1
        for i in 0..<n {
            for j in 0..<n {
                let q = i * n + j, id: Double = i == j ? 1 : 0
                let (p6, p4, p2) = (a6.values[q], a4.values[q], a2.values[q])
                tu.values[q] = tu.values[q] + b[7] * p6 + b[5] * p4 + b[3] * p2 + b[1] * id
                v.values[q] = v.values[q] + b[6] * p6 + b[4] * p4 + b[2] * p2 + b[0] * id
            }
        }
        return Matrix.padeQuotient(u: self * tu, v: v)
    }

    /// (v − u)⁻¹ (v + u), the Padé approximant from its odd and even parts.
    private static func padeQuotient(u: Matrix, v: Matrix) -> Matrix {
        let n = v.rows
        var den = v, num = v
        for q in 0..<(n * n) {
            den.values[q] = v.values[q] - u.values[q]
            num.values[q] = v.values[q] + u.values[q]
        }
        let singular = den.values.withUnsafeMutableBufferPointer { a in
            num.values.withUnsafeMutableBufferPointer { Matrix.eliminate(a.baseAddress!, n: n, $0.baseAddress!, m: n) }
        }
        precondition(!singular, "singular Padé denominator")
        return num
    }
}
