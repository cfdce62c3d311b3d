import CausalEngine
import Foundation
import Hummingbird
import Platform

/// `/api/v1/causal/...`: discovery, interventions, counterfactuals and effect estimates.
/// Every call carries its data: `"csv": "a,b\n1,2\n..."`, `"data": {"columns": [...], "rows": [[...]]}`
/// (or `{"a": [...], "b": [...]}`), or tracked runs: `"runs": {"experiment_ids": [...],
/// "columns": ["params.lr", "metrics.rmse"], "filter": "..."}`; an optional
/// `"edges": [{"from", "to"}]` gives the graph, otherwise NOTEARS learns it from the data.
/// Models fitted for interventions, counterfactuals and effects use `"mechanism"`: `linear`
/// (default), `additive` or `neural` (an MLP per node).
/// With `"record": {"experiment": "...", "run_name": "..."}` the result (and the graph) is
/// stored as a tracked run whose id comes back as `run_id`.
struct CausalController<Context: RequestContext> {
    let causal = CausalService()
    let services: PlatformServices

    func register(on table: RouteTable<Context>) {
        let p = "/api/v1/causal", tag = "causal", causal = self.causal, services = self.services

        table.add(.post, "\(p)/discovery", summary: "Learn a causal graph (NOTEARS or PC)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let methodName = try f.string("method") ?? "notears"
            guard let method = CausalService.Method(rawValue: methodName) else { throw APIError.badRequest("method must be notears or pc, got '\(methodName)'") }
            let lambda1 = try f.double("lambda1") ?? 0.1, wThreshold = try f.double("w_threshold") ?? 0.3
            let data = try await Self.dataSet(f, services)
            let result = try causal.discover(data, method: method, lambda1: lambda1, wThreshold: wThreshold,
                                             prior: try Self.prior(f).knowledge(names: data.names))
            return try await Self.respond(result, graph: result.dag, f, services, name: "discovery-\(method.rawValue)",
                                          params: ["method": method.rawValue, "lambda1": String(lambda1), "w_threshold": String(wThreshold),
                                                   "columns": result.columns.joined(separator: ",")],
                                          metrics: ["edges": Double(result.edges.count), "seconds": result.seconds])
        }
        table.add(.post, "\(p)/intervention", summary: "Means of every variable under do(...) interventions", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let data = try await Self.dataSet(f, services)
            let samples = try f.int("samples", default: 5000)
            guard (100...200_000).contains(samples) else { throw APIError.badRequest("samples must be between 100 and 200000") }
            let graph = try causal.graph(for: data, edges: try Self.edges(f))
            let result = try causal.intervene(data, graph: graph, changes: try Self.changes(f), samples: samples, seed: UInt64(max(0, try f.int64("seed") ?? 0)),
                                              mechanism: try CausalService.mechanism(named: try f.string("mechanism")))
            return try await Self.respond(result, graph: graph, f, services, name: "intervention", params: ["samples": String(samples)], metrics: [:])
        }
        table.add(.post, "\(p)/counterfactual", summary: "What observed units would have been under interventions", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let data = try await Self.dataSet(f, services)
            let units = try f.objects("units").enumerated().map { index, unit in
                try Dictionary(uniqueKeysWithValues: unit.values.keys.map { key in
                    guard let value = try unit.double(key) else { throw APIError.badRequest("units[\(index)].\(key) must be a number") }
                    return (key, value)
                })
            }
            guard !units.isEmpty else { throw APIError.badRequest("units must list at least one observed unit") }
            let result = try causal.counterfactual(data, graph: try causal.graph(for: data, edges: try Self.edges(f)), units: units, changes: try Self.changes(f),
                                                   mechanism: try CausalService.mechanism(named: try f.string("mechanism")))
            return JSONResponse.make(["counterfactuals": result])
        }
        table.add(.post, "\(p)/inference", summary: "Average treatment effect with a bootstrap confidence interval", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let data = try await Self.dataSet(f, services)
            guard let treated = try f.double("treated"), let control = try f.double("control") else {
                throw APIError.badRequest("treated and control values are required")
            }
            let replicates = try f.int("replicates", default: 200)
            guard (10...2000).contains(replicates) else { throw APIError.badRequest("replicates must be between 10 and 2000") }
            let graph = try causal.graph(for: data, edges: try Self.edges(f))
            let treatment = try f.required("treatment"), outcome = try f.required("outcome")
            let estimate = try causal.averageTreatmentEffect(data, graph: graph, treatment: treatment, outcome: outcome,
                                                             treated: treated, control: control, replicates: replicates,
                                                             mechanism: try CausalService.mechanism(named: try f.string("mechanism")))
            return try await Self.respond(estimate, graph: graph, f, services, name: "effect-\(treatment)-\(outcome)",
                                          params: ["treatment": treatment, "outcome": outcome, "treated": String(treated), "control": String(control)],
                                          metrics: ["effect": estimate.estimate, "effect_lower": estimate.lower, "effect_upper": estimate.upper])
        }
    }

    /// The result as JSON; with a `record` object also stored as a tracked run (`run_id` added).
    static func respond(_ result: some Encodable, graph: DAG?, _ f: RequestFields, _ services: PlatformServices, name: String,
                        params: [String: String], metrics: [String: Double]) async throws -> Response {
        guard f.has("record") else { return JSONResponse.make(result) }
        let record = try f.object("record")
        let run = try await CausalService().record(result, graph: graph, experiment: try record.string("experiment") ?? "causal",
                                                   runName: try record.string("run_name") ?? name, params: params, metrics: metrics,
                                                   recorder: LocalExperimentRecorder(services: services))
        var object = (try JSONSerialization.jsonObject(with: JSONResponse.encoder.encode(result))) as? [String: Any] ?? [:]
        object["run_id"] = run.runID
        return JSONResponse.raw(object)
    }

    static func dataSet(_ f: RequestFields, _ services: PlatformServices) async throws -> DataSet {
        if f.has("runs") {
            let runs = try f.object("runs")
            return try await CausalService.dataSet(fromRunsOf: try runs.strings("experiment_ids"), columns: try runs.strings("columns"),
                                                   filter: try runs.string("filter"), tracking: services.tracking)
        }
        if let csv = try f.string("csv") { return try DataSet(csv: csv) }
        guard let object = f.values["data"] as? [String: Any] else {
            throw APIError.badRequest("give the data as \"csv\" text or a \"data\" object ({\"columns\": [...], \"rows\": [[...]]})")
        }
        return try DataSet(json: try JSONSerialization.data(withJSONObject: object))
    }

    /// `"prior": {"required": [{"from", "to"}], "forbidden": [...], "tiers": [["a", "b"], ["c"]], "max_parents": 2}`.
    static func prior(_ f: RequestFields) throws -> CausalService.Prior {
        guard f.has("prior") else { return CausalService.Prior() }
        guard let object = f.values["prior"] as? [String: Any] else { throw APIError.badRequest("prior must be an object") }
        do {
            return try JSONDecoder().decode(CausalService.Prior.self, from: JSONSerialization.data(withJSONObject: object))
        } catch {
            throw APIError.badRequest("prior must look like {\"required\": [{\"from\": \"a\", \"to\": \"b\"}], \"forbidden\": [...], \"tiers\": [[\"a\"], [\"b\"]], \"max_parents\": 2}")
        }
    }

    static func edges(_ f: RequestFields) throws -> [(String, String)]? {
        guard f.has("edges") else { return nil }
        return try f.objects("edges").map { (try $0.required("from"), try $0.required("to")) }
    }

    /// `[{"node": "load", "set": 2}]`, or `"shift"` / `"scale"` instead of `"set"`.
    static func changes(_ f: RequestFields) throws -> [CausalService.Change] {
        let changes = try f.objects("interventions").enumerated().map { index, item in
            let node = try item.required("node")
            for kind in [CausalService.Change.Kind.set, .shift, .scale] {
                if let value = try item.double(kind.rawValue) { return CausalService.Change(node: node, kind: kind, value: value) }
            }
            throw APIError.badRequest("interventions[\(index)] needs one of set, shift or scale with a number")
        }
        guard !changes.isEmpty else { throw APIError.badRequest("interventions must list at least one change") }
        return changes
    }
}
