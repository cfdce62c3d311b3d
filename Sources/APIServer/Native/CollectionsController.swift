import Foundation
import Hummingbird
import Platform

/// `/api/v1/collections/...`: vector collections (create, upsert, get, delete, search, stats).
struct CollectionsController<Context: RequestContext> {
    let vectors: VectorCollections

    func register(on table: RouteTable<Context>) {
        let p = "/api/v1/collections", tag = "vectors", vectors = self.vectors

        table.add(.post, p, summary: "Create a collection {name, dimension, metric, m, ef_construction}", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            guard let dimension = try f.int64("dimension") else { throw APIError.badRequest("missing value for required field 'dimension'") }
            let definition = try await vectors.create(
                name: try f.required("name"), dimension: Int(clamping: dimension), metric: try f.string("metric") ?? "cosine",
                m: try f.int("m", default: 16), efConstruction: try f.int("ef_construction", default: 200))
            return JSONResponse.make(["collection": definition], status: .created)
        }
        table.add(.get, p, summary: "List collections", tag: tag) { _, _ in
            JSONResponse.make(["collections": try await vectors.list()])
        }
        table.add(.get, "\(p)/:name", summary: "A collection's definition and statistics", tag: tag) { _, context in
            JSONResponse.make(try await vectors.stats(try context.parameters.require("name")))
        }
        table.add(.delete, "\(p)/:name", summary: "Drop a collection and its data", tag: tag) { _, context in
            try await vectors.drop(try context.parameters.require("name"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/:name/vectors", summary: "Upsert {vectors: [{id, values, metadata}]} (fsync'ed before the answer)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let items = try f.objects("vectors").enumerated().map { index, item in
                VectorCollections.Item(id: try item.required("id"), vector: try Self.floats(item, "values", at: "vectors[\(index)]"), metadata: try Self.metadata(item, "metadata"))
            }
            guard !items.isEmpty else { throw APIError.badRequest("vectors must hold at least one {id, values} object") }
            guard items.count <= 10_000 else { throw APIError.badRequest("at most 10000 vectors per call, got \(items.count)") }
            let count = try await vectors.upsert(try context.parameters.require("name"), items: items)
            return JSONResponse.make(["upserted": count])
        }
        table.add(.get, "\(p)/:name/vectors/:id", summary: "One vector with its metadata", tag: tag) { _, context in
            let id = try context.parameters.require("id")
            let (vector, metadata) = try await vectors.get(try context.parameters.require("name"), id: id)
            return JSONResponse.make(Stored(id: id, values: vector, metadata: metadata))
        }
        table.add(.delete, "\(p)/:name/vectors/:id", summary: "Delete one vector", tag: tag) { _, context in
            try await vectors.delete(try context.parameters.require("name"), id: try context.parameters.require("id"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/:name/search", summary: "Nearest vectors {vector, k, ef, filter}", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let hits = try await vectors.search(
                try context.parameters.require("name"), vector: try Self.floats(f, "vector", at: "query"),
                k: try f.int("k", default: 10), ef: try f.int64("ef").map { Int(clamping: $0) }, filter: try Self.metadata(f, "filter"))
            return JSONResponse.make(["hits": hits])
        }
    }

    struct Stored: Encodable {
        var id: String
        var values: [Float]
        var metadata: [String: JSONValue]
    }

    static func floats(_ f: RequestFields, _ key: String, at place: String) throws -> [Float] {
        guard let array = f.values[key] as? [Any] else { throw APIError.badRequest("\(place).\(key) must be an array of numbers") }
        return try array.enumerated().map { index, element in
            guard let number = element as? NSNumber, String(cString: number.objCType) != "c" else {
                throw APIError.badRequest("\(place).\(key)[\(index)] is not a number")
            }
            return number.floatValue
        }
    }

    static func metadata(_ f: RequestFields, _ key: String) throws -> [String: JSONValue] {
        guard let object = f.values[key], !(object is NSNull) else { return [:] }
        guard object is [String: Any] else { throw APIError.badRequest("\(key) must be a JSON object") }
        let data = try JSONSerialization.data(withJSONObject: object)
        return try JSONDecoder().decode([String: JSONValue].self, from: data)
    }
}
