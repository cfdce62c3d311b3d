extension Tensor {
    /// `x · weightᵀ + bias` for `x: [..., in]`, `weight: [out, in]` (PyTorch layout),
    /// `bias: [out]`; one GEMM with the bias preloaded into the output (beta = 1).
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let outF = weight.shape[0]
        return Tensor(shape: Array(x.shape.dropLast()) + [outF]) { out in
            linear(x, weight: weight, bias: bias, into: out.baseAddress!, ldc: outF)
        }
    }

    /// `x · weightᵀ + bias` written into `out` with row stride `ldc` (e.g. one part of a wider
    /// fused buffer), for `x: [rows, in]`.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?, into out: UnsafeMutablePointer<Float>, ldc: Int) {
        let inF = weight.shape[1], outF = weight.shape[0]
        precondition(x.lastDim == inF, "Tensor.linear: input \(x.shape) does not end in \(inF) (weight \(weight.shape))")
        let rows = x.rowCount
        if let bias {
            precondition(bias.count == outF, "Tensor.linear: bias \(bias.shape) vs \(outF) outputs")
            bias.scalars.withUnsafeBufferPointer { b in
                for r in 0..<rows { (out + r * ldc).update(from: b.baseAddress!, count: outF) }
            }
        }
        x.scalars.withUnsafeBufferPointer { px in
            weight.scalars.withUnsafeBufferPointer { pw in
                BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: outF, k: inF,
                           a: px.baseAddress!, lda: inF, b: pw.baseAddress!, ldb: inF,
                           beta: bias == nil ? 0 : 1, c: out, ldc: ldc)
            }
        }
    }
}

extension Variable {
    /// Matrix product (see `Tensor.matmul` for shapes and transposes). Backward:
    /// `dA = dC · op(B)ᵀ`, `dB = op(A)ᵀ · dC`, each one GEMM with transpose flags.
    public static func matmul(_ a: Variable, _ b: Variable, transposeA tA: Bool = false, transposeB tB: Bool = false) -> Variable {
        let y = Tensor.matmul(a.value, b.value, transposeA: tA, transposeB: tB)
        let (ia, ib, va, vb) = (a.id, b.id, a.value, b.value)
        return recordOp(y, a, b) {{ g, t in
            // Flatten leading axes of A (and dC) when B is a plain matrix.
            let flat = vb.rank == 2
            let a2 = flat ? va.reshaped([va.rowCount, va.lastDim]) : va
            let g2 = flat ? g.reshaped([g.rowCount, g.lastDim]) : g
            if ia >= 0 {
                let da = tA ? Tensor.matmul(vb, g2, transposeA: tB, transposeB: true)
                            : Tensor.matmul(g2, vb, transposeB: !tB)
                t.accumulate(ia, da.reshaped(va.shape))
            }
            if ib >= 0 {
                let db = tB ? Tensor.matmul(g2, a2, transposeA: true, transposeB: tA)
                            : Tensor.matmul(a2, g2, transposeA: !tA)
                t.accumulate(ib, db)
            }
        }}
    }

    /// `x · weightᵀ + bias` with `x: [..., in]`, `weight: [out, in]`, `bias: [out]`.
    /// Backward: `dx = dy · W`, `dW = dyᵀ · x`, `db = Σ_rows dy`.
    public static func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        let y = Tensor.linear(x.value, weight: weight.value, bias: bias?.value)
        let (ix, iw, ibias, vx, vw) = (x.id, weight.id, bias?.id ?? -1, x.value, weight.value)
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        var tape: Tape?
        for v in inputs where tape == nil { tape = v.tape }
        guard let t0 = tape, inputs.contains(where: { $0.requiresGrad }) else { return Variable(y, tape: tape, id: -1) }
        return t0.record(y) { g, t in
            let rows = vx.rowCount, inF = vw.shape[1], outF = vw.shape[0]
            g.scalars.withUnsafeBufferPointer { pg in
                if ix >= 0 {
                    let dx = Tensor(shape: vx.shape) { out in
                        vw.scalars.withUnsafeBufferPointer { pw in
                            BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: inF, k: outF,
                                       a: pg.baseAddress!, lda: outF, b: pw.baseAddress!, ldb: inF,
                                       c: out.baseAddress!, ldc: inF)
                        }
                    }
                    t.accumulate(ix, dx)
                }
                if iw >= 0 {
                    let dw = Tensor(shape: vw.shape) { out in
                        vx.scalars.withUnsafeBufferPointer { px in
                            BLAS.sgemm(transposeA: true, transposeB: false, m: outF, n: inF, k: rows,
                                       a: pg.baseAddress!, lda: outF, b: px.baseAddress!, ldb: inF,
                                       c: out.baseAddress!, ldc: inF)
                        }
                    }
                    t.accumulate(iw, dw)
                }
            }
            if ibias >= 0 { t.accumulate(ibias, g.reshaped([rows, outF]).sum(axis: 0)) }
        }
    }
}
