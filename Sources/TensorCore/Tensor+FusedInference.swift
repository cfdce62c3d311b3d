import CTensorKernels
import RealModule

/// One-pass epilogues for inference, where the separate ops would each allocate and stream
/// a whole activation tensor (bias copy, GELU, residual add, LayerNorm).
extension Tensor {
    /// `GELU(x · Wᵀ + b)` for `x: [rows, in]`, `weight: [out, in]`: the GEMM writes without the
    /// bias, then one pass adds the bias and applies GELU in place.
    static func linearGELU(_ x: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
        Tensor.linear(x, weight: weight, bias: nil).addingBiasGELU(bias)
    }

    /// `GELU(self + bias)` row by row (bias over the last axis), in place on this tensor's
    /// storage: the epilogue of a GEMM that wrote without its bias.
    public consuming func addingBiasGELU(_ bias: Tensor) -> Tensor {
        let d = lastDim, rows = rowCount
        precondition(bias.count == d, "Tensor.addingBiasGELU: bias \(bias.shape) vs rows of \(d)")
        var y = self
        y.scalars.withUnsafeMutableBufferPointer { py in
            bias.scalars.withUnsafeBufferPointer { pb in
                let (o, b) = (py.baseAddress!, pb.baseAddress!)
                Parallel.forRanges(rows, minimumPerChunk: Swift.max(1, 65_536 / Swift.max(d, 1))) { range in
                    if tk_bias_gelu_rows(o + range.lowerBound * d, b, range.count, d) != 0 { return }   // AVX-512
                    for r in range {
                        let row = o + r * d
                        for j in 0..<d { row[j] = Tensor.gelu(row[j] + b[j]) }
                    }
                }
            }
        }
        return y
    }

    /// `LayerNorm(self + residual)` over the last axis in one pass per row (the sum is formed
    /// in the output and normalised there), as `layerNorm(gamma:beta:eps:)` computes it.
    public func layerNorm(adding residual: Tensor, gamma: Tensor, beta: Tensor, eps: Float = 1e-12) -> Tensor {
        let d = lastDim, rows = rowCount
        precondition(residual.shape == shape && gamma.count == d && beta.count == d,
                     "Tensor.layerNorm(adding:): \(shape) + \(residual.shape), gamma/beta \(gamma.shape) \(beta.shape)")
        return Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { px in
                residual.scalars.withUnsafeBufferPointer { pr in
                    gamma.scalars.withUnsafeBufferPointer { pg in
                        beta.scalars.withUnsafeBufferPointer { pb in
                            let (x, r, g, b, o) = (px.baseAddress!, pr.baseAddress!, pg.baseAddress!, pb.baseAddress!, out.baseAddress!)
                            Parallel.forRanges(rows, minimumPerChunk: Swift.max(1, 16_384 / Swift.max(d, 1))) { range in
                                for row in range {
                                    let (xs, rs, ys) = (x + row * d, r + row * d, o + row * d)
                                    var sum: Float = 0
                                    for j in 0..<d { let z = xs[j] + rs[j]; ys[j] = z; sum = Relaxed.sum(sum, z) }
                                    let mu = sum / Float(d)
                                    var v: Float = 0
                                    for j in 0..<d { let c = ys[j] - mu; v = Relaxed.multiplyAdd(c, c, v) }
                                    let rstd = 1 / (v / Float(d) + eps).squareRoot()
                                    for j in 0..<d { ys[j] = (ys[j] - mu) * rstd * g[j] + b[j] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
