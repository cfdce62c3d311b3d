import CTensorKernels
import Foundation
import RealModule

extension Tensor {
    /// Softmax over the last axis, stable (subtracts the row max first). O(n).
    public func softmax() -> Tensor {
        var out = self
        out.softmaxRowsInPlace()
        return out
    }

    /// log(softmax(x)) over the last axis computed as `x - max - log Σ e^(x - max)`. O(n).
    public func logSoftmax() -> Tensor {
        let d = lastDim, rows = rowCount
        return Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, o = out.baseAddress!
                Parallel.forRanges(rows, minimumPerChunk: Swift.max(1, 16_384 / Swift.max(d, 1))) { r in
                    for row in r {
                        let x = s + row * d, y = o + row * d
                        var m = -Float.infinity
                        for j in 0..<d { m = x[j] > m ? x[j] : m }
                        var z: Float = 0
                        for j in 0..<d { z = Relaxed.sum(z, Tensor.expNonPositive(x[j] - m)) }
                        let lz = Foundation.log(z)
                        for j in 0..<d { y[j] = (x[j] - m) - lz }
                    }
                }
            }
        }
    }

    /// In-place row softmax over the last axis (used by attention on its score buffer).
    public mutating func softmaxRowsInPlace() {
        let d = lastDim, rows = rowCount
        scalars.withUnsafeMutableBufferPointer { buf in
            Tensor.softmaxRows(buf.baseAddress!, rows: rows, cols: d)
        }
    }

    /// Numerically stable softmax of each row of a row-major `rows × d` buffer, in place
    /// (split across cores for large buffers).
    public static func softmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, cols d: Int) {
        Parallel.forRanges(rows, minimumPerChunk: Swift.max(1, 16_384 / Swift.max(d, 1))) { r in
            if tk_softmax_rows(p + r.lowerBound * d, r.count, d) != 0 { return }   // AVX-512
            for row in r {
                let x = p + row * d
                var m = -Float.infinity
                for j in 0..<d { m = x[j] > m ? x[j] : m }
                var z: Float = 0
                for j in 0..<d { let e = Tensor.expNonPositive(x[j] - m); x[j] = e; z = Relaxed.sum(z, e) }
                let inv = 1 / z
                for j in 0..<d { x[j] *= inv }
            }
        }
    }

    /// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016):
    /// `y = (x - mean) / sqrt(var + eps) * gamma + beta`, biased variance as PyTorch.
    /// Returns `y` and the per-row `mean` and `rstd = 1/sqrt(var + eps)` that backward needs.
    public func layerNormWithStats(gamma: Tensor, beta: Tensor, eps: Float = 1e-12) -> (y: Tensor, mean: [Float], rstd: [Float]) {
        let d = lastDim, rows = rowCount
        precondition(gamma.count == d && beta.count == d, "Tensor.layerNorm: gamma/beta need \(d) elements, got \(gamma.shape) and \(beta.shape)")
        var means = [Float](repeating: 0, count: rows), rstds = [Float](repeating: 0, count: rows)
        let y = Tensor(shape: shape) { out in
            scalars.withUnsafeBufferPointer { src in
                gamma.scalars.withUnsafeBufferPointer { g in
                    beta.scalars.withUnsafeBufferPointer { b in
                        means.withUnsafeMutableBufferPointer { mb in
                            rstds.withUnsafeMutableBufferPointer { rb in
                                let s = src.baseAddress!, o = out.baseAddress!, gp = g.baseAddress!, bp = b.baseAddress!
                                let mp = mb.baseAddress!, rp = rb.baseAddress!
                                Parallel.forRanges(rows, minimumPerChunk: Swift.max(1, 16_384 / Swift.max(d, 1))) { r in
                                    for row in r {
                                        let x = s + row * d, yv = o + row * d
                                        var sum: Float = 0
                                        for j in 0..<d { sum = Relaxed.sum(sum, x[j]) }
                                        let mu = sum / Float(d)
                                        var v: Float = 0
                                        for j in 0..<d { let c = x[j] - mu; v = Relaxed.multiplyAdd(c, c, v) }
                                        let rs = 1 / (v / Float(d) + eps).squareRoot()
                                        for j in 0..<d { yv[j] = (x[j] - mu) * rs * gp[j] + bp[j] }
                                        mp[row] = mu; rp[row] = rs
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, means, rstds)
    }

    /// Layer normalisation over the last axis (see `layerNormWithStats`).
    public func layerNorm(gamma: Tensor, beta: Tensor, eps: Float = 1e-12) -> Tensor {
        layerNormWithStats(gamma: gamma, beta: beta, eps: eps).y
    }

    /// Mean over the sequence axis of `[batch, seq, hidden]` counting only positions where
    /// `valid[b][s]` is true (sentence-embedding mean pooling). Returns `[batch, hidden]`;
    /// a row with no valid position is zero.
    public func maskedMeanPool(valid: [[Bool]]) -> Tensor {
        precondition(rank == 3 && valid.count == shape[0] && valid.allSatisfy { $0.count == shape[1] },
                     "Tensor.maskedMeanPool: need [batch, seq, hidden] and a batch×seq mask, got \(shape)")
        let (b, s, h) = (shape[0], shape[1], shape[2])
        var out = Tensor.zeros([b, h])
        scalars.withUnsafeBufferPointer { src in
            out.scalars.withUnsafeMutableBufferPointer { dst in
                for i in 0..<b {
                    let n = valid[i].reduce(0) { $0 + ($1 ? 1 : 0) }
                    guard n > 0 else { continue }
                    let inv = 1 / Float(n)
                    for t in 0..<s where valid[i][t] {
                        let row = src.baseAddress! + (i * s + t) * h
                        for j in 0..<h { dst[i * h + j] += row[j] * inv }
                    }
                }
            }
        }
        return out
    }

    /// Every row of the last axis divided by its L2 norm (rows with norm below `eps` are
    /// divided by `eps`), as for cosine-similarity embeddings.
    public func l2NormalizedRows(eps: Float = 1e-12) -> Tensor {
        let d = lastDim
        var out = self
        out.scalars.withUnsafeMutableBufferPointer { p in
            for r in 0..<rowCount {
                var ss: Float = 0
                for j in 0..<d { ss = Relaxed.multiplyAdd(p[r * d + j], p[r * d + j], ss) }
                let inv = 1 / Swift.max(ss.squareRoot(), eps)
                for j in 0..<d { p[r * d + j] *= inv }
            }
        }
        return out
    }
}
