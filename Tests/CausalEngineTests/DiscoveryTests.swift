import Foundation
import Testing
@testable import CausalEngine
import StatsKit

@Suite struct DiscoveryTests {
    static let truth: [[Double]] = [
        [0, 1.5, -1.0, 0, 0],
        [0, 0, 0, 1.2, 0],
        [0, 0, 0, 0.8, 0],
        [0, 0, 0, 0, -1.3],
        [0, 0, 0, 0, 0],
    ]

    /// The augmented-Lagrangian gradient equals central finite differences.
    @Test func objectiveGradientMatchesFiniteDifferences() {
        let data = sampleLinearSEM(Self.truth, n: 200, seed: 3)
        let d = 5
        let obj = NOTEARS.Objective(s: data.covariance, d: d, l1: [Double](repeating: 0.1, count: d * d))
        obj.rho = 10
        obj.alpha = 0.7
        var rng = SeededGenerator(seed: 9)
        let x = (0..<(2 * d * d)).map { _ in 0.3 * rng.nextUniform() }
        var g = [Double](repeating: 0, count: 2 * d * d), scratch = g
        _ = obj.evaluate(x, &g)
        for k in stride(from: 0, to: 2 * d * d, by: 3) {
            var xp = x, xm = x
            xp[k] += 1e-6; xm[k] -= 1e-6
            let fd = (obj.evaluate(xp, &scratch) - obj.evaluate(xm, &scratch)) / 2e-6
            #expect(close(g[k], fd, tol: 1e-5 * max(1, abs(fd))), "component \(k): \(g[k]) vs \(fd)")
        }
    }

    /// The allocation-free evaluation equals the objective written out in `Matrix` algebra,
    /// F = ½tr((I−W)ᵀS(I−W)) + ρ/2·h² + αh + λ₁Σ(W⁺+W⁻), ∇ from the formulas, at a small W
    /// (low-degree Padé) and a large one (Padé 13 with scaling and squaring).
    @Test(arguments: [0.05, 1.5])
    func objectiveMatchesMatrixFormula(scale: Double) {
        let d = 12, dd = 144
        var rng = SeededGenerator(seed: 4)
        let x0 = Matrix(rows: d, cols: 20, values: (0..<(20 * d)).map { _ in rng.nextUniform() - 0.5 })
        let s = (1.0 / 20) * (x0 * x0.transposed)
        let l1 = (0..<dd).map { $0 % 5 == 0 ? 0 : 0.1 }
        let obj = NOTEARS.Objective(s: s, d: d, l1: l1)
        obj.rho = 30
        obj.alpha = 2
        var x = (0..<(2 * dd)).map { _ in rng.nextUniform() < 0.2 ? scale * rng.nextUniform() : 0 }
        for i in 0..<d { x[i * d + i] = 0; x[dd + i * d + i] = 0 }
        var g = [Double](repeating: .nan, count: 2 * dd)
        let f = obj.evaluate(x, &g)

        let w = NOTEARS.Objective.combine(x, d)
        let iw = Matrix.identity(d) - w
        let m = s * iw
        let e = w.hadamard(w).exponential()
        let h = e.trace - Double(d)
        let loss = 0.5 * (iw.transposed * m).trace
        let penalty = (0..<dd).reduce(0.0) { $0 + l1[$1] * (x[$1] + x[dd + $1]) }
        let expectedF = loss + 0.5 * obj.rho * h * h + obj.alpha * h + penalty
        #expect(close(f, expectedF, tol: 1e-12 * abs(expectedF)), "F \(f) vs \(expectedF)")
        for i in 0..<d {
            for j in 0..<d {
                let smooth = -m[i, j] + (obj.rho * h + obj.alpha) * e[j, i] * 2 * w[i, j]
                let k = i * d + j, tol = 1e-12 * max(1, abs(smooth))
                #expect(close(g[k], smooth + l1[k], tol: tol) && close(g[dd + k], -smooth + l1[k], tol: tol), "entry \(i),\(j)")
            }
        }
    }

    @Test func notearsRecoversKnownLinearDAG() throws {
        let data = sampleLinearSEM(Self.truth, n: 1000, seed: 7)
        let result = try NOTEARS().fit(data)
        #expect(shd(result.weights, Matrix(Self.truth)) <= 1, "SHD \(shd(result.weights, Matrix(Self.truth)))")
        #expect(result.acyclicity <= 1e-8)
        #expect(!DAG.hasCycle(result.weights))
        // Recovered weights are close to the true coefficients.
        #expect(close(result.weights[0, 1], 1.5, tol: 0.2))
        #expect(close(result.weights[3, 4], -1.3, tol: 0.2))
        let dag = try result.dag(names: data.names)
        #expect(dag.edges.count == Matrix(Self.truth).values.filter { $0 != 0 }.count)
    }

    @Test func notearsRejectsDataWhoseCovarianceOverflows() throws {
        let data = try DataSet(names: ["a", "b"], columns: [[1e300, -1e300, 3e300], [1, 2, 3]])
        #expect(throws: CausalError.self) { _ = try NOTEARS().fit(data) }
    }

    @Test func notearsHonoursPriorKnowledge() throws {
        let data = sampleLinearSEM(Self.truth, n: 1000, seed: 7)
        let prior = try PriorKnowledge(names: data.names, forbidden: [("x0", "x1")],
                                       tiers: ["x4": 0, "x0": 1, "x1": 1, "x2": 1, "x3": 1], maxParents: 1)
        let r = try NOTEARS(prior: prior).fit(data)
        #expect(r.weights[0, 1] == 0)                        // forbidden
        for i in 0..<4 { #expect(r.weights[i, 4] == 0) }   // x4 in an earlier tier: no edge into it
        #expect((0..<4).contains { r.weights[4, $0] != 0 })  // the dependence is kept, reversed
        for j in 0..<5 { #expect((0..<5).filter { r.weights[$0, j] != 0 }.count <= 1) }
        #expect(throws: CausalError.self) {
            try PriorKnowledge(names: data.names, required: [("x0", "x1")], forbidden: [("x0", "x1")]).validate(nodeCount: 5)
        }
    }

    @Test func pcRecoversColliderAndChain() throws {
        // x0 → x2 ← x1, x2 → x3: the v-structure orients x0, x1 → x2 and Meek R1 orients x2 → x3.
        let w: [[Double]] = [[0, 0, 1.0, 0], [0, 0, -1.2, 0], [0, 0, 0, 0.9], [0, 0, 0, 0]]
        let data = sampleLinearSEM(w, n: 2000, seed: 4)
        let r = try PC(alpha: 0.01).fit(data)
        #expect(shd(r.adjacency, Matrix(w)) == 0)
        #expect(r.directed[0][2] && r.directed[1][2] && r.directed[2][3])
        let dag = try r.dag(names: data.names)
        #expect(dag.edges.count == 3)
    }

    @Test func pcChainStaysUndirected() throws {
        // A chain is Markov equivalent to its reversals: PC must leave it undirected.
        let w: [[Double]] = [[0, 1.0, 0], [0, 0, 1.0], [0, 0, 0]]
        let r = try PC().fit(sampleLinearSEM(w, n: 2000, seed: 8))
        #expect(r.undirected[0][1] && r.undirected[1][2] && !r.undirected[0][2])
        let prior = try PriorKnowledge(names: ["x0", "x1", "x2"], tiers: ["x0": 0, "x1": 1, "x2": 2])
        let tiered = try PC(prior: prior).fit(sampleLinearSEM(w, n: 2000, seed: 8))
        #expect(tiered.directed[0][1] && tiered.directed[1][2])
    }

    /// Partial correlation from the precision matrix equals the correlation of regression residuals.
    @Test func partialCorrelationMatchesResidualCorrelation() throws {
        let data = sampleLinearSEM(Self.truth, n: 500, seed: 1)
        let c = data.correlation
        let rho = PC.partialCorrelation(c, 1, 2, [0])
        func residual(_ y: [Double], on x: [Double]) -> [Double] {
            let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
            let b = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
            return zip(x, y).map { $1 - my - b * ($0 - mx) }
        }
        let r1 = residual(data.columns[1], on: data.columns[0]), r2 = residual(data.columns[2], on: data.columns[0])
        let num = zip(r1, r2).reduce(0) { $0 + $1.0 * $1.1 }
        let den = (r1.reduce(0) { $0 + $1 * $1 } * r2.reduce(0) { $0 + $1 * $1 }).squareRoot()
        #expect(close(rho, num / den, tol: 1e-10))
        #expect(PC.fisherZPValue(c, 1, 2, [0], 500) > 0.001)   // x1 ⊥ x2 | x0 holds in the truth
        #expect(PC.fisherZPValue(c, 1, 2, [], 500) < 1e-6)      // marginally dependent
    }
}
