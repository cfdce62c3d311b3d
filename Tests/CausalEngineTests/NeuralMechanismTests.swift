import CausalEngine
import Foundation
import StatsKit
import Testing

@Suite("Neural (MLP) mechanisms")
struct NeuralMechanismTests {
    /// y = sin(2x) + noise: the linear SCM gets do(x = 1) wrong, the neural one gets it right;
    /// counterfactuals stay exact (abduction through the additive noise).
    @Test func fitsANonLinearRelationAndAnswersInterventions() throws {
        var rng = SeededGenerator(seed: 11)
        let n = 800
        let x = (0..<n).map { _ in rng.nextUniform() * 4 - 2 }
        let y = x.map { Foundation.sin(2 * $0) + 0.1 * rng.nextGaussian() }
        let data = try DataSet(names: ["x", "y"], columns: [x, y])
        let graph = try DAG(nodes: ["x", "y"], edges: [("x", "y")])
        let neural = try StructuralCausalModel.fit(graph: graph, data: data, kind: .neural(hidden: 16))
        let linear = try StructuralCausalModel.fit(graph: graph, data: data, kind: .linearGaussian)

        func meanY(_ model: StructuralCausalModel, at value: Double) throws -> Double {
            var r = SeededGenerator(seed: 1)
            let samples = try model.sample(4000, interventions: [.set(0, to: value)], using: &r)
            return samples.columns[1].reduce(0, +) / Double(samples.rowCount)
        }
        for value in [-1.0, 0.5, 1.0] {
            let truth = Foundation.sin(2 * value)
            #expect(abs(try meanY(neural, at: value) - truth) < 0.08, "neural at \(value)")
        }
        #expect(abs(try meanY(linear, at: 1) - Foundation.sin(2)) > 0.3, "the linear model cannot follow the sine")
        // Residual spread close to the true noise (0.1): the network explains the signal.
        #expect(neural.mechanisms[1].noiseSD < 0.15)
        // Counterfactual without intervention reproduces the observation exactly.
        let unit = [x[3], y[3]]
        let same = try neural.counterfactual(row: unit, interventions: [])
        #expect(abs(same[1] - y[3]) < 1e-9)
        #expect(throws: CausalError.self) { try StructuralCausalModel.fit(graph: graph, data: data, kind: .neural(hidden: 0)) }
    }
}
