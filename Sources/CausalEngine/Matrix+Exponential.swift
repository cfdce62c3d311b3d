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
        let norm1 = transposed.normInf   // max column sum
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

    private func padeLow(_ m: Int) -> Matrix {
        let b: [Double]
        switch m {
        case 3: b = [120, 60, 12, 1]
        case 5: b = [30240, 15120, 3360, 420, 30, 1]
        case 7: b = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1]
        default: b = [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1]
        }
        let n = rows
        let ident = Matrix.identity(n)
        let a2 = self * self
        var powers = [ident, a2]
        while powers.count <= m / 2 { powers.append(powers.last! * a2) }
        var u = Matrix(rows: n, cols: n), v = Matrix(rows: n, cols: n)
        for k in 0...(m / 2) {
            u = u + b[2 * k + 1] * powers[k]
            v = v + b[2 * k] * powers[k]
        }
        u = self * u
        return (v - u).solve(v + u)!
    }

    private func pade13() -> Matrix {
        let b: [Double] = [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800,
                           129060195264000, 10559470521600, 670442572800, 33522128640, 1323241920,
                           40840800, 960960, 16380, 182, 1]
        let n = rows
        let ident = Matrix.identity(n)
        let a2 = self * self, a4 = a2 * a2, a6 = a4 * a2
        let u1 = b[13] * a6 + b[11] * a4 + b[9] * a2
        let u = self * (a6 * u1 + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * ident)
        let v1 = b[12] * a6 + b[10] * a4 + b[8] * a2
        let v = a6 * v1 + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * ident
        return (v - u).solve(v + u)!
    }
}
