import Foundation
import Hummingbird
import Platform

/// `/api/v1/memory/:namespace/...`: agent memory (patterns and episodes) per namespace.
struct MemoryController<Context: RequestContext> {
    let memory: AgentMemory

    func register(on table: RouteTable<Context>) {
        let p = "/api/v1/memory/:namespace", tag = "memory", memory = self.memory
        table.add(.get, p, summary: "How many patterns and episodes a namespace remembers", tag: tag) { _, context in
            JSONResponse.make(try await memory.stats(namespace: try context.parameters.require("namespace")))
        }
        table.add(.post, "\(p)/patterns", summary: "Store {patterns: [{task, approach, outcome, reward, embedding?, id?, timestamp_ms?, metadata?}]} or one such object", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let patterns = try Self.records(f, "patterns").enumerated().map { index, r in
                let at = "patterns[\(index)]"
                guard let reward = try r.double("reward") else { throw APIError.badRequest("\(at).reward is required") }
                return AgentMemory.Pattern(
                    id: try r.string("id"), task: try r.required("task"), approach: try r.required("approach"), outcome: try r.required("outcome"),
                    reward: reward, embedding: try Self.embedding(r, at: at), timestamp: try Self.timestamp(r),
                    metadata: try CollectionsController<Context>.metadata(r, "metadata"))
            }
            let ids = try await memory.add(patterns, namespace: try context.parameters.require("namespace"))
            return JSONResponse.make(["ids": ids], status: .created)
        }
        table.add(.post, "\(p)/episodes", summary: "Store {episodes: [{action, result, reward?, timestamp_ms?, embedding?, id?, metadata?}]} or one such object", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let episodes = try Self.records(f, "episodes").enumerated().map { index, r in
                AgentMemory.Episode(
                    id: try r.string("id"), action: try r.required("action"), result: try r.required("result"), reward: try r.double("reward"),
                    embedding: try Self.embedding(r, at: "episodes[\(index)]"), timestamp: try Self.timestamp(r),
                    metadata: try CollectionsController<Context>.metadata(r, "metadata"))
            }
            let ids = try await memory.add(episodes, namespace: try context.parameters.require("namespace"))
            return JSONResponse.make(["ids": ids], status: .created)
        }
        for kind in AgentMemory.Kind.allCases {
            table.add(.post, "\(p)/\(kind.rawValue)/search",
                      summary: "Search \(kind.rawValue) {query | embedding, k, reward_weight, reward_min, reward_max, half_life_seconds, filter, namespaces, candidates}",
                      tag: tag) { request, context in
                let f = try await RequestFields.from(request, context: context)
                let scoring = try MemoryScoring(rewardWeight: try f.double("reward_weight") ?? 0, rewardMin: try f.double("reward_min") ?? 0,
                                                rewardMax: try f.double("reward_max") ?? 1, halfLifeSeconds: try f.double("half_life_seconds"))
                let query = AgentMemory.Query(
                    text: try f.string("query"), embedding: try Self.embedding(f, at: "query"), k: try f.int("k", default: 10),
                    candidates: try f.int64("candidates").map { Int(clamping: $0) }, scoring: scoring,
                    filter: try CollectionsController<Context>.metadata(f, "filter"), alsoNamespaces: try f.strings("namespaces"))
                return JSONResponse.make(["hits": try await memory.search(kind, query, namespace: try context.parameters.require("namespace"))])
            }
            table.add(.get, "\(p)/\(kind.rawValue)/:id", summary: "One stored \(kind.rawValue) record", tag: tag) { _, context in
                let id = try context.parameters.require("id")
                let record = try await memory.get(kind, id: id, namespace: try context.parameters.require("namespace"))
                return JSONResponse.make(["id": JSONValue.string(id), "record": .object(record)])
            }
            table.add(.delete, "\(p)/\(kind.rawValue)/:id", summary: "Forget one \(kind.rawValue) record", tag: tag) { _, context in
                try await memory.delete(kind, id: try context.parameters.require("id"), namespace: try context.parameters.require("namespace"))
                return JSONResponse.empty
            }
        }
    }

    /// `{key: [...]}` or the body itself as one record.
    static func records(_ f: RequestFields, _ key: String) throws -> [RequestFields] {
        f.has(key) ? try f.objects(key) : [f]
    }

    static func embedding(_ f: RequestFields, at place: String) throws -> [Float]? {
        f.has("embedding") ? try CollectionsController<Context>.floats(f, "embedding", at: place) : nil
    }

    static func timestamp(_ f: RequestFields) throws -> Date? {
        try f.int64("timestamp_ms").map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
