import Foundation
import Testing
@testable import CausalEngine
import StatsKit

/// A known linear SCM: Z → X (0.8), Z → Y (1.5), X → Y (2.0), X → M (−1.0), M → Y (0.5).
/// Total effect of X on Y = 2.0 + (−1.0)(0.5) = 1.5.
@Suite struct SCMTests {
    static let names = ["Z", "X", "M", "Y"]
    static let w: [[Double]] = [[0, 0.8, 0, 1.5], [0, 0, -1.0, 2.0], [0, 0, 0, 0.5], [0, 0, 0, 0]]
    static var graph: DAG { try! DAG(nodes: names, adjacency: Matrix(w)) }

    func data(n: Int = 2000, seed: UInt64 = 1) -> DataSet {
        let d = sampleLinearSEM(Self.w, n: n, seed: seed, intercepts: [1, 0, 2, -1])
        return try! DataSet(names: Self.names, columns: d.columns)
    }

    @Test func fitRecoversCoefficients() throws {
        let m = try StructuralCausalModel.fit(graph: Self.graph, data: data())
        #expect(close(m.mechanisms[3].linearCoefficient(of: 1), 2.0, tol: 0.05))
        #expect(close(m.mechanisms[3].linearCoefficient(of: 0), 1.5, tol: 0.05))
        #expect(close(m.mechanisms[1].noiseSD, 1.0, tol: 0.05))
    }

    @Test func doInterventionMatchesAnalyticEffect() throws {
        let m = try StructuralCausalModel.fit(graph: Self.graph, data: data())
        let e1 = try m.linearInterventionalMean(of: 3, interventions: [.set(1, to: 2)])
        let e0 = try m.linearInterventionalMean(of: 3, interventions: [.set(1, to: 0)])
        #expect(close((e1 - e0) / 2, 1.5, tol: 0.05))
        // Analytic E[Y | do(X = x)] = −1 + 1.5·E[Z] + 2x + 0.5·(2 − x) with E[Z] = 1.
        let analytic: Double = -1 + 1.5 * 1 + 2 * 2 + 0.5 * (2 - 2)
        #expect(close(e1, analytic, tol: 0.1))
        // Monte-Carlo from the interventional distribution agrees; Z is untouched by do(X).
        var rng = SeededGenerator(seed: 3)
        let s = try m.sample(20000, interventions: [.set(1, to: 2)], using: &rng)
        let meanY = s.columns[3].reduce(0, +) / 20000, meanZ = s.columns[0].reduce(0, +) / 20000
        #expect(close(meanY, e1, tol: 0.05))
        #expect(close(meanZ, 1, tol: 0.05))
        #expect(s.columns[1].allSatisfy { $0 == 2 })
        // Observational regression of Y on X alone is confounded: it differs from 1.5.
        let obs = try m.sample(20000, using: &rng)
        let x = obs.columns[1], y = obs.columns[3]
        let mx = x.reduce(0, +) / 20000, my = y.reduce(0, +) / 20000
        let slope = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        #expect(abs(slope - 1.5) > 0.3)
    }

    @Test func softInterventionShiftsByTotalEffect() throws {
        let m = try StructuralCausalModel.fit(graph: Self.graph, data: data())
        let base = try m.linearInterventionalMean(of: 3, interventions: [])
        let shifted = try m.linearInterventionalMean(of: 3, interventions: [.shift(1, by: 1)])
        #expect(close(shifted - base, 1.5, tol: 0.05))
        let scaled = try m.linearInterventionalMean(of: 2, interventions: [.scale(2, by: 3)])
        let mBase = try m.linearInterventionalMean(of: 2, interventions: [])
        #expect(close(scaled, 3 * mBase, tol: 1e-9))
        let custom = Intervention(node: 1, .transform { $0 + 1 })
        #expect(close(try m.linearInterventionalMean(of: 3, interventions: [custom]), shifted, tol: 1e-12))
    }

    @Test func counterfactualKeepsUnitNoise() throws {
        let d = data()
        let m = try StructuralCausalModel.fit(graph: Self.graph, data: d)
        let row = (0..<4).map { d.columns[$0][17] }
        let cf = try m.counterfactual(row: row, interventions: [.set(1, to: row[1] + 1)])
        // Linear additive noise: Y changes by exactly the fitted total effect, Z unchanged.
        let total = m.mechanisms[3].linearCoefficient(of: 1) + m.mechanisms[2].linearCoefficient(of: 1) * m.mechanisms[3].linearCoefficient(of: 2)
        #expect(close(cf[3] - row[3], total, tol: 1e-9))
        #expect(cf[0] == row[0])
        // No intervention reproduces the observation (abduction is exact).
        let same = try m.counterfactual(row: row, interventions: [])
        for j in 0..<4 { #expect(close(same[j], row[j], tol: 1e-9)) }
    }

    @Test func additiveNoisePolynomialFitsQuadraticMechanism() throws {
        var rng = SeededGenerator(seed: 4)
        let n = 1500
        let x = (0..<n).map { _ in 2 * rng.nextUniform() - 1 }
        let y = x.map { 1 + 0.5 * $0 + 2 * $0 * $0 + 0.1 * (rng.nextUniform() - 0.5) }
        let data = try DataSet(names: ["x", "y"], columns: [x, y])
        let g = try DAG(nodes: ["x", "y"], edges: [("x", "y")])
        let m = try StructuralCausalModel.fit(graph: g, data: data, kind: .additiveNoise(degree: 2))
        #expect(close(m.mechanisms[1].coefficients[1], 2, tol: 0.02))
        // Counterfactual at x = 0.5 for a unit keeps its residual.
        let cf = try m.counterfactual(row: [x[0], y[0]], interventions: [.set(0, to: 0.5)])
        let resid = y[0] - m.mechanisms[1].predict([x[0], 0])
        #expect(close(cf[1], m.mechanisms[1].predict([0.5, 0]) + resid, tol: 1e-12))
        // Sampling uses the empirical residuals: values stay within the residual range.
        let s = try m.sample(500, interventions: [.set(0, to: 0)], using: &rng)
        let r = m.mechanisms[1].residuals
        let lo = m.mechanisms[1].intercept + r.min()!, hi = m.mechanisms[1].intercept + r.max()!
        #expect(s.columns[1].allSatisfy { $0 >= lo - 1e-12 && $0 <= hi + 1e-12 })
    }

    @Test func ateWithBootstrapCoversTruth() throws {
        var rng = SeededGenerator(seed: 5)
        let est = try StructuralCausalModel.averageTreatmentEffect(
            graph: Self.graph, data: data(n: 800, seed: 2), treatment: "X", outcome: "Y",
            treated: 1, control: 0, bootstrapReplicates: 60, using: &rng)
        #expect(close(est.estimate, 1.5, tol: 0.1))
        #expect(est.lower < 1.5 && est.upper > 1.5)
        #expect(est.lower < est.estimate && est.estimate < est.upper)
        #expect(est.standardError > 0 && est.standardError < 0.1)
    }
}
