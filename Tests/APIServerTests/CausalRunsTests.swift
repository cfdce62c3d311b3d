import Foundation
import Hummingbird
import HummingbirdTesting
import Platform
import Storage
import TensorCore
import TestSupport
import Testing

/// Causal analysis on tracked runs, with results stored as runs, over HTTP.
@Suite("Causal discovery on tracked runs")
struct CausalRunsTests {
    @Test func discoveryReadsRunsAndRecordsItsResult() async throws {
        try await withAPI { client, services in
            let experiment = try await services.tracking.createExperiment(name: "tuning")
            // 60 runs: the param `lr` drives `loss`, which drives `accuracy`; `dropout` is unrelated.
            var g = SeededGenerator(seed: 3)
            for _ in 0..<60 {
                let lr = Double(g.nextUnitFloat()) * 2
                let loss = 1.5 * lr + 0.3 * Double(g.nextNormal())
                let accuracy = -0.8 * loss + 0.3 * Double(g.nextNormal())
                let run = try await services.tracking.createRun(experimentID: experiment).info.runID
                try await services.tracking.logBatch(runID: run, metrics: [
                    Metric(key: "loss", value: loss, timestamp: 1, step: 0), Metric(key: "accuracy", value: accuracy, timestamp: 1, step: 0),
                ], params: [Tag(key: "lr", value: String(lr)), Tag(key: "dropout", value: String(Double(g.nextUnitFloat())))])
            }
            let columns = ["params.lr", "metrics.loss", "metrics.accuracy", "params.dropout"]
            let found = try await client.call(.post, "/api/v1/causal/discovery", json: [
                "runs": ["experiment_ids": [experiment], "columns": columns], "record": ["experiment": "causal-studies"]])
            #expect(found.status == .ok, "\(found.body)")
            #expect(found.body["columns"] as? [String] == columns)
            let edges = (found.body["edges"] as? [[String: Any]] ?? []).map { Set([$0["from"] as! String, $0["to"] as! String]) }
            #expect(Set(edges) == [["params.lr", "metrics.loss"], ["metrics.loss", "metrics.accuracy"]], "\(edges)")

            let runID = try #require(found.body["run_id"] as? String)
            let run = try await services.tracking.run(id: runID)
            #expect(run.params.contains(Tag(key: "method", value: "notears")))
            #expect(run.metrics.first { $0.key == "edges" }?.value == 2)
            let files = try await services.artifacts.list(directory: try ArtifactURI.storePath(of: run.info.artifactURI)).map(\.path)
            #expect(files == ["graph.dot", "graph.json", "graph.svg", "result.json"])

            // A run without the metric: a 400 naming the column and the run.
            let lonely = try await services.tracking.createRun(experimentID: experiment).info.runID
            try await services.tracking.logBatch(runID: lonely, params: [Tag(key: "lr", value: "0.1"), Tag(key: "dropout", value: "0.5")])
            let missing = try await client.call(.post, "/api/v1/causal/discovery", json: ["runs": ["experiment_ids": [experiment], "columns": columns]])
            #expect(missing.status == .badRequest)
            #expect((missing.body["message"] as? String)?.contains("metrics.loss") == true && (missing.body["message"] as? String)?.contains(lonely) == true)
            let text = try await client.call(.post, "/api/v1/causal/discovery", json: [
                "runs": ["experiment_ids": [experiment], "columns": ["params.lr", "metrics.loss"], "filter": "params.lr = 'fast'"]])
            #expect(text.status == .badRequest, "no run matches: \(text.body)")
        }
    }
}

@Suite("Causal discovery with prior knowledge over REST")
struct CausalPriorTests {
    @Test func tiersForbiddenEdgesAndBadPriors() async throws {
        try await withAPI { client, _ in
            var g = SeededGenerator(seed: 9)
            var rows: [[Double]] = []
            for _ in 0..<800 {
                let a = Double(g.nextNormal()), b = 1.5 * a + 0.6 * Double(g.nextNormal())
                rows.append([a, b, -1.2 * b + 0.6 * Double(g.nextNormal())])
            }
            let data: [String: Any] = ["columns": ["a", "b", "c"], "rows": rows]
            func edges(_ prior: [String: Any]?, method: String = "pc") async throws -> Set<String> {
                var body: [String: Any] = ["data": data, "method": method]
                if let prior { body["prior"] = prior }
                let r = try await client.call(.post, "/api/v1/causal/discovery", json: body)
                #expect(r.status == .ok, "\(r.body)")
                return Set((r.body["edges"] as? [[String: Any]] ?? []).map { "\($0["from"] as? String ?? "")->\($0["to"] as? String ?? "")" })
            }
            // A chain is Markov-equivalent to its reverse: PC alone cannot orient it (CPDAG edges
            // come back as -1 both ways); tiers a < b < c orient it.
            #expect(try await edges(["tiers": [["a"], ["b"], ["c"]]]) == ["a->b", "b->c"])
            #expect(try await edges(["tiers": [["c"], ["b"], ["a"]]]) == ["c->b", "b->a"])
            #expect(try await edges(["tiers": [["a"], ["b"], ["c"]], "forbidden": [["from": "b", "to": "c"]]], method: "notears").contains("b->c") == false)
            for (prior, words) in [(["tiers": [["a"], ["zzz"]]], "zzz"), (["tiers": [["a"], ["a"]]], "tier"),
                                   (["required": [["from": "a"]]], "prior"), (["max_parents": -1], "max_parents")] as [([String: Any], String)] {
                let r = try await client.call(.post, "/api/v1/causal/discovery", json: ["data": data, "prior": prior])
                #expect(r.status == .badRequest, "\(prior)")
                #expect((r.body["message"] as? String ?? "").contains(words), "\(r.body)")
            }
        }
    }
}

@Suite("Causal mechanisms over REST")
struct CausalMechanismTests {
    /// A saturating relation: the neural mechanism's do(x) mean follows it, the linear one does not.
    @Test func neuralMechanismFollowsANonLinearRelation() async throws {
        try await withAPI { client, _ in
            var g = SeededGenerator(seed: 5)
            var rows: [[Double]] = []
            for _ in 0..<600 {
                let x = Double(g.nextUnitFloat()) * 4 - 2
                rows.append([x, Foundation.tanh(3 * x) + 0.05 * Double(g.nextNormal())])
            }
            func mean(_ mechanism: String) async throws -> Double {
                let r = try await client.call(.post, "/api/v1/causal/intervention", json: [
                    "data": ["columns": ["x", "y"], "rows": rows], "edges": [["from": "x", "to": "y"]],
                    "interventions": [["node": "x", "set": 0.5]], "mechanism": mechanism, "samples": 2000])
                #expect(r.status == .ok, "\(r.body)")
                return (r.body["interventional_mean"] as? [String: Double])?["y"] ?? .nan
            }
            let truth = Foundation.tanh(1.5)
            #expect(abs(try await mean("neural") - truth) < 0.08)
            #expect(abs(try await mean("linear") - truth) > 0.15)
            let bad = try await client.call(.post, "/api/v1/causal/intervention", json: [
                "data": ["columns": ["x", "y"], "rows": rows], "interventions": [["node": "x", "set": 0.5]], "mechanism": "magic"])
            #expect(bad.status == .badRequest)
        }
    }
}
