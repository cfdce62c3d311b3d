import RealModule

extension Tensor {
    /// Sum of all elements (accumulated with relaxed ordering so it vectorises).
    public func sum() -> Float {
        scalars.withUnsafeBufferPointer { p in
            var s: Float = 0
            for v in p { s = Relaxed.sum(s, v) }
            return s
        }
    }
    /// Mean of all elements.
    public func mean() -> Float { count == 0 ? 0 : sum() / Float(count) }
    /// Largest element.
    public func maximum() -> Float { scalars.max() ?? -.infinity }

    /// Sums over `axis`, removing it (or keeping it with extent 1). O(n).
    public func sum(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let ax = axis < 0 ? axis + rank : axis
        precondition(ax >= 0 && ax < rank, "Tensor.sum: axis \(axis) for shape \(shape)")
        let outer = shape[..<ax].reduce(1, *), len = shape[ax], inner = shape[(ax + 1)...].reduce(1, *)
        var outShape = shape
        if keepingDimension { outShape[ax] = 1 } else { outShape.remove(at: ax) }
        return Tensor(shape: outShape) { out in
            scalars.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, d = out.baseAddress!
                for o in 0..<outer {
                    let dst = d + o * inner
                    if inner == 1 {
                        var acc: Float = 0
                        for k in 0..<len { acc = Relaxed.sum(acc, s[o * len + k]) }
                        dst[0] = acc
                    } else {
                        dst.update(from: s + o * len * inner, count: inner)
                        for k in 1..<Swift.max(len, 1) {
                            let row = s + (o * len + k) * inner
                            for i in 0..<inner { dst[i] += row[i] }
                        }
                        if len == 0 { dst.update(repeating: 0, count: inner) }
                    }
                }
            }
        }
    }

    /// Mean over `axis`.
    public func mean(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let ax = axis < 0 ? axis + rank : axis
        return sum(axis: ax, keepingDimension: keepingDimension) * (1 / Float(shape[ax]))
    }

    /// Index of the largest element of every row of the last axis: `[..., D]` -> `[...]`.
    public func argmaxLastAxis() -> [Int] {
        let d = lastDim
        return scalars.withUnsafeBufferPointer { p in
            (0..<rowCount).map { r in
                var best = 0
                for j in 1..<Swift.max(d, 1) where p[r * d + j] > p[r * d + best] { best = j }
                return best
            }
        }
    }

    /// Sum of squares of all elements.
    public func squaredNorm() -> Float {
        scalars.withUnsafeBufferPointer { p in
            var s: Float = 0
            for v in p { s = Relaxed.multiplyAdd(v, v, s) }
            return s
        }
    }
}
