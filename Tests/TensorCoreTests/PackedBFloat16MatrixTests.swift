import Testing

@testable import TensorCore

/// The bf16 GEMM against an independent scalar oracle: A and B rounded to bf16 here (round to
/// nearest even, subnormals to zero, as `vcvtne2ps2bf16`), products summed in Double.
@Suite("PackedBFloat16Matrix")
struct PackedBFloat16MatrixTests {
    /// One product to check: shapes, layout, and the extras.
    struct Case: CustomTestStringConvertible, Sendable {
        var m: Int, k: Int, n: Int
        var transposed = false, bias = false, accumulate = false
        var lda: Int? = nil, ldc: Int? = nil
        var testDescription: String {
            "\(m)x\(k)x\(n)\(transposed ? " T" : "")\(bias ? " +bias" : "")\(accumulate ? " +C" : "")"
                + (lda != nil || ldc != nil ? " strided" : "")
        }
    }

    static let cases: [Case] = [
        Case(m: 1, k: 1, n: 1),
        Case(m: 1, k: 1, n: 1, transposed: true, bias: true, accumulate: true),
        Case(m: 7, k: 13, n: 5),
        Case(m: 8, k: 2, n: 48, bias: true),
        Case(m: 9, k: 33, n: 50, transposed: true),
        Case(m: 17, k: 129, n: 97, bias: true, accumulate: true),
        Case(m: 3, k: 0, n: 5, bias: true, accumulate: true),
        Case(m: 11, k: 64, n: 49, transposed: true, lda: 70, ldc: 53),
        // Last panel 42 columns wide, with spare columns in C that must stay untouched.
        Case(m: 10, k: 40, n: 90, bias: true, lda: 41, ldc: 95),
        Case(m: 10, k: 40, n: 90, transposed: true, bias: true, accumulate: true, lda: 41, ldc: 95),
        // K over the 512 chunk: three chunks, the last one odd.
        Case(m: 25, k: 1031, n: 61, transposed: true, bias: true, accumulate: true),
        // MiniLM Linear shapes (fewer rows than a batch, to keep the oracle fast in debug).
        Case(m: 20, k: 384, n: 384, transposed: true, bias: true),
        Case(m: 13, k: 384, n: 1152, transposed: true, bias: true),
        Case(m: 12, k: 384, n: 1536, transposed: true, bias: true),
        Case(m: 16, k: 1536, n: 384, transposed: true, bias: true, accumulate: true),
        // Large enough to be split over the cores along M (rows not a multiple of 8).
        Case(m: 133, k: 384, n: 384, transposed: true, bias: true),
    ]

    @Test("fast kernel matches the bf16 oracle",
          .enabled(if: PackedBFloat16Matrix.isAvailable, "AVX512-BF16 not available on this CPU: fast kernel skipped"),
          arguments: cases)
    func fastKernel(_ t: Case) {
        check(t, portable: false, threads: nil)
    }

    @Test("portable fallback matches the bf16 oracle", arguments: cases.filter { $0.m * $0.k * $0.n <= 2_000_000 })
    func portableFallback(_ t: Case) {
        check(t, portable: true, threads: nil)
    }

    @Test("explicit splits over M and over N panels", arguments: [1, 2, 3])
    func threadSplits(_ threads: Int) throws {
        // 10 rows: split along the 48-column panels; 70 rows: along M in 8-row blocks.
        for t in [Case(m: 10, k: 96, n: 200, transposed: true, bias: true),
                  Case(m: 70, k: 96, n: 100, bias: true, accumulate: true)] {
            check(t, portable: !PackedBFloat16Matrix.isAvailable, threads: threads)
        }
    }

    @Test("conversion rounds to nearest even, like the oracle")
    func rounding() {
        // A·I with I the identity returns bf16(A) exactly (products by 1, sums with zeros).
        let ties: [Float] = [
            1 + 0x1p-8, 1 + 0x3p-8, 1 + 0x1p-8 + 0x1p-20, -(1 + 0x3p-8), 0x1p-130, -0x1p-140,
            3.14159265, -2.7182818, 65504, 1e30, -1e-30, 0, -0.0, 0x1p-126, 1.00390625, 1.01171875,
        ]
        let k = ties.count
        var identity = [Float](repeating: 0, count: k * k)
        for i in 0..<k { identity[i * k + i] = 1 }
        let packed = PackedBFloat16Matrix(weights: identity, rows: k, columns: k, transposed: false)
        for portable in [true, false] where portable || PackedBFloat16Matrix.isAvailable {
            var out = [Float](repeating: .nan, count: k)
            ties.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { c in
                    packed.multiply(a.baseAddress!, rows: 1, lda: k, into: c.baseAddress!, ldc: k, bias: nil,
                                    accumulate: false, portable: portable, threads: 1)
                }
            }
            for j in 0..<k {
                #expect(out[j].bitPattern == Self.bf16(ties[j]).bitPattern || (out[j] == 0 && Self.bf16(ties[j]) == 0),
                        "portable \(portable): bf16(\(ties[j])) = \(out[j]), oracle \(Self.bf16(ties[j]))")
            }
        }
        #expect(Self.bf16(1 + 0x1p-8) == 1)             // tie, rounds down to the even 1.0
        #expect(Self.bf16(1 + 0x3p-8) == 1 + 0x1p-6)    // tie, rounds up to the even neighbour
    }

    @Test("packed size is two bytes per weight, rounded up to 48-column panels")
    func packedSize() {
        let w = [Float](repeating: 1, count: 384 * 1152)
        let packed = PackedBFloat16Matrix(weights: w, rows: 384, columns: 1152, transposed: true)
        #expect(packed.byteCount == 384 * 1152 * 2)
        #expect(PackedBFloat16Matrix(weights: [1, 2, 3], rows: 3, columns: 1, transposed: false).byteCount == 2 * 48 * 4)
    }

    // MARK: - Oracle

    /// bf16 rounding written independently of the C code: round to nearest even on the bits,
    /// NaN kept, subnormals to signed zero (the instruction's DAZ behaviour).
    static func bf16(_ x: Float) -> Float {
        if x.isNaN { return x }
        if x.isSubnormal { return x.sign == .minus ? -0.0 : 0.0 }
        let u = x.bitPattern
        return Float(bitPattern: (u &+ 0x7fff &+ ((u >> 16) & 1)) & 0xffff_0000)
    }

    func check(_ t: Case, portable: Bool, threads: Int?) {
        var rng = SeededGenerator(seed: UInt64(t.m * 1_000_003 + t.k * 1009 + t.n))
        let lda = t.lda ?? t.k, ldc = t.ldc ?? t.n
        let a = (0..<(t.m * lda)).map { _ in Float.random(in: -2...2, using: &rng) }
        let w = (0..<(t.k * t.n)).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        let bias = (0..<t.n).map { _ in Float.random(in: -1...1, using: &rng) }
        let old = (0..<(t.m * ldc)).map { _ in Float.random(in: -1...1, using: &rng) }
        let packed = PackedBFloat16Matrix(weights: w, rows: t.k, columns: t.n, transposed: t.transposed)
        var c = old
        a.withUnsafeBufferPointer { ap in
            bias.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    packed.multiply(ap.baseAddress!, rows: t.m, lda: lda, into: cp.baseAddress!, ldc: ldc,
                                    bias: t.bias ? bp.baseAddress! : nil, accumulate: t.accumulate,
                                    portable: portable, threads: threads)
                }
            }
        }
        let ra = a.map(Self.bf16), rw = w.map(Self.bf16)
        var failures = 0
        for i in 0..<t.m {
            for j in 0..<ldc {
                let got = c[i * ldc + j]
                guard j < t.n else {
                    #expect(got == old[i * ldc + j], "column \(j) past N was written")
                    continue
                }
                var sum = 0.0, magnitude = 0.0
                for l in 0..<t.k {
                    let b = Double(t.transposed ? rw[j * t.k + l] : rw[l * t.n + j])
                    sum += Double(ra[i * lda + l]) * b
                    magnitude += abs(Double(ra[i * lda + l]) * b)
                }
                if t.bias { sum += Double(bias[j]); magnitude += abs(Double(bias[j])) }
                if t.accumulate { sum += Double(old[i * ldc + j]); magnitude += abs(Double(old[i * ldc + j])) }
                // The oracle reproduces the bf16 rounding of both inputs exactly and the products
                // of two bf16 values are exact in fp32, so the only error is fp32 summation in
                // another order: at most ~K·2^-24·Σ|a·b| (worst case), ~sqrt(K)·2^-24·Σ|a·b|
                // typically. 1e-5·sqrt(K)·Σ|a·b| covers the worst case for every K tested; it
                // still fails wrong indexing, dropped or duplicated k-pairs, tails, bias and
                // accumulate (a dropped k-pair is ~1/K of Σ|a·b| on every entry). The rounding
                // itself is checked bit for bit by `rounding()`.
                let tolerance = 1e-5 * Double(max(t.k, 1)).squareRoot() * magnitude + 1e-30
                if abs(Double(got) - sum) > tolerance {
                    failures += 1
                    if failures <= 5 {
                        Issue.record("\(t.testDescription) [\(i), \(j)]: got \(got), oracle \(sum), tolerance \(tolerance)")
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(t.m * t.n) entries off")
    }
}
