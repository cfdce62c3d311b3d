import Dispatch
#if canImport(Glibc)
import Glibc
#endif
#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
#endif

/// The bridge to the platform BLAS: OpenBLAS (`cblas_sgemm`) on Linux through the
/// `COpenBLAS` system library target, Accelerate on Apple platforms. There is no slow
/// fallback: building on Linux without `libopenblas-dev` fails at compile time.
public enum BLAS {
    /// Puts OpenBLAS in single-threaded mode once: TensorCore splits each large GEMM
    /// across cores itself (`sgemm`), so no BLAS worker threads spin (`sched_yield`)
    /// while our own elementwise work runs on the same cores.
    ///
    /// Setting the environment variable `TENSORCORE_BLAS_THREADS=N` (N > 1) instead hands
    /// threading to OpenBLAS (N threads inside each call) and disables the split.
    @usableFromInline static let configured: Bool = {
        #if !canImport(Accelerate) && canImport(COpenBLAS)
        openblas_set_num_threads(Int32(nativeThreads))
        #endif
        return true
    }()

    /// Threads OpenBLAS uses inside one call (1 unless `TENSORCORE_BLAS_THREADS` is set).
    @usableFromInline static let nativeThreads: Int = {
        guard let v = getenv("TENSORCORE_BLAS_THREADS"), let n = Int(String(cString: v)), n > 1 else { return 1 }
        return n
    }()

    /// GEMMs below this many multiply-adds run on one core.
    public static let parallelThreshold = 1 << 20

    /// Sets how many threads OpenBLAS itself uses inside one call (no-op on Accelerate).
    /// TensorCore keeps it at 1 and parallelises above it; raise it only for callers that
    /// run their own large GEMMs through `cblas` directly.
    public static func setThreadCount(_ n: Int) {
        _ = configured
        #if !canImport(Accelerate) && canImport(COpenBLAS)
        openblas_set_num_threads(Int32(max(1, n)))
        #endif
    }

    /// `C = alpha · op(A) · op(B) + beta · C`, row-major, with `op` a transpose when the flag
    /// is set. `A` is `m×k` after `op`, `B` is `k×n` after `op`, `C` is `m×n`; `lda`, `ldb`,
    /// `ldc` are row strides in elements of the stored (not transposed) matrices.
    /// 2·m·n·k flops.
    @inlinable
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = configured
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        let workers = Parallel.workers
        if workers > 1 && nativeThreads == 1 && m * n * k >= parallelThreshold && max(m, n) >= 2 * workers {
            // Split the larger of M (rows of op(A) and C) and N (columns of op(B) and C): each
            // thread then packs the smaller operand whole and half of the larger one.
            let splitRows = m >= n
            let extent = splitRows ? m : n
            Parallel.perform(workers) { w in
                let lo = extent * w / workers, hi = extent * (w + 1) / workers
                guard hi > lo else { return }
                if splitRows {
                    sgemmCall(transposeA, transposeB, hi - lo, n, k, alpha,
                              a + (transposeA ? lo : lo * lda), lda, b, ldb, beta, c + lo * ldc, ldc)
                } else {
                    sgemmCall(transposeA, transposeB, m, hi - lo, k, alpha,
                              a, lda, b + (transposeB ? lo * ldb : lo), ldb, beta, c + lo, ldc)
                }
            }
        } else {
            sgemmCall(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
    }

    /// One `cblas_sgemm` call on the calling thread (row-major), without TensorCore's split.
    @inlinable @inline(__always)
    public static func sgemmCall(_ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                          _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                          _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
