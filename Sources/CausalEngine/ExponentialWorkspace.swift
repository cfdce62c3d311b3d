import Foundation

/// Scratch storage for e^A of one n×n size, so repeated exponentials (the NOTEARS objective
/// takes one per evaluation) allocate nothing: Padé scaling and squaring as in
/// `Matrix.exponential`, working in place in one allocation made at `init`.
///
/// Not thread-safe: one workspace per caller.
final class ExponentialWorkspace {
    let n: Int
    /// A², A⁴, A⁶, each n×n and adjacent: `quotient` reuses A²|A⁴ as one n×2n matrix.
    let a2: UnsafeMutablePointer<Double>
    private let a4, a6: UnsafeMutablePointer<Double>
    /// n×2n each. Padé 13: `uv` holds [u₁ | v₁] and `tv` A⁶·[u₁ | v₁], so the two products
    /// with A⁶ are one GEMM; then u′ and v are compacted into `uv` and A·u′ goes to `tv`.
    /// Low degrees: A⁸ in `tv`'s left half, A·u′ in its right half.
    private let uv, tv: UnsafeMutablePointer<Double>
    private let storage: UnsafeMutablePointer<Double>

    init(n: Int) {
        self.n = n
        let nn = n * n
        storage = .allocate(capacity: max(1, 7 * nn))
        storage.initialize(repeating: 0, count: 7 * nn)
        a2 = storage
        a4 = a2 + nn
        a6 = a4 + nn
        uv = a6 + nn
        tv = uv + 2 * nn
    }

    deinit { storage.deallocate() }

    /// Writes e^A into `result` (n×n, row-major; must not overlap `a`). The degree and the
    /// scaling follow Higham 2005 from the 1-norm of A (scipy's expm before it moved to
    /// Al-Mohy & Higham 2009, whose degree choice measured slower here at d ≤ 20).
    /// O(n³): 2–5 products for the low degrees, 6 + s for Padé 13 with s squarings.
    func exponential(_ a: UnsafePointer<Double>, into result: UnsafeMutablePointer<Double>) {
        var norm1 = 0.0   // max column sum of |A|
        var isFinite = true
        for j in 0..<n {
            var s = 0.0
            for i in 0..<n { s += abs(a[i &* n &+ j]) }
            norm1 = max(norm1, s)
            isFinite = isFinite && s.isFinite
        }
        guard isFinite else {
            // An overflowed or NaN argument (a line search overshooting on extreme data): NaN
            // out, so the caller sees a non-finite objective and backs off, instead of a trap.
            result.update(repeating: .nan, count: n * n)
            return
        }
        if let degree = Self.lowDegrees.first(where: { norm1 <= $0.theta })?.m {
            padeLow(degree, a, into: result)
            return
        }
        let theta13 = 5.371920351148152
        let s = norm1 > theta13 ? max(0, Int(ceil(log2(norm1 / theta13)))) : 0
        pade13(a, scale: Double(sign: .plus, exponent: -s, significand: 1), into: result)
        // Square s times, alternating between `result` and `a2` (free by now).
        var current = result, spare = a2
        for _ in 0..<s {
            DenseProduct.square(n, current, current, into: spare)
            swap(&current, &spare)
        }
        if current != result { result.update(from: current, count: n * n) }
    }

    /// The degrees below 13 and the largest 1-norm each is accurate for (Higham 2005, Table 2.3).
    private static let lowDegrees: [(m: Int, theta: Double)] = [
        (3, 1.495585217958292e-2), (5, 2.539398330063230e-1), (7, 9.504178996162932e-1), (9, 2.097847961257068e0),
    ]

    /// Padé coefficients b₀…b_m of degree m ∈ {3, 5, 7, 9}, at index (m − 3) / 2.
    private static let lowCoefficients: [[Double]] = [
        [120, 60, 12, 1],
        [30240, 15120, 3360, 420, 30, 1],
        [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
        [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
    ]

    private static let coefficients13: [Double] = [
        64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
        10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
    ]

    /// r_m(A) for m ∈ {3, 5, 7, 9}: u′ = Σₖ b₂ₖ₊₁ A²ᵏ and v = Σₖ b₂ₖ A²ᵏ accumulated one even
    /// power at a time, then u = A·u′ and the quotient.
    private func padeLow(_ m: Int, _ a: UnsafePointer<Double>, into result: UnsafeMutablePointer<Double>) {
        let b = Self.lowCoefficients[(m - 3) / 2]
        let nn = n * n
        let u = uv, v = uv + nn
        DenseProduct.square(n, a, a, into: a2)
        for q in 0..<nn { u[q] = b[3] * a2[q]; v[q] = b[2] * a2[q] }
        // A⁴, A⁶, A⁸ as the degree needs them (A⁸ = A⁴·A⁴ in tv's left half).
        for k in stride(from: 2, through: m / 2, by: 1) {
            let power: UnsafeMutablePointer<Double>
            switch k {
            case 2: power = a4; DenseProduct.square(n, a2, a2, into: power)
            case 3: power = a6; DenseProduct.square(n, a4, a2, into: power)
            default: power = tv; DenseProduct.square(n, a4, a4, into: power)
            }
            let (bu, bv) = (b[2 &* k &+ 1], b[2 &* k])
            for q in 0..<nn { u[q] += bu * power[q]; v[q] += bv * power[q] }
        }
        for i in 0..<n { u[i &* n &+ i] += b[1]; v[i &* n &+ i] += b[0] }
        DenseProduct.square(n, a, u, into: tv + nn)
        quotient(u: tv + nn, v: v, into: result)
    }

    /// r₁₃(2⁻ˢA) (Higham 2005, eq. 2.3 and Algorithm 2.3), with the scale applied through the
    /// products' alpha instead of a scaled copy of A.
    private func pade13(_ a: UnsafePointer<Double>, scale: Double, into result: UnsafeMutablePointer<Double>) {
        let b = Self.coefficients13
        let nn = n * n
        DenseProduct.square(n, alpha: scale * scale, a, a, into: a2)
        DenseProduct.square(n, a2, a2, into: a4)
        DenseProduct.square(n, a4, a2, into: a6)
        // [u₁ | v₁] = [b₁₃A⁶ + b₁₁A⁴ + b₉A² | b₁₂A⁶ + b₁₀A⁴ + b₈A²], then A⁶·[u₁ | v₁].
        for i in 0..<n {
            let row = i &* n, left = uv + 2 &* row, right = left + n
            for j in 0..<n {
                let (p6, p4, p2) = (a6[row &+ j], a4[row &+ j], a2[row &+ j])
                left[j] = b[13] * p6 + b[11] * p4 + b[9] * p2
                right[j] = b[12] * p6 + b[10] * p4 + b[8] * p2
            }
        }
        DenseProduct.multiply(m: n, n: 2 * n, k: n, a6, lda: n, uv, ldb: 2 * n, into: tv, ldc: 2 * n)
        // u′ = A⁶u₁ + b₇A⁶ + b₅A⁴ + b₃A² + b₁I and v = A⁶v₁ + b₆A⁶ + b₄A⁴ + b₂A² + b₀I,
        // compacted into uv (u′ left as n×n, v after it).
        let u = uv, v = uv + nn
        for i in 0..<n {
            let row = i &* n, left = tv + 2 &* row, right = left + n
            for j in 0..<n {
                let (p6, p4, p2) = (a6[row &+ j], a4[row &+ j], a2[row &+ j])
                u[row &+ j] = left[j] + b[7] * p6 + b[5] * p4 + b[3] * p2
                v[row &+ j] = right[j] + b[6] * p6 + b[4] * p4 + b[2] * p2
            }
            u[row &+ i] += b[1]
            v[row &+ i] += b[0]
        }
        DenseProduct.square(n, alpha: scale, a, u, into: tv)
        quotient(u: tv, v: v, into: result)
    }
}
