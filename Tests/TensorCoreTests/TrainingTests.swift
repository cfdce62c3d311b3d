import Foundation
import Testing
@testable import TensorCore

@Suite("Layers, losses and optimizers train")
struct TrainingTests {
    @Test func mlpLearnsXOR() {
        var g = SeededGenerator(seed: 1)
        let mlp = MLP(sizes: [2, 8, 1], activation: .tanh, using: &g)
        var opt = Adam(parameters: mlp.parameters, learningRate: 0.05)
        let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        var last: Float = 1
        for _ in 0..<400 {
            let tape = Tape()
            let loss = Loss.binaryCrossEntropy(logits: mlp(tape.constant(x)), targets: y)
            mlp.zeroGrad()
            tape.backward(loss)
            opt.step()
            last = loss.value.scalar
        }
        #expect(last < 0.05, "XOR loss \(last)")
        let p = mlp(x).sigmoid()
        #expect(p.scalars.map { $0 > 0.5 ? 1 : 0 } == [0, 1, 1, 0] as [Float])
    }

    @Test func seededLinearRegressionReachesNoiseFloor() {
        // y = X w* + b* + ε, ε ~ N(0, 0.1²): the best achievable MSE is ≈ 0.01.
        var g = SeededGenerator(seed: 2)
        let x = Tensor.randomNormal([256, 5], using: &g)
        let wStar = Tensor(shape: [1, 5], scalars: [1.5, -2, 0.5, 3, -1])
        let y = Tensor.linear(x, weight: wStar, bias: Tensor([0.7])) + Tensor.randomNormal([256, 1], std: 0.1, using: &g)
        let model = Linear(5, 1, using: &g)
        var opt = SGD(parameters: model.parameters, learningRate: 0.05, momentum: 0.9)
        var loss: Float = 0
        for _ in 0..<150 {
            let tape = Tape()
            let l = Loss.mse(model(tape.constant(x)), y)
            model.zeroGrad(); tape.backward(l); opt.step()
            loss = l.value.scalar
        }
        #expect(loss < 0.0125, "final MSE \(loss)")
        for j in 0..<5 { #expect(abs(model.weight.value.scalars[j] - wStar.scalars[j]) < 0.05) }
        #expect(abs(model.bias!.value.scalars[0] - 0.7) < 0.05)
    }

    @Test func mlpRegressionWithCosineScheduleAndClipping() {
        // y = sin(x) on [-3, 3]; a 1-32-32-1 tanh MLP with AdamW, warmup+cosine, clipping.
        var g = SeededGenerator(seed: 3)
        let x = Tensor.randomUniform([128, 1], low: -3, high: 3, using: &g)
        let y = x.map { Foundation.sin($0) }
        let mlp = MLP(sizes: [1, 32, 32, 1], activation: .tanh, using: &g)
        var opt = AdamW(parameters: mlp.parameters, learningRate: 0.01, weightDecay: 1e-4)
        let schedule = LearningRateSchedule(base: 0.01, warmupSteps: 20, totalSteps: 600, decay: .cosine)
        var loss: Float = 0
        for step in 0..<600 {
            let tape = Tape()
            let l = Loss.mse(mlp(tape.constant(x)), y)
            mlp.zeroGrad(); tape.backward(l)
            clipGradientNorm(mlp.parameters, maxNorm: 1)
            opt.learningRate = schedule(step)
            opt.step()
            loss = l.value.scalar
        }
        #expect(loss < 0.003, "sin regression MSE \(loss)")
    }

    @Test func adamFirstStepsMatchHandComputation() {
        let p = Parameter(Tensor([1, -2]))
        var opt = Adam(parameters: [p], learningRate: 0.1)
        p.grad = Tensor([0.5, -4])
        opt.step()
        // step 1: m̂ = g, v̂ = g², update = lr · g / (|g| + ε)
        #expect(abs(p.value[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-6)
        #expect(abs(p.value[1] - (-2 + 0.1)) < 1e-6)
        p.grad = Tensor([1, 0])
        opt.step()
        let m = 0.9 * 0.1 * 0.5 + 0.1 * 1.0, v = 0.999 * 0.001 * 0.25 + 0.001 * 1.0
        let expected = (1 - 0.1 * 0.5 / (0.5 + 1e-8)) - 0.1 * (m / (1 - 0.81)) / ((v / (1 - 0.998001)).squareRoot() + 1e-8)
        #expect(abs(Double(p.value[0]) - expected) < 1e-5)
    }

    /// The SIMD body and the scalar tail of Adam against a Double reference, L2 and decoupled.
    @Test(arguments: [false, true])
    func adamVectorKernelMatchesReference(_ decoupled: Bool) {
        let n = 37
        var w = (0..<n).map { Double(Float(sin(Double($0)))) }
        let p = Parameter(Tensor(w.map { Float($0) }))
        var opt = Adam(parameters: [p], learningRate: 0.05, weightDecay: 0.1, decoupledWeightDecay: decoupled)
        var m = [Double](repeating: 0, count: n), v = m
        for t in 1...3 {
            let g = (0..<n).map { Double(Float(cos(Double($0 * t)))) }
            p.grad = Tensor(g.map { Float($0) })
            opt.step()
            for j in 0..<n {
                var gj = g[j]
                if decoupled { w[j] *= 1 - 0.05 * 0.1 } else { gj += 0.1 * w[j] }
                m[j] = 0.9 * m[j] + 0.1 * gj
                v[j] = 0.999 * v[j] + 0.001 * gj * gj
                let mh = m[j] / (1 - pow(0.9, Double(t))), vh = v[j] / (1 - pow(0.999, Double(t)))
                w[j] -= 0.05 * mh / (vh.squareRoot() + 1e-8)
            }
        }
        for j in 0..<n { #expect(abs(Double(p.value.scalars[j]) - w[j]) < 1e-5, "element \(j)") }
    }

    @Test func vectorSquareRootMatchesScalar() {
        var worst: Float = 0
        var x: Float = 1e-30
        while x < 1e30 {
            let v = SIMD8<Float>(repeating: x)
            let r = sqrtNonNegative(v)[3]
            worst = max(worst, abs(r - x.squareRoot()) / x.squareRoot())
            x *= 1.37
        }
        #expect(worst < 5e-7, "relative error \(worst)")
        #expect(sqrtNonNegative(SIMD8<Float>(repeating: 0))[0] == 0)
    }

    @Test func adamWDecaysWeightsDecoupled() {
        let p = Parameter(Tensor([2]))
        var opt = AdamW(parameters: [p], learningRate: 0.1, weightDecay: 0.5)
        p.grad = Tensor([0])
        opt.step()
        #expect(abs(p.value[0] - 2 * (1 - 0.05)) < 1e-6) // zero gradient: only the decay moves w
        let frozen = Parameter(Tensor([3]), requiresGrad: false)
        frozen.grad = Tensor([1])
        var o2 = Adam(parameters: [frozen]); o2.step()
        #expect(frozen.value == Tensor([3]))
    }

    @Test func sgdMomentumMatchesHandComputation() {
        let p = Parameter(Tensor([1]))
        var opt = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        p.grad = Tensor([2]); opt.step()   // v = 2, w = 1 - 0.2
        p.grad = Tensor([1]); opt.step()   // v = 0.9·2 + 1 = 2.8, w = 0.8 - 0.28
        #expect(abs(p.value[0] - 0.52) < 1e-6)
    }

    @Test func clippingScalesToTheGlobalNorm() {
        let a = Parameter(Tensor([3])), b = Parameter(Tensor([0, 4]))
        a.grad = Tensor([3]); b.grad = Tensor([0, 4])
        let n = clipGradientNorm([a, b], maxNorm: 1)
        #expect(abs(n - 5) < 1e-6)
        #expect(abs(a.grad![0] - 0.6) < 1e-5 && abs(b.grad![1] - 0.8) < 1e-5)
        #expect(abs(clipGradientNorm([a, b], maxNorm: 10) - 1) < 1e-4) // under the limit: unchanged
    }

    @Test func schedulesHitTheirKnots() {
        let lin = LearningRateSchedule(base: 1, warmupSteps: 10, totalSteps: 110, decay: .linear)
        #expect(lin(0) == 0.1 && lin(9) == 1 && lin(10) == 1 && abs(lin(60) - 0.5) < 1e-6 && lin(200) == 0)
        let cos = LearningRateSchedule(base: 2, warmupSteps: 0, totalSteps: 100, decay: .cosine, minimum: 0.2)
        #expect(cos(0) == 2 && abs(cos(50) - 1.1) < 1e-5 && abs(cos(100) - 0.2) < 1e-6)
        #expect(LearningRateSchedule(base: 3)(1000) == 3)
    }

    @Test func encoderLayerTapeAndInferenceAgreeAndRespectPadding() {
        var g = SeededGenerator(seed: 4)
        let layer = TransformerEncoderLayer(hidden: 16, heads: 4, feedForward: 32, dropout: 0.1, using: &g)
        let x = Tensor.randomNormal([2, 5, 16], using: &g)
        let mask = Attention.keyPaddingMask([[true, true, true, false, false], [true, true, true, true, true]])
        let inference = layer(x, mask: mask)
        let tape = Tape(isTraining: false)
        let tracked = layer(tape.constant(x), mask: mask)
        #expect(close(inference, tracked.value, 1e-5))
        // Changing padded tokens leaves real tokens of that sequence unchanged.
        var x2 = x
        for d in 0..<16 { x2[0, 4, d] = 9 }
        let out2 = layer(x2, mask: mask)
        #expect(close(out2.slice(0..<1).slice(0..<3, axis: 1), inference.slice(0..<1).slice(0..<3, axis: 1), 1e-5))
        // HF BERT parameter names.
        let names = Set(layer.namedParameters().map(\.name))
        #expect(names.contains("attention.self.query.weight") && names.contains("attention.output.LayerNorm.bias")
                && names.contains("intermediate.dense.weight") && names.contains("output.LayerNorm.weight"))
        #expect(layer.parameterCount == 4 * (16 * 16 + 16) + (16 * 32 + 32) + (32 * 16 + 16) + 2 * (2 * 16))
    }

    @Test func encoderLayerGradientMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 5)
        let layer = TransformerEncoderLayer(hidden: 8, heads: 2, feedForward: 12, dropout: 0, layerNormEps: 1e-5, using: &g)
        let x = Tensor.randomNormal([1, 3, 8], using: &g)
        let c = GradCase("encoder", [x]) { v in layer(v[0], mask: Attention.keyPaddingMask([[true, true, false]])) }
        let (worst, detail) = gradCheck(c)
        #expect(worst <= 1, "\(detail)")
        // Parameter gradient spot check on the FFN weight.
        let tape = Tape()
        let r = Tensor.randomNormal([1, 3, 8], using: &g)
        func loss(_ v: Variable) -> Variable { (layer(v) * Variable(r)).sum() }
        layer.zeroGrad()
        tape.backward((layer(tape.constant(x)) * tape.constant(r)).sum())
        let w = layer.intermediate.weight
        let analytic = w.grad!.scalars[5]
        let orig = w.value.scalars[5]
        w.value.scalars[5] = orig + 1e-2; let up = Double(loss(Variable(x)).value.scalar)
        w.value.scalars[5] = orig - 1e-2; let down = Double(loss(Variable(x)).value.scalar)
        w.value.scalars[5] = orig
        #expect(abs(Double(analytic) - (up - down) / 2e-2) < 5e-3 + 2e-2 * abs(Double(analytic)))
    }

    @Test func embeddingGradientsScatterIntoRows() {
        var g = SeededGenerator(seed: 6)
        let emb = Embedding(count: 4, dimension: 3, using: &g)
        let tape = Tape()
        let out = emb([2, 0, 2], shape: [1, 3], tape: tape)
        #expect(out.shape == [1, 3, 3])
        tape.backward(out.sum())
        #expect(emb.weight.grad == Tensor([[1, 1, 1], [0, 0, 0], [2, 2, 2], [0, 0, 0]]))
        #expect(emb([1]) == emb.weight.value.slice(1..<2))
    }
}
