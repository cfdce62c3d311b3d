import CTensorKernels

/// A K×N right-hand GEMM operand rounded once to bfloat16 and packed for the AVX512-BF16
/// `vdpbf16ps` micro-kernel, for fp32-accumulated inference GEMMs (`C = A·B + bias`).
///
/// Layout: panels of 48 columns; each panel stores ⌈K/2⌉ rows of 48 32-bit words, word
/// `[p][j]` holding the bf16 pair `(B[2p][j], B[2p+1][j])` (low, high half), zero padded past N
/// and past an odd K. One 512-bit load is then 16 columns × one k-pair. Storage is 2·K·N bytes
/// (rounded up to whole panels), half the fp32 weights.
///
/// Numerics: both operands are rounded to bf16 with round-to-nearest-even (as
/// `vcvtneps2bf16`: NaN stays NaN, subnormal inputs become zero); products are exact in fp32
/// and summed in fp32. On CPUs without AVX512-BF16 (``isAvailable`` is false) ``multiply(_:rows:lda:into:ldc:bias:accumulate:)``
/// uses a portable scalar loop with the same rounding, so results differ only by fp32
/// summation order, but it is far slower than OpenBLAS sgemm: callers should keep their fp32
/// path when ``isAvailable`` is false.
///
/// Speed (Zen 4, one core): 190-225 GFLOP/s on the MiniLM Linear shapes, 1.9-2.5x OpenBLAS
/// sgemm; see NOTES.md for the blocking (Goto/BLIS: K chunks ≤ 512, 256-row A blocks, an 8×48
/// register tile).
///
/// Immutable after `init`, hence `Sendable`; share one instance between threads freely.
public final class PackedBFloat16Matrix: @unchecked Sendable {
    /// Rows of B (the reduction dimension K).
    public let rows: Int
    /// Columns of B (N, the output features).
    public let columns: Int
    private let storage: UnsafeMutablePointer<UInt32>
    private let words: Int

    /// Whether this CPU runs the AVX512-BF16 kernel (checked once per process).
    public static var isAvailable: Bool { tk_bf16_available() != 0 }

    /// Packs a `k`×`n` matrix: `weights[i * n + j]` is B[i][j], or, when `transposed`, the
    /// `n`×`k` PyTorch `Linear` weight layout `[out, in]` with `weights[j * k + i]` = B[i][j].
    /// O(k·n) time, 2·k·n bytes.
    public init(weights: UnsafeBufferPointer<Float>, rows k: Int, columns n: Int, transposed: Bool) {
        (storage, words) = Self.pack(weights, k, n, transposed)
        rows = k
        columns = n
    }

    /// Packs an array of weights, laid out as for the buffer initialiser.
    public init(weights: [Float], rows k: Int, columns n: Int, transposed: Bool) {
        (storage, words) = weights.withUnsafeBufferPointer { Self.pack($0, k, n, transposed) }
        rows = k
        columns = n
    }

    private static func pack(_ weights: UnsafeBufferPointer<Float>, _ k: Int, _ n: Int,
                             _ transposed: Bool) -> (UnsafeMutablePointer<UInt32>, Int) {
        precondition(k >= 0 && n >= 0, "PackedBFloat16Matrix: negative shape \(k)x\(n)")
        precondition(weights.count >= k * n, "PackedBFloat16Matrix: \(weights.count) weights for a \(k)x\(n) matrix")
        let words = max(1, tk_bf16_packed_words(k, n))
        let raw = UnsafeMutableRawPointer.allocate(byteCount: words * 4, alignment: 64)
        let storage = raw.bindMemory(to: UInt32.self, capacity: words)
        storage.initialize(repeating: 0, count: words)
        if k > 0 && n > 0, let base = weights.baseAddress {
            tk_bf16_pack_b(base, k, n, transposed ? k : n, transposed ? 1 : 0, storage)
        }
        return (storage, words)
    }

    deinit { storage.deallocate() }

    /// Bytes held by the packed operand.
    public var byteCount: Int { words * 4 }

    /// `C = A·B (+ bias) (+ C)` with A `m`×K fp32 row-major (leading dimension `lda`) rounded to
    /// bf16 on the fly, C `m`×N fp32 (leading dimension `ldc`), `bias` N values added to every
    /// row, and the previous C added when `accumulate`. 2·m·K·N flops; products of at least
    /// about a million multiply-adds are split over the cores (along M in multiples of the
    /// 8-row micro-kernel, or along 48-column panels when M is small).
    public func multiply(_ a: UnsafePointer<Float>, rows m: Int, lda: Int, into c: UnsafeMutablePointer<Float>,
                         ldc: Int, bias: UnsafePointer<Float>?, accumulate: Bool) {
        multiply(a, rows: m, lda: lda, into: c, ldc: ldc, bias: bias, accumulate: accumulate,
                 portable: false, threads: nil)
    }

    /// As `multiply(_:rows:lda:into:ldc:bias:accumulate:)`, with the portable loop forced
    /// (`portable`) and a thread count (`nil`: automatic), for tests and benchmarks.
    public func multiply(_ a: UnsafePointer<Float>, rows m: Int, lda: Int, into c: UnsafeMutablePointer<Float>,
                          ldc: Int, bias: UnsafePointer<Float>?, accumulate: Bool, portable: Bool, threads: Int?) {
        let k = rows, n = columns
        precondition(m >= 0 && lda >= k && ldc >= n, "PackedBFloat16Matrix.multiply: m \(m), lda \(lda) (K \(k)), ldc \(ldc) (N \(n))")
        if m == 0 || n == 0 { return }
        let work = m * n * max(k, 1)
        let cores = threads ?? (work < Self.parallelThreshold ? 1 : Self.cores)
        let panel = Int(TK_BF16_PANEL), height = Int(TK_BF16_ROWS)
        let panels = (n + panel - 1) / panel
        let force: Int32 = portable ? 1 : 0
        let acc: Int32 = accumulate ? 1 : 0
        let packed = UnsafePointer(storage)
        if cores <= 1 || (m < 2 * height && panels < 2) {
            tk_bf16_gemm(m, n, k, a, lda, packed, c, ldc, bias, acc, 0, n, force)
            return
        }
        if m >= cores * 4 * height || panels < cores {
            // Along M: contiguous row blocks, each a multiple of the kernel height.
            let blocks = (m + height - 1) / height
            let parts = min(cores, blocks)
            Parallel.perform(parts) { w in
                let lo = min(m, blocks * w / parts * height), hi = min(m, blocks * (w + 1) / parts * height)
                guard hi > lo else { return }
                tk_bf16_gemm(hi - lo, n, k, a + lo * lda, lda, packed, c + lo * ldc, ldc, bias, acc, 0, n, force)
            }
        } else {
            // Along N: whole panels, every part rounding the (small) A itself.
            let parts = min(cores, panels)
            Parallel.perform(parts) { w in
                let lo = panels * w / parts * panel, hi = min(n, panels * (w + 1) / parts * panel)
                guard hi > lo else { return }
                tk_bf16_gemm(m, n, k, a, lda, packed, c, ldc, bias, acc, lo, hi, force)
            }
        }
    }

    /// Multiply-adds below which a product runs on the calling thread.
    static let parallelThreshold = 1 << 20
    static var cores: Int { Parallel.workers }
}
