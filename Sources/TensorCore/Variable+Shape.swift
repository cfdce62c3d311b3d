extension Variable {
    /// Same elements, new shape (one extent may be -1).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let (ia, s) = (id, shape)
        return recordOp(value.reshaped(newShape), self) {{ g, t in t.accumulate(ia, g.reshaped(s)) }}
    }

    /// Swaps the last two axes.
    public func transposed() -> Variable {
        let ia = id
        return recordOp(value.transposed(), self) {{ g, t in t.accumulate(ia, g.transposed()) }}
    }

    /// Reorders axes (output axis i = input axis order[i]); backward applies the inverse order.
    public func permuted(_ order: [Int]) -> Variable {
        let ia = id
        var inverse = order
        for (i, o) in order.enumerated() { inverse[o] = i }
        return recordOp(value.permuted(order), self) {{ g, t in t.accumulate(ia, g.permuted(inverse)) }}
    }

    /// `range` along `axis`; backward scatters into zeros.
    public func slice(_ range: Range<Int>, axis: Int = 0) -> Variable {
        let ax = axis < 0 ? axis + value.rank : axis
        let (ia, s) = (id, shape)
        return recordOp(value.slice(range, axis: ax), self) {{ g, t in
            var parts: [Tensor] = []
            var before = s; before[ax] = range.lowerBound
            var after = s; after[ax] = s[ax] - range.upperBound
            if range.lowerBound > 0 { parts.append(.zeros(before)) }
            parts.append(g)
            if after[ax] > 0 { parts.append(.zeros(after)) }
            t.accumulate(ia, Tensor.concat(parts, axis: ax))
        }}
    }

    /// Joins variables along `axis`; backward slices the gradient back apart.
    public static func concat(_ parts: [Variable], axis: Int = 0) -> Variable {
        let y = Tensor.concat(parts.map(\.value), axis: axis)
        let ax = axis < 0 ? axis + y.rank : axis
        let ids = parts.map(\.id), sizes = parts.map { $0.shape[ax] }
        var tape: Tape?
        for p in parts where tape == nil { tape = p.tape }
        guard let t0 = tape, ids.contains(where: { $0 >= 0 }) else { return Variable(y, tape: tape, id: -1) }
        return t0.record(y) { g, t in
            var start = 0
            for (id, n) in zip(ids, sizes) {
                if id >= 0 { t.accumulate(id, g.slice(start..<(start + n), axis: ax)) }
                start += n
            }
        }
    }

    /// Rows of a `[rows, ...]` variable by index (an embedding lookup); backward scatter-adds.
    public func gatherRows(_ indices: [Int]) -> Variable {
        let (ia, s) = (id, shape)
        return recordOp(value.gatherRows(indices), self) {{ g, t in
            let inner = s[1...].reduce(1, *)
            var dx = Tensor.zeros(s)
            dx.scalars.withUnsafeMutableBufferPointer { d in
                g.scalars.withUnsafeBufferPointer { gs in
                    for (i, r) in indices.enumerated() {
                        let dst = d.baseAddress! + r * inner, src = gs.baseAddress! + i * inner
                        for j in 0..<inner { dst[j] += src[j] }
                    }
                }
            }
            t.accumulate(ia, dx)
        }}
    }

    /// For `[..., D]` picks element `indices[row]` of every row: `[...]`. Used for the
    /// log-probability of taken actions and for cross-entropy.
    public func pickLastAxis(_ indices: [Int]) -> Variable {
        let d = value.lastDim, rows = value.rowCount
        precondition(indices.count == rows, "Variable.pickLastAxis: \(indices.count) indices for \(rows) rows")
        let y = value.scalars.withUnsafeBufferPointer { p in
            Tensor(shape: Array(shape.dropLast())) { out in
                for r in 0..<rows {
                    precondition(indices[r] >= 0 && indices[r] < d, "Variable.pickLastAxis: index \(indices[r]) out of 0..<\(d)")
                    out[r] = p[r * d + indices[r]]
                }
            }
        }
        let (ia, s) = (id, shape)
        return recordOp(y, self) {{ g, t in
            var dx = Tensor.zeros(s)
            for r in 0..<rows { dx.scalars[r * d + indices[r]] = g.scalars[r] }
            t.accumulate(ia, dx)
        }}
    }
}
