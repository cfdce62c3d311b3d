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
        for n in [1, 7, 8, 15, 16, 17, 31, 33, 64, 383, 384] {
            let a = (0..<n).map { _ in next() }, b = (0..<n).map { _ in next() }
            let codes = (0..<n).map { _ in UInt8(truncatingIfNeeded: Int((next() + 1) * 127.5)) }
            let exact = Distance.dotReference(a, b, count: n)
            #expect(abs(vi_dot_f32(a, b, n) - exact) <= 1e-4 * Float(n), "dot, n \(n)")
            var codeDot: Float = 0
            for j in 0..<n { codeDot += a[j] * Float(codes[j]) }
            #expect(abs(vi_dot_f32_u8(a, codes, n) - codeDot) <= 1e-3 * Float(n), "code dot, n \(n)")
        }
        #expect([0, 1].contains(vi_simd_level()))
    }
}
