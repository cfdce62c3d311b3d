import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Platform
import Storage
import TestSupport
import Testing

enum TestDatabasesHelper {
    static func withRoutes(_ body: @Sendable @escaping (any TestClientProtocol, [DocumentedRoute]) async throws -> Void) async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let (router, routes) = buildRouter(services: services)
            try await Application(router: router).test(.router) { client in try await body(client, routes) }
        }
    }
}

@Suite("System routes and OpenAPI")
struct SystemRoutesTests {
    @Test func healthReadinessMetricsVersion() async throws {
        try await withAPI { client, _ in
            #expect(try await client.call(.get, "/healthz").body["status"] as? String == "ok")
            #expect(try await client.call(.get, "/readyz").body["status"] as? String == "ready")
            let health = try await client.execute(uri: "/health", method: .get) { String(buffer: $0.body) }
            #expect(health == "OK")
            let info = try await client.call(.get, "/api/3.0/mlflow/server-info")
            #expect(info.body["store_type"] as? String == "SqlStore")
            let metrics = try await client.execute(uri: "/metrics", method: .get) { $0 }
            #expect(metrics.status == .ok && metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }

    /// The document lists every route the router serves, with its method, and every
    /// documented route answers (not "no such endpoint").
    @Test func openAPIMatchesTheRoutes() async throws {
        try await TestDatabasesHelper.withRoutes { client, routes in
            let document = try await client.call(.get, "/openapi.json").body
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            #expect(routes.count >= 60)
            for route in routes {
                #expect(paths[route.openAPIPath]?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(route.openAPIPath) missing from openapi.json")
                let uri = route.path.replacingOccurrences(of: "**", with: "0/x").split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "x" : String($0) }.joined(separator: "/")
                let answer = try await client.call(route.method, uri, raw: "{}")
                #expect(answer.body["error_code"] as? String != "ENDPOINT_NOT_FOUND", "\(route.method) \(uri) is documented but not served")
            }
            let documentedCount = paths.values.map(\.count).reduce(0, +)
            #expect(documentedCount == routes.count, "openapi.json has operations the router does not serve")
        }
    }

    @Test func overviewPageShowsTheDemoWorkspace() async throws {
        try await withAPI { client, services in
            try await DemoWorkspace.seed(services)
            let html = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(html.contains(DemoWorkspace.experimentName))
            #expect(html.contains(DemoWorkspace.modelName))
            #expect(html.contains("champion"))
            #expect(html.contains("mean_reward"))
        }
    }
}

@Suite("Native API")
struct NativeAPITests {
    @Test func runLifecycleArtifactsWithDigestsAndModelViews() async throws {
        try await withAPI { client, services in
            let experiment = try await client.call(.post, "/api/v1/experiments", json: ["name": "native"])
            #expect(experiment.status == .created)
            let experimentID = (experiment.body["experiment"] as? [String: Any])?["experiment_id"] as? String ?? ""
            let run = try await client.call(.post, "/api/v1/runs", json: ["experiment_id": experimentID, "run_name": "n1"])
            let runID = ((run.body["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String ?? ""
            let logged = try await client.call(.post, "/api/v1/runs/\(runID)/log", json: [
                "metrics": [["key": "loss", "value": 0.5, "timestamp": 1, "step": 3]], "params": [["key": "lr", "value": "0.1"]],
            ])
            #expect(logged.status == .ok)
            let history = try await client.call(.get, "/api/v1/runs/\(runID)/metrics/loss")
            #expect((history.body["metrics"] as? [[String: Any]])?.first?["step"] as? Int == 3)
            let upload = try await client.execute(uri: "/api/2.0/mlflow-artifacts/artifacts/\(experimentID)/\(runID)/artifacts/a.txt", method: .put, body: .init(string: "abc")) { $0.status }
            #expect(upload == .ok)
            let files = try await client.call(.get, "/api/v1/runs/\(runID)/artifacts")
            let entry = (files.body["files"] as? [[String: Any]])?.first
            #expect(entry?["path"] as? String == "a.txt" && entry?["size"] as? Int == 3)
            #expect(entry?["sha256"] as? String == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            let runs = try await client.call(.get, "/api/v1/experiments/\(experimentID)/runs?filter=params.lr%20%3D%20'0.1'")
            #expect((runs.body["runs"] as? [[String: Any]])?.count == 1)

            try await DemoWorkspace.seed(services)
            let lineage = try await client.call(.get, "/api/v1/models/\(DemoWorkspace.modelName)/versions/2/lineage")
            #expect((lineage.body["run"] as? [String: Any]) != nil)
            let compare = try await client.call(.get, "/api/v1/models/\(DemoWorkspace.modelName)/compare?left=1&right=2")
            #expect((compare.body["differences"] as? [[String: Any]])?.contains { $0["key"] as? String == "lr" } == true)
            #expect(try await client.call(.put, "/api/v1/models/\(DemoWorkspace.modelName)/aliases/challenger", json: ["version": "1"]).status == .ok)
            let events = try await client.call(.get, "/api/v1/models/\(DemoWorkspace.modelName)/history")
            #expect((events.body["events"] as? [[String: Any]])?.last?["subject"] as? String == "challenger")
        }
    }
}

@Suite("Causal API")
struct CausalAPITests {
    /// load -> throughput -> utility, linear with known coefficients 1.5 and -1.2.
    static func csv(rows: Int = 800) -> String {
        var state: UInt64 = 42
        func normal() -> Double {
            func uniform() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (Double(state >> 11) + 0.5) / Double(1 << 53)
            }
            return (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform())
        }
        var text = "load,throughput,utility\n"
        for _ in 0..<rows {
            let load = normal(), throughput = 1.5 * load + 0.5 * normal(), utility = -1.2 * throughput + 0.5 * normal()
            text += "\(load),\(throughput),\(utility)\n"
        }
        return text
    }

    @Test func discoveryInterventionCounterfactualInference() async throws {
        try await withAPI { client, _ in
            let csv = Self.csv()
            let discovery = try await client.call(.post, "/api/v1/causal/discovery", json: ["csv": csv])
            #expect(discovery.status == .ok)
            let edges = (discovery.body["edges"] as? [[String: Any]] ?? []).map { "\($0["from"]!)->\($0["to"]!)" }
            #expect(Set(edges) == ["load->throughput", "throughput->utility"])

            let intervention = try await client.call(.post, "/api/v1/causal/intervention", json: [
                "csv": csv, "interventions": [["node": "load", "set": 2.0]], "samples": 4000,
            ])
            let means = intervention.body["interventional_mean"] as? [String: Double] ?? [:]
            #expect(abs((means["throughput"] ?? 0) - 3.0) < 0.15, "E[throughput | do(load=2)] should be about 1.5 * 2")
            #expect(abs((means["utility"] ?? 0) + 3.6) < 0.2, "E[utility | do(load=2)] should be about -1.2 * 3")

            let counterfactual = try await client.call(.post, "/api/v1/causal/counterfactual", json: [
                "csv": csv, "edges": [["from": "load", "to": "throughput"], ["from": "throughput", "to": "utility"]],
                "units": [["load": 1.0, "throughput": 1.8, "utility": -2.0]], "interventions": [["node": "load", "shift": 1.0]],
            ])
            let unit = (counterfactual.body["counterfactuals"] as? [[String: Double]])?.first ?? [:]
            #expect(abs((unit["throughput"] ?? 0) - 3.3) < 0.1, "the unit's own noise is kept: 1.8 + 1.5 * 1")

            let inference = try await client.call(.post, "/api/v1/causal/inference", json: [
                "csv": csv, "treatment": "load", "outcome": "utility", "treated": 1.0, "control": 0.0, "replicates": 30,
            ])
            let estimate = inference.body["estimate"] as? Double ?? 0
            #expect(abs(estimate + 1.8) < 0.15, "total effect of load on utility is 1.5 * -1.2")
        }
    }

    @Test func badCausalInputNamesTheProblem() async throws {
        try await withAPI { client, _ in
            var r = try await client.call(.post, "/api/v1/causal/discovery", json: ["csv": "a,b\n1,x\n2,3\n"])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("'b'") == true)
            r = try await client.call(.post, "/api/v1/causal/discovery", json: ["csv": "a,b\n1,\n2,3\n"])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("b") == true)
            r = try await client.call(.post, "/api/v1/causal/discovery", json: ["method": "magic", "csv": "a\n1\n"])
            #expect(r.status == .badRequest)
            r = try await client.call(.post, "/api/v1/causal/intervention", json: ["csv": Self.csv(rows: 50), "interventions": [["node": "nope", "set": 1]]])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("nope") == true)
            r = try await client.call(.post, "/api/v1/causal/intervention", json: ["data": ["columns": ["a"], "rows": [[1]]], "edges": [["from": "a", "to": "a"]], "interventions": [["node": "a", "set": 1]]])
            #expect(r.status == .badRequest)
        }
    }
}
