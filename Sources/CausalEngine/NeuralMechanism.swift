import Foundation
import TensorCore

/// A non-linear mechanism f(pa) learned by a small MLP (one tanh hidden layer) on TensorCore,
/// kept as plain Double weights so evaluating it is cheap and the model stays a value.
///
/// Inputs and the output are standardised with the training data's means and deviations;
/// training is full-batch Adam on the mean squared error, seeded, so the same data gives the
/// same mechanism.
public struct NeuralMechanism: Sendable, Hashable {
    public let hidden: Int
    /// Hidden weights, row-major [hidden, inputs], and biases.
    public let w1: [Double]
    public let b1: [Double]
    /// Output weights [hidden] and bias.
    public let w2: [Double]
    public let b2: Double
    public let inputMean: [Double]
    public let inputScale: [Double]
    public let outputMean: Double
    public let outputScale: Double

    /// f evaluated on the parents' values (in `parents` order).
    @inlinable public func predict(parents values: [Double]) -> Double {
        let p = inputMean.count
        var y = b2
        for h in 0..<hidden {
            var a = b1[h]
            for k in 0..<p { a += w1[h * p + k] * (values[k] - inputMean[k]) / inputScale[k] }
            y += w2[h] * Foundation.tanh(a)
        }
        return outputMean + outputScale * y
    }

    /// Fits y ≈ f(x) for rows `x` (n × p, row-major) and targets `y`.
    static func fit(x: [Double], y: [Double], inputs p: Int, hidden: Int, epochs: Int = 400, seed: UInt64 = 0) -> NeuralMechanism {
        let n = y.count
        func moments(_ values: [Double]) -> (Double, Double) {
            let m = values.reduce(0, +) / Double(values.count)
            let sd = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
            return (m, sd > 1e-12 ? sd : 1)
        }
        var inputMean = [Double](repeating: 0, count: p), inputScale = [Double](repeating: 1, count: p)
        for k in 0..<p { (inputMean[k], inputScale[k]) = moments((0..<n).map { x[$0 * p + k] }) }
        let (outputMean, outputScale) = moments(y)
        let xs = Tensor(shape: [n, p], scalars: (0..<(n * p)).map { Float((x[$0] - inputMean[$0 % p]) / inputScale[$0 % p]) })
        let ys = Tensor(shape: [n, 1], scalars: y.map { Float(($0 - outputMean) / outputScale) })
        var g = SeededGenerator(seed: seed)
        let mlp = MLP(sizes: [p, hidden, 1], activation: .tanh, using: &g)
        var adam = Adam(parameters: mlp.trainableParameters, learningRate: 0.02)
        for _ in 0..<epochs {
            let tape = Tape()
            let loss = Loss.mse(mlp(tape.constant(xs)), ys)
            tape.backward(loss)
            adam.step()
            mlp.zeroGrad()
        }
        let first = mlp.layers[0], second = mlp.layers[1]
        return NeuralMechanism(hidden: hidden, w1: first.weight.value.scalars.map(Double.init), b1: first.bias!.value.scalars.map(Double.init),
                               w2: second.weight.value.scalars.map(Double.init), b2: Double(second.bias!.value.scalars[0]),
                               inputMean: inputMean, inputScale: inputScale, outputMean: outputMean, outputScale: outputScale)
    }
}
