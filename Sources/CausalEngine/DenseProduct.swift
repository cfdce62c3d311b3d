#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
#endif

/// The small dense products of the matrix exponential and the NOTEARS loss, through the
/// platform BLAS (OpenBLAS on Linux, Accelerate on Apple platforms): its kernels are chosen
/// at run time for the CPU (AVX-512 here), which Swift code built for baseline x86-64 is not.
/// OpenBLAS runs products this small on the calling thread, so nothing is configured.
enum DenseProduct {
    /// `c = alpha · a · b + beta · c`, row-major: `a` is m×k (row stride `lda`), `b` k×n
    /// (`ldb`), `c` m×n (`ldc`, must not overlap `a` or `b`). 2·m·n·k flops.
    @inline(__always)
    static func multiply(m: Int, n: Int, k: Int, alpha: Double = 1,
                         _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
                         beta: Double = 0, into c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `c = alpha · a · b` for square n×n operands.
    @inline(__always)
    static func square(_ n: Int, alpha: Double = 1, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                       into c: UnsafeMutablePointer<Double>) {
        multiply(m: n, n: n, k: n, alpha: alpha, a, lda: n, b, ldb: n, into: c, ldc: n)
    }
}
