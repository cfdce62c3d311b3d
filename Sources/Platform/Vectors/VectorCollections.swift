import Foundation
import VectorIndex

/// Named vector collections, each an HNSW index with a write-ahead log (``VectorStore``): an
/// upsert is fsync'ed before it is acknowledged and survives `kill -9`. Metadata is a JSON
/// object per vector; searches can filter on it.
///
/// Collections live in namespaces (one per agent or swarm), and a search sees only the
/// collection it names, so one namespace's vectors never show up in another's results:
///
///     <data dir>/vectors/<name>/                         the "default" namespace
///     <data dir>/vectors/.namespaces/<namespace>/<name>/ every other namespace
///
/// Every method takes `namespace` (default ``defaultNamespace``, which always exists); other
/// namespaces are made with ``createNamespace(_:)`` and a call naming an unknown one is a
/// `.notFound` error.
public actor VectorCollections {
    /// The namespace of the `/api/v1/collections` routes; it always exists.
    public static let defaultNamespace = "default"

    /// How a collection was created; stored next to its data as `collection.json`.
    public struct Definition: Codable, Sendable, Equatable {
        public var name: String
        /// Set when read (not a stored fact: a restore may move a collection).
        public var namespace: String?
        public var dimension: Int
        public var metric: String
        public var m: Int
        public var ef_construction: Int
        public var created_at: Int64
    }

    /// What `stats` reports.
    public struct Stats: Codable, Sendable {
        public var definition: Definition
        public var count: Int
        public var sequence: UInt64
        /// Damage found in the write-ahead log when the collection was opened, if any.
        public var recovered_problem: String?
    }

    public struct Hit: Codable, Sendable {
        public var id: String
        public var score: Float
        public var metadata: [String: JSONValue]
    }

    public struct Item: Sendable {
        public var id: String
        public var vector: [Float]
        public var metadata: [String: JSONValue]
        public init(id: String, vector: [Float], metadata: [String: JSONValue] = [:]) {
            self.id = id
            self.vector = vector
            self.metadata = metadata
        }
    }

    struct Key: Hashable {
        var namespace: String
        var name: String
    }

    let root: URL
    var open: [Key: (Definition, VectorStore)] = [:]

    public init(root: URL) {
        self.root = root
    }

    public func create(name: String, dimension: Int, metric: String, m: Int = 16, efConstruction: Int = 200,
                       namespace: String = defaultNamespace) throws -> Definition {
        try Self.validate(name: name)
        let base = try folder(of: namespace)
        guard let parsed = DistanceMetric(name: metric) else { throw PlatformError.invalid("metric must be ip, l2 or cosine, got '\(metric)'") }
        guard (1...65536).contains(dimension) else { throw PlatformError.invalid("dimension must be between 1 and 65536, got \(dimension)") }
        guard (2...256).contains(m), (1...10000).contains(efConstruction) else { throw PlatformError.invalid("m must be 2...256 and ef_construction 1...10000") }
        let folder = base.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("collection.json").path) {
            throw PlatformError(.alreadyExists, "a collection named '\(name)' already exists")
        }
        let definition = Definition(name: name, namespace: namespace, dimension: dimension, metric: parsed.rawValue, m: m, ef_construction: efConstruction, created_at: Int64(Date().timeIntervalSince1970 * 1000))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try VectorStore.open(directory: folder.path, configuration: Self.configuration(definition))
        let data = try JSONEncoder().encode(definition)
        try data.write(to: folder.appendingPathComponent("collection.json"), options: .atomic)
        open[Key(namespace: namespace, name: name)] = (definition, store)
        return definition
    }

    public func list(namespace: String = defaultNamespace) throws -> [Definition] {
        let base = try folder(of: namespace)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base.path) else { return [] }
        return try names.sorted().compactMap { name in
            // Leftovers of an interrupted restore (".restore-...") are not valid names: skipped.
            (try? Self.validate(name: name)) != nil && FileManager.default.fileExists(atPath: base.appendingPathComponent("\(name)/collection.json").path)
                ? try collection(name, namespace: namespace).0 : nil
        }
    }

    public func stats(_ name: String, namespace: String = defaultNamespace) throws -> Stats {
        let (definition, store) = try collection(name, namespace: namespace)
        return Stats(definition: definition, count: store.count, sequence: store.sequence, recovered_problem: store.recovery.problem)
    }

    public func drop(_ name: String, namespace: String = defaultNamespace) throws {
        _ = try collection(name, namespace: namespace)
        open[Key(namespace: namespace, name: name)] = nil
        try FileManager.default.removeItem(at: try folder(of: namespace).appendingPathComponent(name))
    }

    // MARK: - Namespaces

    /// Every namespace, ``defaultNamespace`` first.
    public func namespaces() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: namespacesRoot.path)) ?? []
        return [Self.defaultNamespace] + names.filter { (try? Self.validate(name: $0, what: "namespace")) != nil }.sorted()
    }

    /// Creates an empty namespace.
    public func createNamespace(_ namespace: String) throws {
        try Self.validate(name: namespace, what: "namespace")
        guard namespace != Self.defaultNamespace, !FileManager.default.fileExists(atPath: namespacesRoot.appendingPathComponent(namespace).path) else {
            throw PlatformError(.alreadyExists, "a namespace named '\(namespace)' already exists")
        }
        try FileManager.default.createDirectory(at: namespacesRoot.appendingPathComponent(namespace), withIntermediateDirectories: true)
    }

    /// Drops a namespace with all its collections (the default namespace cannot be dropped).
    public func dropNamespace(_ namespace: String) throws {
        guard namespace != Self.defaultNamespace else { throw PlatformError.invalid("the default namespace cannot be dropped") }
        let base = try folder(of: namespace)
        open = open.filter { $0.key.namespace != namespace }
        try FileManager.default.removeItem(at: base)
    }

    /// Throws `.notFound` unless `namespace` exists.
    public func requireNamespace(_ namespace: String) throws {
        _ = try folder(of: namespace)
    }

    /// Inserts or replaces every item. The whole batch is checked first (dimension, finite
    /// values, ids), so bad input stores nothing.
    public func upsert(_ name: String, items: [Item], namespace: String = defaultNamespace) throws -> Int {
        let (definition, store) = try collection(name, namespace: namespace)
        for (index, item) in items.enumerated() {
            guard !item.id.isEmpty, item.id.utf8.count <= 512 else { throw PlatformError.invalid("vectors[\(index)]: id must be 1 to 512 bytes") }
            guard item.vector.count == definition.dimension else {
                throw PlatformError.invalid("vectors[\(index)] ('\(item.id)') has \(item.vector.count) values; collection '\(name)' has dimension \(definition.dimension)")
            }
            guard item.vector.allSatisfy(\.isFinite) else { throw PlatformError.invalid("vectors[\(index)] ('\(item.id)') contains NaN or infinite values") }
            if definition.metric == DistanceMetric.cosine.rawValue, item.vector.allSatisfy({ $0 == 0 }) {
                throw PlatformError.invalid("vectors[\(index)] ('\(item.id)') is all zeros, which has no cosine direction")
            }
        }
        for item in items {
            try store.upsert(id: item.id, vector: item.vector, metadata: Array(try JSONEncoder().encode(item.metadata)))
        }
        return items.count
    }

    public func get(_ name: String, id: String, namespace: String = defaultNamespace) throws -> (vector: [Float], metadata: [String: JSONValue]) {
        let (_, store) = try collection(name, namespace: namespace)
        guard let (vector, metadata) = store.get(id: id) else { throw PlatformError(.notFound, "collection '\(name)' has no vector '\(id)'") }
        return (vector, Self.decode(metadata))
    }

    /// Every id in the collection, sorted.
    public func ids(_ name: String, namespace: String = defaultNamespace) throws -> [String] {
        try collection(name, namespace: namespace).1.ids.sorted()
    }

    public func delete(_ name: String, id: String, namespace: String = defaultNamespace) throws {
        let (_, store) = try collection(name, namespace: namespace)
        guard try store.delete(id: id) else { throw PlatformError(.notFound, "collection '\(name)' has no vector '\(id)'") }
    }

    /// The `k` nearest vectors, optionally only those whose metadata has every key-value of
    /// `filter`. Scores are distances for l2 and similarities for ip and cosine.
    public func search(_ name: String, vector: [Float], k: Int, ef: Int?, filter: [String: JSONValue],
                       namespace: String = defaultNamespace) throws -> [Hit] {
        let (definition, store) = try collection(name, namespace: namespace)
        guard vector.count == definition.dimension else {
            throw PlatformError.invalid("the query has \(vector.count) values; collection '\(name)' has dimension \(definition.dimension)")
        }
        guard vector.allSatisfy(\.isFinite) else { throw PlatformError.invalid("the query contains NaN or infinite values") }
        guard (1...10000).contains(k) else { throw PlatformError.invalid("k must be between 1 and 10000, got \(k)") }
        if let ef, !(1...100_000).contains(ef) { throw PlatformError.invalid("ef must be between 1 and 100000, got \(ef)") }
        let predicate: ((String, [UInt8]) -> Bool)? = filter.isEmpty ? nil : { _, bytes in
            let metadata = Self.decode(bytes)
            return filter.allSatisfy { metadata[$0.key] == $0.value }
        }
        let similarity = definition.metric != DistanceMetric.l2.rawValue
        return try store.search(vector, k: k, ef: ef, filter: predicate).map { hit in
            Hit(id: hit.id, score: similarity ? 1 - hit.distance : hit.distance, metadata: Self.decode(hit.metadata))
        }
    }

    // MARK: - Helpers

    /// The open collection `name` of `namespace` (opened from disk on first use).
    func collection(_ name: String, namespace: String = defaultNamespace) throws -> (Definition, VectorStore) {
        let key = Key(namespace: namespace, name: name)
        if let cached = open[key] { return cached }
        try Self.validate(name: name)
        let folder = try folder(of: namespace).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("collection.json").path) else {
            throw PlatformError(.notFound, namespace == Self.defaultNamespace ? "no collection named '\(name)'" : "no collection named '\(name)' in namespace '\(namespace)'")
        }
        var definition = try JSONDecoder().decode(Definition.self, from: data)
        definition.namespace = namespace
        let store = try VectorStore.open(directory: folder.path, configuration: Self.configuration(definition))
        open[key] = (definition, store)
        return (definition, store)
    }

    var namespacesRoot: URL { root.appendingPathComponent(".namespaces") }

    /// The folder holding `namespace`'s collections; `.notFound` for an unknown namespace.
    func folder(of namespace: String) throws -> URL {
        if namespace == Self.defaultNamespace { return root }
        try Self.validate(name: namespace, what: "namespace")
        let folder = namespacesRoot.appendingPathComponent(namespace)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PlatformError(.notFound, "no namespace named '\(namespace)'")
        }
        return folder
    }

    static func configuration(_ d: Definition) -> HNSWConfiguration {
        HNSWConfiguration(dimension: d.dimension, metric: DistanceMetric(name: d.metric) ?? .l2, m: d.m, efConstruction: d.ef_construction)
    }

    static func validate(name: String, what: String = "collection") throws {
        guard !name.isEmpty, name.count <= 128, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }), name.first != "-" else {
            throw PlatformError.invalid("\(what) name '\(name)' must be 1 to 128 letters, digits, '_' or '-'")
        }
    }

    static func decode(_ bytes: [UInt8]) -> [String: JSONValue] {
        (try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes))) ?? [:]
    }
}
