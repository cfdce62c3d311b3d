import Foundation

/// Loss functions. Each returns the mean over elements (or rows) as a scalar `Variable`
/// and has a fused backward.
public enum Loss {
    /// Mean squared error `mean((prediction − target)²)`.
    public static func mse(_ prediction: Variable, _ target: Tensor) -> Variable {
        precondition(prediction.shape == target.shape || prediction.value.count == target.count,
                     "Loss.mse: prediction \(prediction.shape) vs target \(target.shape)")
        let diff = prediction - Variable(target.reshaped(prediction.shape))
        return (diff * diff).mean()
    }

    /// Huber loss with threshold `delta`: `½e²` for |e| ≤ δ, `δ(|e| − ½δ)` beyond; mean over elements.
    public static func huber(_ prediction: Variable, _ target: Tensor, delta: Float = 1) -> Variable {
        precondition(prediction.value.count == target.count, "Loss.huber: prediction \(prediction.shape) vs target \(target.shape)")
        let e = prediction.value - target.reshaped(prediction.shape)
        let n = Float(max(e.count, 1))
        let value = e.map { a in Swift.abs(a) <= delta ? 0.5 * a * a : delta * (Swift.abs(a) - 0.5 * delta) }.sum() / n
        let ip = prediction.id
        return recordOp(Tensor(scalar: value), prediction) {{ g, t in
            let s = g.scalar / n
            t.accumulate(ip, e.map { a in s * Swift.min(Swift.max(a, -delta), delta) })
        }}
    }

    /// Cross-entropy of `logits [N, C]` against class `labels` (N ints), mean over rows,
    /// computed through a stable log-softmax. Backward: `(softmax(logits) − onehot) / N`.
    public static func crossEntropy(logits: Variable, labels: [Int]) -> Variable {
        let c = logits.value.lastDim, n = logits.value.rowCount
        precondition(labels.count == n, "Loss.crossEntropy: \(labels.count) labels for \(n) rows")
        let logp = logits.value.logSoftmax()
        var total: Float = 0
        for (r, y) in labels.enumerated() {
            precondition(y >= 0 && y < c, "Loss.crossEntropy: label \(y) out of 0..<\(c)")
            total -= logp.scalars[r * c + y]
        }
        let il = logits.id
        return recordOp(Tensor(scalar: total / Float(n)), logits) {{ g, t in
            var d = logp.exp()
            for (r, y) in labels.enumerated() { d.scalars[r * c + y] -= 1 }
            t.accumulate(il, d * (g.scalar / Float(n)))
        }}
    }

    /// Binary cross-entropy on logits against targets in [0, 1], mean over elements, in the
    /// stable form `max(x, 0) − x·y + log(1 + e^−|x|)`. Backward: `(σ(x) − y) / N`.
    public static func binaryCrossEntropy(logits: Variable, targets: Tensor) -> Variable {
        precondition(logits.value.count == targets.count, "Loss.binaryCrossEntropy: logits \(logits.shape) vs targets \(targets.shape)")
        let x = logits.value, y = targets.reshaped(logits.shape)
        let n = Float(max(x.count, 1))
        let per = Kernels.zip(x, y) { a, b in max(a, 0) - a * b + Foundation.log1p(Foundation.exp(-Swift.abs(a))) }
        let il = logits.id
        return recordOp(Tensor(scalar: per.sum() / n), logits) {{ g, t in
            t.accumulate(il, (x.sigmoid() - y) * (g.scalar / n))
        }}
    }
}
