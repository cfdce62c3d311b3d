import Foundation

extension Variable {
    /// Softmax over the last axis. Backward: `dx = y ⊙ (dy − Σ_j dy_j y_j)`.
    public func softmax() -> Variable {
        let y = value.softmax()
        let ia = id
        return recordOp(y, self) {{ g, t in t.accumulate(ia, softmaxBackward(y: y, dy: g)) }}
    }

    /// log-softmax over the last axis. Backward: `dx = dy − softmax(x) · Σ_j dy_j`.
    public func logSoftmax() -> Variable {
        let y = value.logSoftmax()
        let ia = id
        return recordOp(y, self) {{ g, t in
            let d = y.lastDim
            let dx = Tensor(shape: y.shape) { out in
                y.scalars.withUnsafeBufferPointer { ys in
                    g.scalars.withUnsafeBufferPointer { gs in
                        for r in 0..<y.rowCount {
                            let o = r * d
                            var s: Float = 0
                            for j in 0..<d { s += gs[o + j] }
                            for j in 0..<d { out[o + j] = gs[o + j] - Foundation.exp(ys[o + j]) * s }
                        }
                    }
                }
            }
            t.accumulate(ia, dx)
        }}
    }

    /// Layer normalisation over the last axis with affine `gamma`, `beta` (shape `[D]`).
    /// Backward (per row, x̂ = (x − μ)·rstd): `dγ = Σ dy⊙x̂`, `dβ = Σ dy`,
    /// `dx = rstd · (dy⊙γ − mean(dy⊙γ) − x̂ · mean(dy⊙γ⊙x̂))`.
    public static func layerNorm(_ x: Variable, gamma: Variable, beta: Variable, eps: Float = 1e-12) -> Variable {
        let (y, means, rstds) = x.value.layerNormWithStats(gamma: gamma.value, beta: beta.value, eps: eps)
        let (ix, ig, ib, vx, vg) = (x.id, gamma.id, beta.id, x.value, gamma.value)
        return recordOp(y, x, gamma, beta) {{ g, t in
            let d = vx.lastDim, rows = vx.rowCount
            var dgamma = [Float](repeating: 0, count: d), dbeta = [Float](repeating: 0, count: d)
            let dx = Tensor(shape: vx.shape) { out in
                vx.scalars.withUnsafeBufferPointer { xs in
                    g.scalars.withUnsafeBufferPointer { gs in
                        vg.scalars.withUnsafeBufferPointer { gam in
                            for r in 0..<rows {
                                let o = r * d, mu = means[r], rs = rstds[r]
                                var m1: Float = 0, m2: Float = 0
                                for j in 0..<d {
                                    let xh = (xs[o + j] - mu) * rs
                                    let dxh = gs[o + j] * gam[j]
                                    m1 += dxh; m2 += dxh * xh
                                    dgamma[j] += gs[o + j] * xh
                                    dbeta[j] += gs[o + j]
                                }
                                m1 /= Float(d); m2 /= Float(d)
                                for j in 0..<d {
                                    let xh = (xs[o + j] - mu) * rs
                                    out[o + j] = rs * (gs[o + j] * gam[j] - m1 - xh * m2)
                                }
                            }
                        }
                    }
                }
            }
            t.accumulate(ix, dx)
            t.accumulate(ig, Tensor(shape: vg.shape, scalars: dgamma))
            t.accumulate(ib, Tensor(shape: vg.shape, scalars: dbeta))
        }}
    }

    /// Inverted dropout: zeroes each element with probability `p` and scales the rest by
    /// 1/(1−p) (Srivastava et al. 2014). Active only on a training tape; an untracked
    /// variable (inference) or `p == 0` passes through unchanged. Uses the tape's seeded
    /// generator, so a seeded tape reproduces the same masks.
    public func dropout(_ p: Float) -> Variable {
        guard p > 0, let tape, tape.isTraining else { return self }
        precondition(p < 1, "Variable.dropout: p must be < 1, got \(p)")
        let scale = 1 / (1 - p)
        var mask = [Float](repeating: 0, count: value.count)
        let threshold = UInt64(Double(p) * Double(UInt64.max))
        for i in 0..<mask.count { mask[i] = tape.generator.next() >= threshold ? scale : 0 }
        let m = Tensor(shape: shape, scalars: mask)
        return self * Variable(m, tape: tape, id: -1)
    }
}

@usableFromInline
func softmaxBackward(y: Tensor, dy: Tensor) -> Tensor {
    let d = y.lastDim
    return Tensor(shape: y.shape) { out in
        y.scalars.withUnsafeBufferPointer { ys in
            dy.scalars.withUnsafeBufferPointer { gs in
                let yp = ys.baseAddress!, gp = gs.baseAddress!, o = out.baseAddress!
                Parallel.forRanges(y.rowCount, minimumPerChunk: max(1, 16_384 / max(d, 1))) { r in
                    for row in r {
                        let b = row * d
                        var s: Float = 0
                        for j in 0..<d { s += gp[b + j] * yp[b + j] }
                        for j in 0..<d { o[b + j] = yp[b + j] * (gp[b + j] - s) }
                    }
                }
            }
        }
    }
}
