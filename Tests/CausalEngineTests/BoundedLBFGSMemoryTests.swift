import Testing
@testable import CausalEngine
import StatsKit

/// The parts of the L-BFGS-B memory that are kept up to date between iterations instead of
/// being recomputed, checked against a recomputation from scratch.
struct BoundedLBFGSMemoryTests {
    @Test func keptInnerProductsAndGramMatrixEqualFreshSums() {
        let n = 37, capacity = 4
        let memo = BoundedLBFGS.Memory(n: n, capacity: capacity, lower: [Double](repeating: 0, count: n),
                                       upper: [Double](repeating: .infinity, count: n))
        var rng = SeededGenerator(seed: 11)
        let padded = memo.paddedCount
        var x = [Double](repeating: 0, count: padded), g = x, xNew = x, gNew = x
        for step in 0..<40 {
            if step % 3 != 2 {
                // A new pair: about half the variables move; y is dense, with sᵀy > 0.
                for i in 0..<n {
                    let s = Bool.random(using: &rng) ? 0 : Double.random(in: 0.1...1, using: &rng)
                    xNew[i] = x[i] + s
                    gNew[i] = g[i] + 2 * s + Double.random(in: -0.05...0.05, using: &rng)
                }
                memo.update(x: x, xNew: xNew, g: g, gNew: gNew)
                swap(&x, &xNew)
                swap(&g, &gNew)
                // sᵀy and sᵀs between live slots, summed over the s supports only, against
                // full dot products over every variable.
                let live = (0..<memo.count).map { memo.slot($0) }
                for p in live {
                    for q in live {
                        var sy = 0.0, ss = 0.0
                        for i in 0..<n {
                            let row = i * memo.stride
                            sy += memo.rows[row + capacity + p] * memo.rows[row + q]
                            ss += memo.rows[row + capacity + p] * memo.rows[row + capacity + q]
                        }
                        #expect(abs(memo.sy[p * capacity + q] - sy) <= 1e-12 * max(1, abs(sy)), "step \(step): s\(p)·y\(q)")
                        #expect(abs(memo.ss[p * capacity + q] - ss) <= 1e-12 * max(1, abs(ss)), "step \(step): s\(p)·s\(q)")
                    }
                }
            }
            // A new free set every step (0 = on the bound).
            for i in 0..<n { memo.xcp[i] = Bool.random(using: &rng) ? 0 : Double.random(in: 0.1...2, using: &rng) }
            let nFree = memo.updateFreeGram()
            #expect(nFree == (0..<n).filter { memo.xcp[$0] > 0 }.count)
            let (rows, stride) = (memo.rows, memo.stride)
            for a in 0..<(2 * capacity) {
                for b in 0..<(2 * capacity) {
                    var sum = 0.0, scale = 0.0
                    for i in 0..<n where memo.xcp[i] > 0 {
                        let product = rows[i * stride + a] * rows[i * stride + b]
                        sum += product
                        scale += abs(product)
                    }
                    let kept = memo.gram[a * stride + b]
                    #expect(abs(kept - sum) <= 1e-12 * max(1, scale), "step \(step), entry (\(a), \(b)): kept \(kept), fresh \(sum)")
                }
            }
        }
        #expect(memo.count == capacity)   // the ring wrapped, so slots were rewritten
    }

    @Test func blockCholeskySubspaceSolveMatchesADenseSolve() throws {
        let n = 29, capacity = 5
        let memo = BoundedLBFGS.Memory(n: n, capacity: capacity, lower: [Double](repeating: 0, count: n),
                                       upper: [Double](repeating: .infinity, count: n))
        var rng = SeededGenerator(seed: 3)
        var x = [Double](repeating: 0, count: memo.paddedCount), g = x, xNew = x, gNew = x
        for step in 0..<12 {
            for i in 0..<n {
                let s = Double.random(in: -1...1, using: &rng)
                xNew[i] = x[i] + s
                gNew[i] = g[i] + (1 + Double(i % 3)) * s + Double.random(in: -0.1...0.1, using: &rng)
            }
            memo.update(x: x, xNew: xNew, g: g, gNew: gNew)
            swap(&x, &xNew)
            swap(&g, &gNew)
            for i in 0..<n { memo.xcp[i] = Bool.random(using: &rng) ? 0 : 1 }
            _ = memo.updateFreeGram()
            // K = M⁻¹ − WᵀZZᵀW / θ written out densely in logical order.
            let k = memo.count, k2 = 2 * k, (cap, stride, theta) = (capacity, memo.stride, memo.theta)
            var dense = Matrix(rows: k2, cols: k2)
            for a in 0..<k {
                for b in 0..<k {
                    let (ya, yb, sa, sb) = (memo.slot(a), memo.slot(b), cap + memo.slot(a), cap + memo.slot(b))
                    dense[a, b] = (a == b ? -memo.curvatures[a] : 0) - memo.gram[ya * stride + yb] / theta
                    dense[a, k + b] = memo.lowerSY[b * k + a] - memo.gram[ya * stride + sb]
                    dense[k + a, b] = memo.lowerSY[a * k + b] - memo.gram[sa * stride + yb]
                    dense[k + a, k + b] = memo.scaledSS[a * k + b] - theta * memo.gram[sa * stride + sb]
                }
            }
            let rhs = (0..<k2).map { _ in Double.random(in: -1...1, using: &rng) }
            let expected = try #require(dense.solve(Matrix(rows: k2, cols: 1, values: rhs)))
            var solved = rhs
            #expect(memo.solveSubspaceSystem(&solved))
            for j in 0..<k2 {
                #expect(abs(solved[j] - expected.values[j]) <= 1e-9 * max(1, abs(expected.values[j])), "step \(step), entry \(j)")
            }
        }
    }
}
