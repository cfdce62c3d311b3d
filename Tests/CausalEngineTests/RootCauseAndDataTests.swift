import Foundation
import Testing
@testable import CausalEngine
import StatsKit

@Suite struct RootCauseTests {
    // load → throughput → utility, config → throughput.
    static let names = ["config", "load", "throughput", "utility"]
    static let w: [[Double]] = [[0, 0, 1.0, 0], [0, 0, -2.0, 0], [0, 0, 0, 0.5], [0, 0, 0, 0]]

    func model() throws -> (StructuralCausalModel, DataSet) {
        let d = sampleLinearSEM(Self.w, n: 2000, seed: 12)
        let data = try DataSet(names: Self.names, columns: d.columns)
        let g = try DAG(nodes: Self.names, adjacency: Matrix(Self.w))
        return (try StructuralCausalModel.fit(graph: g, data: data), data)
    }

    @Test func anomalyAttributionIsExactForLinearModelsAndRanksTheCause() throws {
        let (m, _) = try model()
        var rng = SeededGenerator(seed: 1)
        // A load spike of +4σ.
        let obs = try m.counterfactual(row: [0, 0, 0, 0].enumerated().map { _ in 0 } , interventions: [])
        _ = obs
        var row = [0.1, 4.0, 0, 0]
        row[2] = m.mechanisms[2].predict(row) + 0.05
        row[3] = m.mechanisms[3].predict(row) - 0.02
        let attr = try RootCauseAnalyzer().attributeAnomaly(model: m, observation: row, target: "utility", using: &rng)
        #expect(attr.first?.node == "load")
        // Linear: contribution_j = total effect(j → utility) · (u_j − mean u_j); sum = deviation.
        let u = m.abduct(row)
        let meanU = m.mechanisms.map { $0.residuals.reduce(0, +) / Double($0.residuals.count) }
        let b = { (i: Int, j: Int) in m.mechanisms[j].linearCoefficient(of: i) }
        let totalLoad = b(1, 2) * b(2, 3)
        let loadAttr = attr.first { $0.node == "load" }!
        #expect(close(loadAttr.contribution, totalLoad * (u[1] - meanU[1]), tol: 1e-9))
        let typical = m.propagate(noise: meanU, interventions: [:])[3]
        #expect(close(attr.reduce(0) { $0 + $1.contribution }, row[3] - typical, tol: 1e-9))
        #expect(loadAttr.noiseScore > 3.5)
    }

    @Test func shiftAttributionFindsTheChangedMechanism() throws {
        let (m, reference) = try model()
        _ = m
        // Current period: the throughput mechanism degrades (intercept −1.5).
        var d2 = sampleLinearSEM(Self.w, n: 2000, seed: 13, intercepts: [0, 0, -1.5, 0])
        d2 = try DataSet(names: Self.names, columns: d2.columns)
        var rng = SeededGenerator(seed: 2)
        let attr = try RootCauseAnalyzer(samples: 2000).attributeShift(
            graph: m.graph, reference: reference, current: d2, target: "utility", using: &rng)
        #expect(attr.first?.node == "throughput")
        let meanRef = reference.columns[3].reduce(0, +) / 2000, meanCur = d2.columns[3].reduce(0, +) / 2000
        #expect(close(attr.reduce(0) { $0 + $1.contribution }, meanCur - meanRef, tol: 0.1))
        #expect(close(attr.first!.contribution, -0.75, tol: 0.1))
    }

    @Test func shapleyPermutationEstimateApproachesExact() {
        var rng = SeededGenerator(seed: 3)
        let weights = [1.0, -2.0, 0.5, 3.0]
        let value = { (c: [Bool]) -> Double in
            // Additive part plus an interaction between players 0 and 1.
            zip(c, weights).reduce(0) { $0 + ($1.0 ? $1.1 : 0) } + (c[0] && c[1] ? 2 : 0)
        }
        let exact = RootCauseAnalyzer().shapley(players: 4, value: value, rng: &rng)
        #expect(close(exact[0], 2.0, tol: 1e-12) && close(exact[1], -1.0, tol: 1e-12) && close(exact[3], 3.0, tol: 1e-12))
        let sampled = RootCauseAnalyzer(exactLimit: 0, permutations: 400).shapley(players: 4, value: value, rng: &rng)
        for i in 0..<4 { #expect(close(sampled[i], exact[i], tol: 0.15)) }
    }
}

@Suite struct DataInputTests {
    @Test func csvParsesAndRejectsBadColumns() throws {
        let ok = try DataSet(csv: "a,b\n1,2.5\n-3e2,\"4\"\n")
        #expect(ok.names == ["a", "b"] && ok.columns[0] == [1, -300] && ok.columns[1] == [2.5, 4])
        do { _ = try DataSet(csv: "load,kpi\n1,2\n3,\n"); Issue.record("accepted missing") } catch {
            #expect(error.code == .missingValue)
            #expect(error.message.contains("'kpi'") && error.message.contains("line 3"))
        }
        do { _ = try DataSet(csv: "load,cell\n1,abc\n"); Issue.record("accepted text") } catch {
            #expect(error.code == .nonNumericColumn)
            #expect(error.message.contains("'cell'"))
        }
        do { _ = try DataSet(csv: "a,b\n1,NA\n"); Issue.record("accepted NA") } catch { #expect(error.code == .missingValue) }
        #expect(throws: CausalError.self) { try DataSet(csv: "a,b\n1\n") }
        let round = try DataSet(csv: ok.csv)
        #expect(round == ok)
    }

    @Test func jsonColumnsParse() throws {
        let a = try DataSet(json: Data(#"{"columns": ["x", "y"], "rows": [[1, 0], [0, 2.5]]}"#.utf8))
        #expect(a.columns == [[1, 0], [0, 2.5]])
        let b = try DataSet(json: Data(#"{"y": [1, 2], "x": [0, 1]}"#.utf8))
        #expect(b.names == ["x", "y"] && b.columns[0] == [0, 1])
        do { _ = try DataSet(json: Data(#"{"x": [1, null]}"#.utf8)); Issue.record("accepted null") } catch {
            #expect(error.code == .missingValue && error.message.contains("'x'"))
        }
        do { _ = try DataSet(json: Data(#"{"x": [1, "a"]}"#.utf8)); Issue.record("accepted string") } catch {
            #expect(error.code == .nonNumericColumn)
        }
    }

    @Test func covarianceMatchesTwoPassFormula() throws {
        let d = try DataSet(names: ["a", "b"], columns: [[1, 2, 3, 4], [2, 1, 4, 3]])
        let c = d.covariance
        #expect(close(c[0, 0], 1.25, tol: 1e-12) && close(c[0, 1], 0.75, tol: 1e-12))
        #expect(close(d.correlation[0, 1], 0.6, tol: 1e-12))
    }
}
