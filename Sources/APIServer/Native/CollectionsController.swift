import Foundation
import Hummingbird
import NIOCore
import Platform

/// Vector collections (create, upsert, get, delete, search, stats, backup, rebuild, check):
/// `/api/v1/collections/...` in the default namespace and the same routes under
/// `/api/v1/namespaces/:namespace/collections/...`; namespaces themselves; restore.
struct CollectionsController<Context: RequestContext> {
    let vectors: VectorCollections
    /// The largest backup file `POST /api/v1/restore` accepts.
    static var maxBackupBytes: Int { 4 << 30 }

    func register(on table: RouteTable<Context>) {
        registerCollections(on: table, prefix: "/api/v1/collections")
        registerCollections(on: table, prefix: "/api/v1/namespaces/:namespace/collections")
        registerNamespaces(on: table)
    }

    /// The namespace a route names (the default one for `/api/v1/collections`).
    static func namespace(_ context: Context) -> String {
        context.parameters.get("namespace") ?? VectorCollections.defaultNamespace
    }

    func registerCollections(on table: RouteTable<Context>, prefix p: String) {
        let tag = "vectors", vectors = self.vectors

        table.add(.post, p, summary: "Create a collection {name, dimension, metric, m, ef_construction}", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            guard let dimension = try f.int64("dimension") else { throw APIError.badRequest("missing value for required field 'dimension'") }
            let definition = try await vectors.create(
                name: try f.required("name"), dimension: Int(clamping: dimension), metric: try f.string("metric") ?? "cosine",
                m: try f.int("m", default: 16), efConstruction: try f.int("ef_construction", default: 200), namespace: Self.namespace(context))
            return JSONResponse.make(["collection": definition], status: .created)
        }
        table.add(.get, p, summary: "List collections", tag: tag) { _, context in
            JSONResponse.make(["collections": try await vectors.list(namespace: Self.namespace(context))])
        }
        table.add(.get, "\(p)/:name", summary: "A collection's definition and statistics", tag: tag) { _, context in
            JSONResponse.make(try await vectors.stats(try context.parameters.require("name"), namespace: Self.namespace(context)))
        }
        table.add(.delete, "\(p)/:name", summary: "Drop a collection and its data", tag: tag) { _, context in
            try await vectors.drop(try context.parameters.require("name"), namespace: Self.namespace(context))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/:name/vectors", summary: "Upsert {vectors: [{id, values, metadata}]} (fsync'ed before the answer)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let items = try f.objects("vectors").enumerated().map { index, item in
                VectorCollections.Item(id: try item.required("id"), vector: try Self.floats(item, "values", at: "vectors[\(index)]"), metadata: try Self.metadata(item, "metadata"))
            }
            guard !items.isEmpty else { throw APIError.badRequest("vectors must hold at least one {id, values} object") }
            guard items.count <= 10_000 else { throw APIError.badRequest("at most 10000 vectors per call, got \(items.count)") }
            let count = try await vectors.upsert(try context.parameters.require("name"), items: items, namespace: Self.namespace(context))
            return JSONResponse.make(["upserted": count])
        }
        table.add(.get, "\(p)/:name/vectors/:id", summary: "One vector with its metadata", tag: tag) { _, context in
            let id = try context.parameters.require("id")
            let (vector, metadata) = try await vectors.get(try context.parameters.require("name"), id: id, namespace: Self.namespace(context))
            return JSONResponse.make(Stored(id: id, values: vector, metadata: metadata))
        }
        table.add(.delete, "\(p)/:name/vectors/:id", summary: "Delete one vector", tag: tag) { _, context in
            try await vectors.delete(try context.parameters.require("name"), id: try context.parameters.require("id"), namespace: Self.namespace(context))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/:name/search", summary: "Nearest vectors {vector, k, ef, filter}", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let hits = try await vectors.search(
                try context.parameters.require("name"), vector: try Self.floats(f, "vector", at: "query"),
                k: try f.int("k", default: 10), ef: try f.int64("ef").map { Int(clamping: $0) }, filter: try Self.metadata(f, "filter"),
                namespace: Self.namespace(context))
            return JSONResponse.make(["hits": hits])
        }
        table.add(.get, "\(p)/:name/backup", summary: "The collection as one backup file (versioned, checksummed)", tag: tag) { _, context in
            let name = try context.parameters.require("name")
            return Self.file(try await vectors.backup(name, namespace: Self.namespace(context)), name: name)
        }
        table.add(.post, "\(p)/:name/rebuild", summary: "Rebuild the index from the stored vectors (before/after counts, seconds)", tag: tag) { _, context in
            JSONResponse.make(try await vectors.rebuild(try context.parameters.require("name"), namespace: Self.namespace(context)))
        }
        table.add(.get, "\(p)/:name/check", summary: "Integrity check: checksums, counts, every id retrievable and reachable (changes nothing)", tag: tag) { _, context in
            JSONResponse.make(try await vectors.check(try context.parameters.require("name"), namespace: Self.namespace(context)))
        }
    }

    func registerNamespaces(on table: RouteTable<Context>) {
        let p = "/api/v1/namespaces", tag = "vectors", vectors = self.vectors
        table.add(.post, p, summary: "Create a namespace {name} (one per agent or swarm)", tag: tag) { request, context in
            let name = try await RequestFields.from(request, context: context).required("name")
            try await vectors.createNamespace(name)
            return JSONResponse.make(["namespace": ["name": name]], status: .created)
        }
        table.add(.get, p, summary: "List namespaces", tag: tag) { _, _ in
            JSONResponse.make(["namespaces": await vectors.namespaces().map { ["name": $0] }])
        }
        table.add(.delete, "\(p)/:namespace", summary: "Drop a namespace and all its collections", tag: tag) { _, context in
            try await vectors.dropNamespace(Self.namespace(context))
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/:namespace/backup", summary: "Every collection of the namespace as one backup file", tag: tag) { _, context in
            let namespace = Self.namespace(context)
            return Self.file(try await vectors.backupNamespace(namespace), name: namespace)
        }
        table.add(.post, "/api/v1/restore", summary: "Restore a backup file (body) as ?name= (collection, or namespace for a namespace backup) in ?namespace=", tag: tag) { request, context in
            let f = RequestFields(values: Dictionary(RequestFields.formDecodedQuery(request.uri.query), uniquingKeysWith: { _, last in last }))
            let body = try await request.body.collect(upTo: Self.maxBackupBytes)
            guard body.readableBytes > 0 else { throw APIError.badRequest("the request body must be a backup file") }
            let report = try await vectors.restore(Array(body.readableBytesView), name: try f.string("name"), namespace: try f.string("namespace"))
            return JSONResponse.make(report, status: .created)
        }
    }

    static func file(_ bytes: [UInt8], name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"\(name).mlpvbak\""],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
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
