import Foundation
import Testing
@testable import TensorCore

/// Naive triple loop, Double accumulation: the oracle for BLAS.
func naiveMatmul(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
    let m = a.count, k = b.count, n = b[0].count
    let fa = a.flatMap { $0 }, fb = b.flatMap { $0 }
    var out = [[Float]](repeating: [Float](repeating: 0, count: n), count: m)
    fa.withUnsafeBufferPointer { pa in
        fb.withUnsafeBufferPointer { pb in
            for i in 0..<m {
                var row = [Double](repeating: 0, count: n)
                for p in 0..<k {
                    let x = Double(pa[i * k + p])
                    for j in 0..<n { row[j] += x * Double(pb[p * n + j]) }
                }
                out[i] = row.map { Float($0) }
            }
        }
    }
    return out
}
func rows(_ t: Tensor) -> [[Float]] { (0..<t.shape[0]).map { Array(t.scalars[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) } }
func close(_ a: Tensor, _ b: Tensor, _ tol: Float = 1e-4) -> Bool {
    a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
}

@Suite("Tensor forward ops against independent oracles")
struct TensorOpsTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulMatchesNaive(_ flags: (Bool, Bool)) {
        let (tA, tB) = flags
        let a = rnd(tA ? [7, 5] : [5, 7], seed: 1), b = rnd(tB ? [3, 7] : [7, 3], seed: 2)
        let c = Tensor.matmul(a, b, transposeA: tA, transposeB: tB)
        let expected = Tensor(naiveMatmul(rows(tA ? a.transposed() : a), rows(tB ? b.transposed() : b)))
        #expect(close(c, expected))
    }

    @Test func batchedMatmulMatchesPerBatch() {
        let a = rnd([3, 4, 6], seed: 3), b = rnd([3, 6, 2], seed: 4)
        let c = Tensor.matmul(a, b)
        for i in 0..<3 {
            let e = Tensor(naiveMatmul(rows(a.slice(i..<(i + 1)).reshaped([4, 6])), rows(b.slice(i..<(i + 1)).reshaped([6, 2]))))
            #expect(close(c.slice(i..<(i + 1)).reshaped([4, 2]), e))
        }
    }

    /// Above `BLAS.parallelThreshold` the GEMM is split over cores by rows or by columns.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func largeSplitGemmMatchesNaive(_ flags: (Bool, Bool)) {
        let (tA, tB) = flags
        for (m, k, n) in [(140, 90, 100), (8, 300, 600), (600, 300, 9)] {
            #expect(m * n * k >= BLAS.parallelThreshold)
            let a = rnd(tA ? [k, m] : [m, k], seed: 5), b = rnd(tB ? [n, k] : [k, n], seed: 6)
            let c = Tensor.matmul(a, b, transposeA: tA, transposeB: tB)
            let e = Tensor(naiveMatmul(rows(tA ? a.transposed() : a), rows(tB ? b.transposed() : b)))
            #expect(close(c, e, 1e-4), "\(m)x\(k)x\(n) tA \(tA) tB \(tB)")
        }
    }

    @Test func largeBatchedGemmMatchesPerItem() {
        let a = rnd([6, 64, 48], seed: 7), b = rnd([6, 64, 80], seed: 8)
        let c = Tensor.matmul(a, b, transposeA: true) // 6·48·80·64 multiply-adds: parallel path
        for i in 0..<6 {
            let e = Tensor(naiveMatmul(rows(a.slice(i..<(i + 1)).reshaped([64, 48]).transposed()), rows(b.slice(i..<(i + 1)).reshaped([64, 80]))))
            #expect(close(c.slice(i..<(i + 1)).reshaped([48, 80]), e, 1e-4))
        }
    }

    @Test func linearMatchesDefinition() {
        let x = rnd([4, 3], seed: 7), w = rnd([2, 3], seed: 8), b = Tensor([0.5, -1])
        let y = Tensor.linear(x, weight: w, bias: b)
        for i in 0..<4 { for j in 0..<2 {
            var s: Float = b[j]
            for k in 0..<3 { s += x[i, k] * w[j, k] }
            #expect(abs(y[i, j] - s) < 1e-5)
        } }
    }

    @Test func softmaxIsStableAndNormalised() {
        let x = Tensor([[1000, 1001, 999], [-5, 0, 5]])
        let s = x.softmax()
        let e0 = [exp(-1.0), 1, exp(-2.0)].map { $0 / (exp(-1.0) + 1 + exp(-2.0)) }
        for j in 0..<3 { #expect(abs(Double(s[0, j]) - e0[j]) < 1e-6) }
        for r in 0..<2 { #expect(abs(s.slice(r..<(r + 1)).sum() - 1) < 1e-6) }
        let ls = x.logSoftmax()
        #expect(ls.scalars.allSatisfy { $0.isFinite })
        #expect(close(ls.exp(), s, 1e-6))
        #expect(abs(Double(ls[0, 1]) - log(e0[1])) < 1e-5)
    }

    @Test func layerNormMatchesDoubleReference() {
        let x = rnd([3, 8], seed: 9, low: -3, high: 3), g = rnd([8], seed: 10), b = rnd([8], seed: 11)
        let y = x.layerNorm(gamma: g, beta: b, eps: 1e-5)
        for r in 0..<3 {
            let row = (0..<8).map { Double(x[r, $0]) }
            let mu = row.reduce(0, +) / 8
            let v = row.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 8
            for j in 0..<8 {
                let e = (row[j] - mu) / (v + 1e-5).squareRoot() * Double(g[j]) + Double(b[j])
                #expect(abs(Double(y[r, j]) - e) < 1e-5)
            }
        }
    }

    @Test func activationsMatchKnownValues() {
        let g = Tensor([1, -1, 0, 3]).gelu()
        // x·Φ(x): Φ(1) = 0.8413447460685429, Φ(3) = 0.9986501019683699
        #expect(abs(g[0] - 0.8413447) < 1e-6 && abs(g[1] + 0.1586553) < 1e-6 && g[2] == 0 && abs(g[3] - 2.9959503) < 1e-5)
        #expect(Tensor([-2, 3]).relu() == Tensor([0, 3]))
        let s = Tensor([-100, 0, 100]).sigmoid()
        #expect(s[0] >= 0 && s[0] < 1e-30 && s[1] == 0.5 && s[2] == 1)
        #expect(abs(Tensor([0.5]).tanh()[0] - Float(tanh(0.5))) < 1e-7)
    }

    @Test func erfMatchesLibm() {
        var worst = 0.0
        var x: Float = -8
        while x <= 8 {
            worst = max(worst, abs(Double(Tensor.erf(x)) - Foundation.erf(Double(x))))
            x += 0.00037
        }
        #expect(worst < 5e-7, "max |erf − libm erf| = \(worst)")
        #expect(Tensor.erf(0) == 0 && Tensor.erf(10) == 1 && Tensor.erf(-10) == -1)
    }

    @Test func fastExpMatchesLibm() {
        var worst = 0.0
        var x: Float = -87
        while x <= 0 {
            let ref = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(Tensor.expNonPositive(x)) - ref) / ref)
            x += 0.00113
        }
        #expect(worst < 2e-7, "max relative error \(worst)")
        #expect(Tensor.expNonPositive(0) == 1 && Tensor.expNonPositive(-100) == 0 && Tensor.expNonPositive(-1e9) == 0)
    }

    @Test func permuteMatchesIndexing() {
        let x = rnd([2, 3, 4, 5], seed: 12)
        for order in [[0, 2, 1, 3], [3, 1, 0, 2], [0, 1, 3, 2]] {
            let y = x.permuted(order)
            #expect(y.shape == order.map { x.shape[$0] })
            for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { for l in 0..<5 {
                let src = [i, j, k, l]
                let d = order.map { src[$0] }
                #expect(y[d[0], d[1], d[2], d[3]] == x[i, j, k, l])
            } } } }
        }
    }

    @Test func transposeOfOddSizes() {
        let x = rnd([37, 45], seed: 13)
        let t = x.transposed()
        #expect(t.shape == [45, 37])
        for i in 0..<37 { for j in 0..<45 { #expect(t[j, i] == x[i, j]) } }
    }

    @Test func sliceConcatGather() {
        let x = Tensor(shape: [2, 5], scalars: (0..<10).map(Float.init))
        let a = x.slice(0..<2, axis: 1), b = x.slice(2..<5, axis: 1)
        #expect(a == Tensor([[0, 1], [5, 6]]))
        #expect(Tensor.concat([a, b], axis: 1) == x)
        #expect(Tensor.concat([x, x], axis: 0).shape == [4, 5])
        #expect(x.gatherRows([1, 1, 0]) == Tensor([[5, 6, 7, 8, 9], [5, 6, 7, 8, 9], [0, 1, 2, 3, 4]]))
        #expect(x.sum(axis: 0) == Tensor([5, 7, 9, 11, 13]))
        #expect(x.sum(axis: 1, keepingDimension: true) == Tensor(shape: [2, 1], scalars: [10, 35]))
        #expect(x.argmaxLastAxis() == [4, 4])
        #expect(x.reshaped([5, -1]).shape == [5, 2])
    }

    @Test func largeElementwiseUsesBothCoresAndMatchesSerial() {
        let n = 300_000
        let a = rnd([n], seed: 14), b = rnd([n], seed: 15)
        let c = a * b + a
        for i in stride(from: 0, to: n, by: 997) { #expect(c.scalars[i] == a.scalars[i] * b.scalars[i] + a.scalars[i]) }
        #expect(c.scalars[n - 1] == a.scalars[n - 1] * b.scalars[n - 1] + a.scalars[n - 1])
    }

    @Test func seededRandomIsReproducibleAndCalibrated() {
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42)
        let a = Tensor.randomNormal([20_000], mean: 1, std: 2, using: &g1)
        #expect(a == Tensor.randomNormal([20_000], mean: 1, std: 2, using: &g2))
        let m = a.mean()
        let sd = (a - m).squared().mean().squareRoot()
        #expect(abs(m - 1) < 0.06 && abs(sd - 2) < 0.06)
        let u = Tensor.randomUniform([10_000], low: -1, high: 3, using: &g1)
        #expect(u.scalars.allSatisfy { $0 >= -1 && $0 < 3 } && abs(u.mean() - 1) < 0.05)
    }

    @Test func attentionMatchesNaiveAndIgnoresMaskedKeys() {
        let q = rnd([2, 3, 4], seed: 16), k = rnd([2, 5, 4], seed: 17), v = rnd([2, 5, 3], seed: 18)
        let valid = [[true, true, false, true, false], [true, true, true, true, true]]
        let mask = Attention.keyPaddingMask(valid)
        let (out, _) = Attention.forward(query: q, key: k, value: v, mask: mask)
        for b in 0..<2 { for i in 0..<3 {
            var w = [Double](repeating: 0, count: 5)
            for j in 0..<5 where valid[b][j] {
                w[j] = exp((0..<4).reduce(0.0) { $0 + Double(q[b, i, $1]) * Double(k[b, j, $1]) } / 2)
            }
            let z = w.reduce(0, +)
            for d in 0..<3 {
                let e = (0..<5).reduce(0.0) { $0 + w[$1] / z * Double(v[b, $1, d]) }
                #expect(abs(Double(out[b, i, d]) - e) < 1e-5)
            }
        } }
        var k2 = k, v2 = v
        k2[0, 2, 1] = 50; v2[0, 4, 0] = -70
        #expect(close(Attention.forward(query: q, key: k2, value: v2, mask: mask).output, out, 1e-6))
    }

    @Test func poolingAndNormalisation() {
        let x = Tensor(shape: [2, 3, 2], scalars: [1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 10])
        let pooled = x.maskedMeanPool(valid: [[true, true, false], [true, true, true]])
        #expect(pooled == Tensor([[2, 3], [7, 8]]))
        #expect(x.maskedMeanPool(valid: [[false, false, false], [true, false, false]]) == Tensor([[0, 0], [5, 6]]))
        let n = Tensor([[3, 4], [0, 0]]).l2NormalizedRows()
        #expect(n == Tensor([[0.6, 0.8], [0, 0]]))
    }
}
