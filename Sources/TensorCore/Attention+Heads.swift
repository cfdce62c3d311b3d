extension Attention {
    /// Where a sequence's query, key and value rows live: row `s` of head `h` starts at
    /// `base + s · rowStride + h · headDim` (query), `+ keyOffset` (key), `+ valueOffset`
    /// (value). Separate `[T, H]` projections use `rowStride = H`; one fused `[T, 3H]`
    /// projection uses `rowStride = 3H`, `keyOffset = H`, `valueOffset = 2H`.
    public struct HeadLayout: Sendable {
        public var heads: Int
        public var headDim: Int
        public var rowStride: Int
        public var keyOffset: Int
        public var valueOffset: Int

        public init(heads: Int, headDim: Int, rowStride: Int, keyOffset: Int, valueOffset: Int) {
            self.heads = heads; self.headDim = headDim; self.rowStride = rowStride
            self.keyOffset = keyOffset; self.valueOffset = valueOffset
        }
    }

    /// Inference-only multi-head self-attention over sequences read in place (no head
    /// permute copies): for each sequence and head, `softmax(Q Kᵀ/√d + mask) V` is written
    /// into that head's columns of `output` (row stride `heads · headDim`). Sequences run
    /// in parallel across cores.
    ///
    /// - Parameters:
    ///   - source: the projections, laid out as `layout` says, sequences' rows consecutive.
    ///   - starts, lengths: first row and row count of each sequence.
    ///   - mask: per sequence an additive `lengths[i]`-wide mask row (`[N, 1, S]` masks,
    ///     `maskRowStride` 0) or square block (`[N, S, S]`, `maskRowStride` S), starting at
    ///     `mask + i · maskSequenceStride`; nil for none.
    public static func multiHead(
        source: UnsafePointer<Float>, layout: HeadLayout, starts: [Int], lengths: [Int],
        mask: UnsafePointer<Float>? = nil, maskSequenceStride: Int = 0, maskRowStride: Int = 0,
        output: UnsafeMutablePointer<Float>
    ) {
        precondition(starts.count == lengths.count, "Attention.multiHead: starts and lengths differ in count")
        let count = lengths.count
        guard count > 0 else { return }
        let (heads, dh, stride) = (layout.heads, layout.headDim, layout.rowStride)
        let width = heads * dh
        let scale = 1 / Float(dh).squareRoot()
        let longest = lengths.max() ?? 0
        let work = lengths.reduce(0) { $0 + $1 * $1 } * width
        let workers = work >= 1 << 18 ? min(Parallel.workers, count) : 1
        Parallel.perform(workers) { w in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, longest * longest))
            defer { scores.deallocate() }
            for i in Swift.stride(from: w, to: count, by: workers) {
                let n = lengths[i]
                guard n > 0 else { continue }
                let rows = source + starts[i] * stride
                for h in 0..<heads {
                    let q = rows + h * dh
                    BLAS.sgemm(transposeA: false, transposeB: true, m: n, n: n, k: dh, alpha: scale,
                               a: q, lda: stride, b: q + layout.keyOffset, ldb: stride, c: scores, ldc: n)
                    if let mask {
                        let m = mask + i * maskSequenceStride
                        for r in 0..<n {
                            let dst = scores + r * n, add = m + r * maskRowStride
                            for j in 0..<n { dst[j] += add[j] }
                        }
                    }
                    Tensor.softmaxRows(scores, rows: n, cols: n)
                    BLAS.sgemm(transposeA: false, transposeB: false, m: n, n: dh, k: n,
                               a: scores, lda: n, b: q + layout.valueOffset, ldb: stride,
                               c: output + starts[i] * width + h * dh, ldc: width)
                }
            }
        }
    }
}
