import Foundation
import TensorCore

/// Log-probabilities, entropies and samples of the action distribution a policy head
/// parameterises (`ActionKind`), on the tape for training and on plain tensors for acting.
extension ActionKind {
    /// Log-probability of each row's action `[B]` and the mean entropy (a scalar), both
    /// differentiable. `output` is the head's `[B, outputSize]`, `actions` `[B, width]`,
    /// `logStd` the Gaussian's `[width]` log standard deviation.
    func logProbabilityAndEntropy(output: Variable, actions: Tensor, logStd: Variable?) -> (logProbability: Variable, entropy: Variable) {
        let rows = output.shape[0]
        switch self {
        case .categorical(let counts):
            let indices = actions.scalars.map { Int($0) }
            if let c = uniformCount {
                // All components alike: one [B·k, c] log-softmax, one pick.
                let logits = output.reshaped([rows * counts.count, c]).logSoftmax()
                let logp = logits.pickLastAxis(indices).reshaped([rows, counts.count]).sum(axis: 1)
                let entropy = -(logits.exp() * logits).sum() * (1 / Float(rows))
                return (logp, entropy)
            }
            var logp: Variable?, entropy: Variable?
            var offset = 0
            for (k, c) in counts.enumerated() {
                let logits = output.slice(offset..<(offset + c), axis: 1).logSoftmax()
                let picked = logits.pickLastAxis((0..<rows).map { indices[$0 * counts.count + k] })
                let h = -(logits.exp() * logits).sum() * (1 / Float(rows))
                logp = logp.map { $0 + picked } ?? picked
                entropy = entropy.map { $0 + h } ?? h
                offset += c
            }
            return (logp!, entropy!)
        case .gaussian:
            guard let logStd else { preconditionFailure("ActionKind: a Gaussian head needs logStd") }
            let constant = output.tape?.constant(actions) ?? Variable(actions)
            let z = (constant - output) * (-logStd).exp()
            let perDimension = z.squared() * -0.5 - logStd - 0.5 * Float(Foundation.log(2 * Double.pi))
            let entropy = (logStd + Float(0.5 + 0.5 * Foundation.log(2 * Double.pi))).sum()
            return (perDimension.sum(axis: 1), entropy)
        }
    }

    /// Draws (or, `deterministic`, picks the mode of) one action per row of `output`
    /// `[B, outputSize]`: actions `[B · width]` (unclipped Gaussian samples, as stored for
    /// training) and their log-probabilities `[B]`.
    func sample(output: Tensor, logStd: Tensor?, deterministic: Bool,
                using generator: inout SeededGenerator) -> (actions: [Float], logProbabilities: [Float]) {
        let rows = output.shape[0], width = self.width, stride = outputSize
        var actions = [Float](repeating: 0, count: rows * width)
        var logps = [Float](repeating: 0, count: rows)
        output.withUnsafeBufferPointer { out in
            switch self {
            case .categorical(let counts):
                for r in 0..<rows {
                    var offset = r * stride
                    for (k, c) in counts.enumerated() {
                        let (choice, logp) = Self.sampleCategorical(out.baseAddress! + offset, count: c,
                                                                    deterministic: deterministic, using: &generator)
                        actions[r * width + k] = Float(choice)
                        logps[r] += logp
                        offset += c
                    }
                }
            case .gaussian:
                let logStd = logStd!.scalars
                let halfLog2Pi = Float(0.5 * Foundation.log(2 * Double.pi))
                for r in 0..<rows {
                    var logp: Float = 0
                    for d in 0..<width {
                        let noise: Float = deterministic ? 0 : generator.nextNormal()
                        actions[r * width + d] = out[r * stride + d] + Foundation.exp(logStd[d]) * noise
                        logp += -0.5 * noise * noise - logStd[d] - halfLog2Pi
                    }
                    logps[r] = logp
                }
            }
        }
        return (actions, logps)
    }

    /// Samples one index from `count` logits (numerically stable log-softmax) and returns it
    /// with its log-probability; `deterministic` takes the arg-max.
    private static func sampleCategorical(_ logits: UnsafePointer<Float>, count: Int, deterministic: Bool,
                                          using generator: inout SeededGenerator) -> (Int, Float) {
        var maxLogit = logits[0], best = 0
        for j in 1..<count where logits[j] > maxLogit { maxLogit = logits[j]; best = j }
        var total: Float = 0
        for j in 0..<count { total += Foundation.exp(logits[j] - maxLogit) }
        let logTotal = Foundation.log(total)
        var choice = best
        if !deterministic {
            var u = generator.nextUnitFloat() * total
            choice = count - 1
            for j in 0..<count {
                u -= Foundation.exp(logits[j] - maxLogit)
                if u < 0 { choice = j; break }
            }
        }
        return (choice, logits[choice] - maxLogit - logTotal)
    }

    /// `actions` clipped into the Gaussian's box (categorical actions pass unchanged).
    func clipped(_ actions: [Float]) -> [Float] {
        guard case .gaussian(let low, let high) = self else { return actions }
        let w = low.count
        return actions.enumerated().map { i, a in Swift.min(Swift.max(a, low[i % w]), high[i % w]) }
    }
}
