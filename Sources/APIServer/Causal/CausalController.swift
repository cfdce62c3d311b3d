import CausalEngine
import Foundation
import Hummingbird
import Platform

/// `/api/v1/causal/...`: discovery, interventions, counterfactuals and effect estimates.
/// Every call carries its data: `"csv": "a,b\n1,2\n..."` or `"data": {"columns": [...], "rows": [[...]]}`
/// (or `{"a": [...], "b": [...]}`); an optional `"edges": [{"from", "to"}]` gives the graph,
/// otherwise NOTEARS learns it from the data.
struct CausalController<Context: RequestContext> {
    let causal = CausalService()

    func register(on table: RouteTable<Context>) {
        let p = "/api/v1/causal", tag = "causal", causal = self.causal

        table.add(.post, "\(p)/discovery", summary: "Learn a causal graph (NOTEARS or PC)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let methodName = try f.string("method") ?? "notears"
            guard let method = CausalService.Method(rawValue: methodName) else { throw APIError.badRequest("method must be notears or pc, got '\(methodName)'") }
            let result = try causal.discover(
                try Self.dataSet(f), method: method, lambda1: try f.double("lambda1") ?? 0.1, wThreshold: try f.double("w_threshold") ?? 0.3)
            return JSONResponse.make(result)
        }
        table.add(.post, "\(p)/intervention", summary: "Means of every variable under do(...) interventions", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let data = try Self.dataSet(f)
            let samples = try f.int("samples", default: 5000)
            guard (100...200_000).contains(samples) else { throw APIError.badRequest("samples must be between 100 and 200000") }
            let result = try causal.intervene(
                data, graph: try causal.graph(for: data, edges: try Self.edges(f)), changes: try Self.changes(f),
                samples: samples, seed: UInt64(max(0, try f.int64("seed") ?? 0)))
            return JSONResponse.make(result)
        }
        table.add(.post, "\(p)/counterfactual", summary: "What observed units would have been under interventions", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let data = try Self.dataSet(f)
            let units = try f.objects("units").enumerated().map { index, unit in
                try Dictionary(uniqueKeysWithValues: unit.values.keys.map { key in
                    guard let value = try unit.double(key) else { throw APIError.badRequest("units[\(index)].\(key) must be a number") }
                    return (key, value)
                })
            }
            guard !units.isEmpty else { throw APIError.badRequest("units must list at least one observed unit") }
            let result = try causal.counterfactual(data, graph: try causal.graph(for: data, edges: try Self.edges(f)), units: units, changes: try Self.changes(f))
            return JSONResponse.make(["counterfactuals": result])
        }
        table.add(.post, "\(p)/inference", summary: "Average treatment effect with a bootstrap confidence interval", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let data = try Self.dataSet(f)
            guard let treated = try f.double("treated"), let control = try f.double("control") else {
                throw APIError.badRequest("treated and control values are required")
            }
            let replicates = try f.int("replicates", default: 200)
            guard (10...2000).contains(replicates) else { throw APIError.badRequest("replicates must be between 10 and 2000") }
            let estimate = try causal.averageTreatmentEffect(
                data, graph: try causal.graph(for: data, edges: try Self.edges(f)), treatment: try f.required("treatment"),
                outcome: try f.required("outcome"), treated: treated, control: control, replicates: replicates)
            return JSONResponse.make(estimate)
        }
    }

    static func dataSet(_ f: RequestFields) throws -> DataSet {
        if let csv = try f.string("csv") { return try DataSet(csv: csv) }
        guard let object = f.values["data"] as? [String: Any] else {
            throw APIError.badRequest("give the data as \"csv\" text or a \"data\" object ({\"columns\": [...], \"rows\": [[...]]})")
        }
        return try DataSet(json: try JSONSerialization.data(withJSONObject: object))
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
