import Testing
@testable import TensorCore

let gradCases: [GradCase] = [
    GradCase("add", [rnd([3, 4], seed: 1), rnd([3, 4], seed: 2)]) { $0[0] + $0[1] },
    GradCase("add broadcast row", [rnd([3, 4], seed: 1), rnd([4], seed: 2)]) { $0[0] + $0[1] },
    GradCase("add broadcast left", [rnd([4], seed: 1), rnd([2, 3, 4], seed: 2)]) { $0[0] + $0[1] },
    GradCase("sub broadcast", [rnd([2, 3, 4], seed: 3), rnd([3, 4], seed: 4)]) { $0[0] - $0[1] },
    GradCase("sub broadcast left", [rnd([4], seed: 3), rnd([3, 4], seed: 4)]) { $0[0] - $0[1] },
    GradCase("mul broadcast", [rnd([3, 4], seed: 5), rnd([4], seed: 6)]) { $0[0] * $0[1] },
    GradCase("div", [rnd([3, 4], seed: 7), rnd([3, 4], seed: 8, low: 0.5, high: 2)]) { $0[0] / $0[1] },
    GradCase("div broadcast left", [rnd([4], seed: 7), rnd([3, 4], seed: 8, low: 0.5, high: 2)]) { $0[0] / $0[1] },
    GradCase("scalar ops", [rnd([5], seed: 9)]) { (-(($0[0] * 3 + 1) - 2) / 4) },
    GradCase("relu", [rndAwayFromZero([4, 5], seed: 10)]) { $0[0].relu() },
    GradCase("gelu", [rnd([4, 5], seed: 11, low: -3, high: 3)]) { $0[0].gelu() },
    GradCase("tanh", [rnd([4, 5], seed: 12, low: -2, high: 2)]) { $0[0].tanh() },
    GradCase("sigmoid", [rnd([4, 5], seed: 13, low: -4, high: 4)]) { $0[0].sigmoid() },
    GradCase("exp", [rnd([4, 5], seed: 14)]) { $0[0].exp() },
    GradCase("log", [rnd([4, 5], seed: 15, low: 0.5, high: 3)]) { $0[0].log() },
    GradCase("squared", [rnd([6], seed: 16)]) { $0[0].squared() },
    GradCase("sqrt", [rnd([6], seed: 17, low: 0.5, high: 3)]) { $0[0].sqrt() },
    GradCase("abs", [rndAwayFromZero([6], seed: 18)]) { $0[0].abs() },
    GradCase("clamped", [rnd([20], seed: 19, low: -2, high: 2).map { $0.magnitude > 0.4 && $0.magnitude < 0.6 ? $0 * 2 : $0 }]) { $0[0].clamped(-0.5, 0.5) },
    GradCase("minimum", [rnd([8], seed: 20), rnd([8], seed: 21)]) { Variable.minimum($0[0], $0[1]) },
    GradCase("maximum", [rnd([8], seed: 22), rnd([8], seed: 23)]) { Variable.maximum($0[0], $0[1]) },
    GradCase("sum", [rnd([3, 4], seed: 24)]) { $0[0].sum() },
    GradCase("mean", [rnd([3, 4], seed: 25)]) { $0[0].mean() },
    GradCase("sum axis 1", [rnd([2, 3, 4], seed: 26)]) { $0[0].sum(axis: 1) },
    GradCase("mean axis -1 keep", [rnd([2, 3, 4], seed: 27)]) { $0[0].mean(axis: -1, keepingDimension: true) },
    GradCase("matmul", [rnd([3, 4], seed: 28), rnd([4, 5], seed: 29)]) { Variable.matmul($0[0], $0[1]) },
    GradCase("matmul Aᵀ", [rnd([4, 3], seed: 30), rnd([4, 5], seed: 31)]) { Variable.matmul($0[0], $0[1], transposeA: true) },
    GradCase("matmul Bᵀ", [rnd([3, 4], seed: 32), rnd([5, 4], seed: 33)]) { Variable.matmul($0[0], $0[1], transposeB: true) },
    GradCase("matmul AᵀBᵀ", [rnd([4, 3], seed: 34), rnd([5, 4], seed: 35)]) { Variable.matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    GradCase("matmul flattened", [rnd([2, 3, 4], seed: 36), rnd([4, 2], seed: 37)]) { Variable.matmul($0[0], $0[1]) },
    GradCase("batched matmul", [rnd([2, 3, 4], seed: 38), rnd([2, 4, 5], seed: 39)]) { Variable.matmul($0[0], $0[1]) },
    GradCase("batched matmul AᵀBᵀ", [rnd([2, 4, 3], seed: 40), rnd([2, 5, 4], seed: 41)]) { Variable.matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    GradCase("linear", [rnd([2, 3, 4], seed: 42), rnd([5, 4], seed: 43), rnd([5], seed: 44)]) { Variable.linear($0[0], weight: $0[1], bias: $0[2]) },
    GradCase("linear no bias", [rnd([3, 4], seed: 45), rnd([2, 4], seed: 46)]) { Variable.linear($0[0], weight: $0[1], bias: nil) },
    GradCase("reshape", [rnd([2, 6], seed: 47)]) { $0[0].reshaped([3, -1]) * $0[0].reshaped([3, 4]) },
    GradCase("transpose", [rnd([2, 3, 4], seed: 48)]) { $0[0].transposed() },
    GradCase("permute 0213", [rnd([2, 3, 4, 5], seed: 49)]) { $0[0].permuted([0, 2, 1, 3]) },
    GradCase("permute 201", [rnd([2, 3, 4], seed: 50)]) { $0[0].permuted([2, 0, 1]) },
    GradCase("slice", [rnd([3, 5, 2], seed: 51)]) { $0[0].slice(1..<4, axis: 1) },
    GradCase("concat", [rnd([2, 3], seed: 52), rnd([2, 2], seed: 53)]) { Variable.concat([$0[0], $0[1]], axis: 1) },
    GradCase("gatherRows", [rnd([5, 3], seed: 54)]) { $0[0].gatherRows([4, 0, 4, 2]) },
    GradCase("pickLastAxis", [rnd([3, 4], seed: 55)]) { $0[0].pickLastAxis([3, 0, 1]) },
    GradCase("softmax", [rnd([3, 5], seed: 56, low: -3, high: 3)]) { $0[0].softmax() },
    GradCase("logSoftmax", [rnd([3, 5], seed: 57, low: -3, high: 3)]) { $0[0].logSoftmax() },
    GradCase("layerNorm", [rnd([3, 6], seed: 58, low: -2, high: 2), rnd([6], seed: 59), rnd([6], seed: 60)]) {
        Variable.layerNorm($0[0], gamma: $0[1], beta: $0[2], eps: 1e-5)
    },
    GradCase("attention masked", [rnd([2, 3, 4], seed: 61), rnd([2, 5, 4], seed: 62), rnd([2, 5, 3], seed: 63)]) {
        Variable.attention(query: $0[0], key: $0[1], value: $0[2],
                           mask: Attention.keyPaddingMask([[true, true, true, false, true]]))
    },
    GradCase("attention causal", [rnd([1, 4, 2], seed: 64), rnd([1, 4, 2], seed: 65), rnd([1, 4, 2], seed: 66)]) {
        Variable.attention(query: $0[0], key: $0[1], value: $0[2], mask: Attention.causalMask(4))
    },
    GradCase("mse", [rnd([4, 2], seed: 67)]) { Loss.mse($0[0], rnd([4, 2], seed: 68)) },
    GradCase("huber", [rnd([10], seed: 69, low: -3, high: 3)]) { Loss.huber($0[0], rnd([10], seed: 70), delta: 0.7) },
    GradCase("crossEntropy", [rnd([4, 3], seed: 71, low: -2, high: 2)]) { Loss.crossEntropy(logits: $0[0], labels: [2, 0, 1, 1]) },
    GradCase("binaryCrossEntropy", [rnd([6], seed: 72, low: -3, high: 3)]) {
        Loss.binaryCrossEntropy(logits: $0[0], targets: Tensor([0, 1, 1, 0, 0.3, 1]))
    },
]

@Suite("Gradient checks against central finite differences")
struct GradientTests {
    @Test(arguments: gradCases)
    func matchesFiniteDifferences(_ c: GradCase) {
        let (worst, detail) = gradCheck(c)
        #expect(worst <= 1, "\(c.name): \(detail)")
    }

    @Test func dropoutGradientIsItsMask() {
        let x = rnd([200], seed: 3, low: 0.5, high: 1)
        let tape = Tape(seed: 7)
        let v = tape.variable(x)
        let y = v.dropout(0.25)
        tape.backward(y.sum())
        let g = tape.gradient(of: v)!
        var dropped = 0
        for i in 0..<x.count {
            let kept = y.value.scalars[i] != 0
            if !kept { dropped += 1 }
            #expect(abs(g.scalars[i] - (kept ? 1 / 0.75 : 0)) < 1e-6)
            if kept { #expect(abs(y.value.scalars[i] - x.scalars[i] / 0.75) < 1e-6) }
        }
        #expect(dropped > 25 && dropped < 75, "dropped \(dropped) of 200 at p = 0.25")
        // Untracked (inference) and evaluation tapes pass through.
        #expect(Variable(x).dropout(0.25).value == x)
        #expect(Tape(isTraining: false).variable(x).dropout(0.25).value == x)
    }

    @Test func parametersAccumulateAcrossUses() {
        let p = Parameter(Tensor([1, 2, 3]))
        let tape = Tape()
        let a = tape.parameter(p), b = tape.parameter(p)
        tape.backward((a * b).sum()) // d/dp Σ p² = 2p
        #expect(p.grad == Tensor([2, 4, 6]))
        let frozen = Parameter(Tensor([1]), requiresGrad: false)
        #expect(!Tape().parameter(frozen).requiresGrad)
    }

    @Test func untrackedOpsRecordNothing() {
        let tape = Tape()
        let c = tape.constant(Tensor([1, 2]))
        let y = (c * c).relu().sum()
        #expect(!y.requiresGrad)
        #expect(tape.count == 0)
    }
}
