import CVectorIndexShims
import Testing
import VectorIndex

@Suite("Dispatched distance kernels")
struct SIMDKernelTests {
    /// The AVX2/FMA kernels (or the portable ones) agree with the scalar references on every
    /// length, including the tails.
    @Test func kernelsMatchTheReference() {
        var state: UInt64 = 7
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        for n in [1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 160, 383, 384, 385] {
            let a = (0..<n).map { _ in next() }, b = (0..<n).map { _ in next() }
            let codes = (0..<n).map { _ in UInt8(truncatingIfNeeded: Int((next() + 1) * 127.5)) }
            let exact = Distance.dotReference(a, b, count: n)
            #expect(abs(vi_dot_f32(a, b, n) - exact) <= 1e-4 * Float(n), "dot, n \(n)")
            var codeDot: Float = 0
            for j in 0..<n { codeDot += a[j] * Float(codes[j]) }
            #expect(abs(vi_dot_f32_u8(a, codes, n) - codeDot) <= 1e-3 * Float(n), "code dot, n \(n)")
            let w16 = a.map { Int16(($0 * 32767).rounded()) }
            var exactInt: Int64 = 0
            for j in 0..<n { exactInt += Int64(w16[j]) * Int64(codes[j]) }
            #expect(vi_dot_i16_u8(w16, codes, n) == exactInt, "integer dot, n \(n)")
            var q16 = [Int16](repeating: 0, count: n)
            let alpha = vi_quantize_i16(a, &q16, n)
            let largest = a.map { abs($0) }.max()!
            #expect(abs(alpha - largest / 32767) <= 1e-9)
            for j in 0..<n { #expect(abs(Float(q16[j]) * alpha - a[j]) <= alpha * 0.5 + 1e-7, "quantised \(j) of \(n)") }
        }
        #expect([0, 1, 2].contains(vi_simd_level()))
        // Extreme values over a long vector: the int32 lanes are flushed before they overflow.
        let n = 70_000
        let big = [Int16](repeating: 32767, count: n), full = [UInt8](repeating: 255, count: n)
        #expect(vi_dot_i16_u8(big, full, n) == Int64(n) * 32767 * 255)
    }
}
