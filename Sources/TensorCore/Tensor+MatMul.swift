import Dispatch

extension Tensor {
    /// Matrix product on BLAS.
    ///
    /// - `a: [..., M, K]` (leading axes flattened into rows) times `b: [K, N]` gives `[..., M, N]`;
    /// - `a: [B, M, K]` times `b: [B, K, N]` gives `[B, M, N]` (batched, one GEMM per batch).
    ///
    /// `transposeA` / `transposeB` read the last two axes of the operand swapped without
    /// copying (for a flattened `a`, `transposeA` requires rank 2). Cost 2·M·N·K flops per batch.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank >= 2 && b.rank >= 2, "Tensor.matmul: operands need rank >= 2, got \(a.shape) and \(b.shape)")
        if b.rank == 2 && (a.rank == 2 || !transposeA) {
            let (ar, ac) = (a.count / a.lastDim, a.lastDim)
            let m = transposeA ? ac : ar, k = transposeA ? ar : ac
            let kb = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
            precondition(k == kb, "Tensor.matmul: inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")")
            let outShape = a.rank == 2 ? [m, n] : Array(a.shape.dropLast()) + [n]
            return Tensor(shape: outShape) { out in
                a.scalars.withUnsafeBufferPointer { pa in
                    b.scalars.withUnsafeBufferPointer { pb in
                        BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                   a: pa.baseAddress!, lda: ac, b: pb.baseAddress!, ldb: b.shape[1],
                                   c: out.baseAddress!, ldc: n)
                    }
                }
            }
        }
        precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
                     "Tensor.matmul: batched product needs [B,M,K] × [B,K,N], got \(a.shape) and \(b.shape)")
        let batch = a.shape[0]
        let m = transposeA ? a.shape[2] : a.shape[1], k = transposeA ? a.shape[1] : a.shape[2]
        let kb = transposeB ? b.shape[2] : b.shape[1], n = transposeB ? b.shape[1] : b.shape[2]
        precondition(k == kb, "Tensor.matmul: inner extents differ: \(a.shape) × \(b.shape)")
        let sa = a.shape[1] * a.shape[2], sb = b.shape[1] * b.shape[2]
        return Tensor(shape: [batch, m, n]) { out in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    batchedGEMM(batch: batch, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                a: pa.baseAddress!, strideA: sa, lda: a.shape[2],
                                b: pb.baseAddress!, strideB: sb, ldb: b.shape[2],
                                beta: 0, c: out.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// Runs `batch` independent GEMMs. Small products are spread over cores one GEMM per
    /// task (each single-threaded in BLAS terms), large ones use BLAS's own threads.
    @usableFromInline
    static func batchedGEMM(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, strideA: Int, lda: Int,
                            b: UnsafePointer<Float>, strideB: Int, ldb: Int,
                            alpha: Float = 1, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let workers = Parallel.workers
        if batch >= workers && workers > 1 && BLAS.nativeThreads == 1 && batch * m * n * k >= BLAS.parallelThreshold {
            // One single-threaded GEMM per batch item, items spread over cores.
            Parallel.perform(workers) { w in
                for i in (batch * w / workers)..<(batch * (w + 1) / workers) {
                    BLAS.sgemmCall(transposeA, transposeB, m, n, k, alpha, a + i * strideA, lda,
                                   b + i * strideB, ldb, beta, c + i * m * n, ldc)
                }
            }
            return
        }
        for i in 0..<batch {
            BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                       alpha: alpha, a: a + i * strideA, lda: lda, b: b + i * strideB, ldb: ldb,
                       beta: beta, c: c + i * m * n, ldc: ldc)
        }
    }
}
