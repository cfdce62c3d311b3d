extension Tensor {
    /// Swaps the last two axes (a matrix transpose, batched over leading axes). O(n), copies.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "Tensor.transposed: needs rank >= 2, got shape \(shape)")
        let r = shape[rank - 2], c = shape[rank - 1]
        let batch = count / max(r * c, 1)
        var outShape = shape
        outShape.swapAt(rank - 2, rank - 1)
        return Tensor(shape: outShape) { out in
            scalars.withUnsafeBufferPointer { src in
                for b in 0..<batch {
                    let s = src.baseAddress! + b * r * c
                    let d = out.baseAddress! + b * r * c
                    // 32x32 tiles keep both sides in cache.
                    var i0 = 0
                    while i0 < r {
                        let i1 = min(i0 + 32, r)
                        var j0 = 0
                        while j0 < c {
                            let j1 = min(j0 + 32, c)
                            for i in i0..<i1 { for j in j0..<j1 { d[j * r + i] = s[i * c + j] } }
                            j0 = j1
                        }
                        i0 = i1
                    }
                }
            }
        }
    }

    /// Reorders axes: output axis `i` is input axis `order[i]` (like `torch.permute`). O(n), copies.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "Tensor.permuted: \(order) is not a permutation of \(rank) axes")
        if order == Array(0..<rank) { return self }
        if rank >= 2 && order == Array(0..<(rank - 2)) + [rank - 1, rank - 2] { return transposed() }
        let outShape = order.map { shape[$0] }
        let inStrides = strides
        let permStrides = order.map { inStrides[$0] }
        // Keep the innermost axis as a contiguous block when it does not move.
        let inner = order.last == rank - 1 ? shape[rank - 1] : 1
        let outerRank = inner > 1 ? rank - 1 : rank
        let blocks = count / max(inner, 1)
        return Tensor(shape: outShape) { out in
            scalars.withUnsafeBufferPointer { src in
                var idx = [Int](repeating: 0, count: outerRank)
                var srcOff = 0
                var dst = 0
                for _ in 0..<blocks {
                    if inner > 1 {
                        (out.baseAddress! + dst).update(from: src.baseAddress! + srcOff, count: inner)
                        dst += inner
                    } else {
                        out[dst] = src[srcOff]; dst += 1
                    }
                    // odometer over the outer axes of the output
                    var a = outerRank - 1
                    while a >= 0 {
                        idx[a] += 1
                        srcOff += permStrides[a]
                        if idx[a] < outShape[a] { break }
                        srcOff -= permStrides[a] * idx[a]
                        idx[a] = 0
                        a -= 1
                    }
                }
            }
        }
    }

    /// Elements `range` along `axis` (like `t[..., range, ...]`). O(output), copies.
    public func slice(_ range: Range<Int>, axis: Int = 0) -> Tensor {
        let ax = axis < 0 ? axis + rank : axis
        precondition(ax >= 0 && ax < rank, "Tensor.slice: axis \(axis) for shape \(shape)")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[ax], "Tensor.slice: \(range) out of 0..<\(shape[ax]) on axis \(ax)")
        let outer = shape[..<ax].reduce(1, *)
        let inner = shape[(ax + 1)...].reduce(1, *)
        var outShape = shape
        outShape[ax] = range.count
        let block = range.count * inner
        return Tensor(shape: outShape) { out in
            scalars.withUnsafeBufferPointer { src in
                for o in 0..<outer {
                    (out.baseAddress! + o * block).update(
                        from: src.baseAddress! + (o * shape[ax] + range.lowerBound) * inner, count: block)
                }
            }
        }
    }

    /// Joins tensors along `axis`; all other extents must match. O(total), copies.
    public static func concat(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "Tensor.concat: no tensors")
        let rank = parts[0].rank
        let ax = axis < 0 ? axis + rank : axis
        precondition(ax >= 0 && ax < rank, "Tensor.concat: axis \(axis) for rank \(rank)")
        for p in parts {
            precondition(p.rank == rank && zip(p.shape, parts[0].shape).enumerated().allSatisfy { $0.offset == ax || $0.element.0 == $0.element.1 },
                         "Tensor.concat: shape \(p.shape) does not match \(parts[0].shape) off axis \(ax)")
        }
        var outShape = parts[0].shape
        outShape[ax] = parts.reduce(0) { $0 + $1.shape[ax] }
        let outer = outShape[..<ax].reduce(1, *)
        let inner = outShape[(ax + 1)...].reduce(1, *)
        let rowLen = outShape[ax] * inner
        return Tensor(shape: outShape) { out in
            var col = 0
            for p in parts {
                let block = p.shape[ax] * inner
                p.scalars.withUnsafeBufferPointer { src in
                    for o in 0..<outer {
                        (out.baseAddress! + o * rowLen + col).update(from: src.baseAddress! + o * block, count: block)
                    }
                }
                col += block
            }
        }
    }

    /// Slices `indices` along axis 0: output shape `[indices.count] + shape[1...]`
    /// (an embedding lookup). Indices may repeat. O(output).
    public func gatherRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "Tensor.gatherRows: needs rank >= 1")
        let inner = shape[1...].reduce(1, *)
        let rows = shape[0]
        return Tensor(shape: [indices.count] + shape[1...]) { out in
            scalars.withUnsafeBufferPointer { src in
                for (i, r) in indices.enumerated() {
                    precondition(r >= 0 && r < rows, "Tensor.gatherRows: index \(r) out of 0..<\(rows)")
                    (out.baseAddress! + i * inner).update(from: src.baseAddress! + r * inner, count: inner)
                }
            }
        }
    }
}
