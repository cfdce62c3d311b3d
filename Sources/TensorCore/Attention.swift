/// Scaled dot-product attention (Vaswani et al. 2017): `softmax(Q Kᵀ / √d + mask) V`.
///
/// Shapes: `query [B, Sq, D]`, `key [B, Sk, D]`, `value [B, Sk, Dv]` where `B` is
/// batch·heads in head-minor order (`index = b · heads + h`). `mask` is additive
/// (0 = attend, a large negative number = blocked) with shape `[M, Sq, Sk]` or
/// `[M, 1, Sk]`, where `M` divides `B` and batch `i` uses mask `i / (B / M)`; build one with
/// `Attention.keyPaddingMask` or `Attention.causalMask`. Cost: 2·B·Sq·Sk·(D + Dv) flops.
public enum Attention {
    /// The additive value for blocked positions (finite so fully masked rows stay finite).
    public static let blocked: Float = -1e9

    /// `[batch, 1, seq]` additive mask from per-sequence validity (true = real token).
    public static func keyPaddingMask(_ valid: [[Bool]]) -> Tensor {
        let s = valid.first?.count ?? 0
        return Tensor(shape: [valid.count, 1, s], scalars: valid.flatMap { $0.map { $0 ? 0 : blocked } })
    }

    /// `[1, seq, seq]` additive mask letting position i attend to j ≤ i.
    public static func causalMask(_ seq: Int) -> Tensor {
        var m = Tensor.zeros([1, seq, seq])
        for i in 0..<seq { for j in (i + 1)..<max(seq, i + 1) { m.scalars[i * seq + j] = blocked } }
        return m
    }

    /// Forward pass; returns the output `[B, Sq, Dv]` and the probabilities `[B, Sq, Sk]`.
    public static func forward(query q: Tensor, key k: Tensor, value v: Tensor, mask: Tensor?) -> (output: Tensor, probabilities: Tensor) {
        precondition(q.rank == 3 && k.rank == 3 && v.rank == 3, "Attention: q, k, v must be [B, S, D], got \(q.shape), \(k.shape), \(v.shape)")
        let b = q.shape[0], sq = q.shape[1], d = q.shape[2], sk = k.shape[1]
        precondition(k.shape[0] == b && v.shape[0] == b && k.shape[2] == d && v.shape[1] == sk,
                     "Attention: mismatched q \(q.shape), k \(k.shape), v \(v.shape)")
        let scale = 1 / Float(d).squareRoot()
        var scores = Tensor(shape: [b, sq, sk]) { out in
            q.scalars.withUnsafeBufferPointer { pq in
                k.scalars.withUnsafeBufferPointer { pk in
                    Tensor.batchedGEMM(batch: b, transposeA: false, transposeB: true, m: sq, n: sk, k: d,
                                       a: pq.baseAddress!, strideA: sq * d, lda: d,
                                       b: pk.baseAddress!, strideB: sk * d, ldb: d,
                                       alpha: scale, beta: 0, c: out.baseAddress!, ldc: sk)
                }
            }
        }
        if let mask {
            precondition(mask.rank == 3 && mask.shape[2] == sk && (mask.shape[1] == sq || mask.shape[1] == 1)
                         && mask.shape[0] > 0 && b % mask.shape[0] == 0,
                         "Attention: mask \(mask.shape) does not fit scores [\(b), \(sq), \(sk)]")
            let group = b / mask.shape[0], perRow = mask.shape[1] == 1
            scores.scalars.withUnsafeMutableBufferPointer { s in
                mask.scalars.withUnsafeBufferPointer { m in
                    for i in 0..<b {
                        let mb = (i / group) * mask.shape[1] * sk
                        for r in 0..<sq {
                            let dst = s.baseAddress! + (i * sq + r) * sk
                            let src = m.baseAddress! + mb + (perRow ? 0 : r * sk)
                            for j in 0..<sk { dst[j] += src[j] }
                        }
                    }
                }
            }
        }
        scores.softmaxRowsInPlace()
        let out = Tensor.matmul(scores, v)
        return (out, scores)
    }
}

extension Variable {
    /// Differentiable scaled dot-product attention (see `Attention`). Backward:
    /// `dV = Pᵀ dO`, `dP = dO Vᵀ`, `dS = P ⊙ (dP − rowsum(dP ⊙ P))`, `dQ = dS K / √d`,
    /// `dK = dSᵀ Q / √d`. The mask gets no gradient.
    public static func attention(query: Variable, key: Variable, value: Variable, mask: Tensor? = nil) -> Variable {
        let (out, p) = Attention.forward(query: query.value, key: key.value, value: value.value, mask: mask)
        let (iq, ik, iv, q, k, v) = (query.id, key.id, value.id, query.value, key.value, value.value)
        return recordOp(out, query, key, value) {{ g, t in
            let scale = 1 / Float(q.shape[2]).squareRoot()
            if iv >= 0 { t.accumulate(iv, Tensor.matmul(p, g, transposeA: true)) }
            if iq >= 0 || ik >= 0 {
                let dp = Tensor.matmul(g, v, transposeB: true)
                let ds = softmaxBackward(y: p, dy: dp) * scale
                if iq >= 0 { t.accumulate(iq, Tensor.matmul(ds, k)) }
                if ik >= 0 { t.accumulate(ik, Tensor.matmul(ds, q, transposeA: true)) }
            }
        }}
    }
}
