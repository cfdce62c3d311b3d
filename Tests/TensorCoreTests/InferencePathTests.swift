import Foundation
import Testing
@testable import TensorCore

/// The tape-free `Tensor` forward of attention layers (heads read in place, fused Q/K/V)
/// against the differentiable `Variable` forward, which is gradient-checked elsewhere.
@Suite("Inference path equals the differentiable path")
struct InferencePathTests {
    func layer(seed: UInt64) -> TransformerEncoderLayer {
        var g = SeededGenerator(seed: seed)
        return TransformerEncoderLayer(hidden: 24, heads: 4, feedForward: 40, dropout: 0, using: &g)
    }

    func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        #expect(a.shape == b.shape)
        return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }

    func check(_ layer: TransformerEncoderLayer, _ x: Tensor, mask: Tensor?) {
        let fast = layer(x, mask: mask)
        let reference = layer(Variable(x), mask: mask).value
        #expect(maxDifference(fast, reference) < 1e-5, "mask \(mask?.shape ?? [])")
        let attentionFast = layer.attention(x, mask: mask)
        let attentionReference = layer.attention(Variable(x), mask: mask).value
        #expect(maxDifference(attentionFast, attentionReference) < 1e-5)
    }

    @Test func unmaskedPaddingMaskedAndCausal() {
        var g = SeededGenerator(seed: 7)
        let encoder = layer(seed: 1)
        let x = Tensor.randomNormal([3, 5, 24], using: &g)
        check(encoder, x, mask: nil)
        check(encoder, x, mask: Attention.keyPaddingMask([[true, true, true, true, true],
                                                          [true, true, false, false, false],
                                                          [true, true, true, true, false]]))
        check(encoder, x, mask: Attention.causalMask(5))
        var square = Tensor.zeros([3, 5, 5])
        for k in 0..<square.count where k % 3 == 1 { square.scalars[k] = Attention.blocked }
        check(encoder, x, mask: square)
    }

    @Test func unmergedLoRAAdaptersAreApplied() {
        var g = SeededGenerator(seed: 3)
        let encoder = layer(seed: 2)
        LoRA.apply(LoRAConfiguration(targets: ["query", "value"], rank: 2, alpha: 4), to: encoder, using: &g)
        // Adapters start as a no-op (B = 0); give them weights so a skipped adapter shows.
        for (name, p) in encoder.namedParameters() where name.hasSuffix("lora_B.weight") {
            p.value = Tensor.randomNormal(p.shape, using: &g)
        }
        let x = Tensor.randomNormal([2, 4, 24], using: &g)
        check(encoder, x, mask: nil)
        let plain = layer(seed: 2)
        #expect(maxDifference(plain(x), encoder(x)) > 1e-3, "the adapters must change the output")
    }

    /// The row softmax (AVX-512 where the CPU has it) against a Float64 reference, for row
    /// lengths around the 16-lane width, with blocked (masked) entries exactly 0.
    @Test(arguments: [1, 3, 15, 16, 17, 40, 130])
    func softmaxRowsMatchFloat64(cols: Int) {
        var g = SeededGenerator(seed: UInt64(cols))
        let rows = 5
        var x = Tensor.randomNormal([rows, cols], using: &g).scalars.map { $0 * 6 }
        if cols > 2 { x[1] = Attention.blocked; x[cols + 2] = Attention.blocked }
        let input = x
        x.withUnsafeMutableBufferPointer { Tensor.softmaxRows($0.baseAddress!, rows: rows, cols: cols) }
        for r in 0..<rows {
            let row = input[(r * cols)..<((r + 1) * cols)].map(Double.init)
            let m = row.max()!
            let z = row.reduce(0) { $0 + Foundation.exp($1 - m) }
            for j in 0..<cols {
                let expected = Foundation.exp(row[j] - m) / z
                #expect(abs(Double(x[r * cols + j]) - expected) < 2e-6, "row \(r) column \(j)")
                if input[r * cols + j] == Attention.blocked { #expect(x[r * cols + j] == 0) }
            }
        }
    }

    /// The FFN epilogue GELU(x·Wᵀ + b) against a Float64 reference (exact erf form).
    @Test(arguments: [7, 16, 33])
    func linearGELUMatchesFloat64(outputs: Int) {
        var g = SeededGenerator(seed: 11)
        let x = Tensor.randomNormal([4, 9], using: &g)
        let weight = Tensor.randomNormal([outputs, 9], using: &g), bias = Tensor.randomNormal([outputs], using: &g)
        let y = Tensor.linearGELU(x, weight: weight, bias: bias)
        for r in 0..<4 {
            for j in 0..<outputs {
                var pre = Double(bias.scalars[j])
                for k in 0..<9 { pre += Double(x.scalars[r * 9 + k]) * Double(weight.scalars[j * 9 + k]) }
                let expected = 0.5 * pre * (1 + Foundation.erf(pre / 2.0.squareRoot()))
                #expect(abs(Double(y.scalars[r * outputs + j]) - expected) < 1e-5 * max(1, abs(expected)), "(\(r), \(j))")
            }
        }
    }
}
