import Foundation
import VectorIndex

/// Named vector collections under `<data dir>/vectors/<name>/`, each an HNSW index with a
/// write-ahead log (``VectorStore``): an upsert is fsync'ed before it is acknowledged and
/// survives `kill -9`. Metadata is a JSON object per vector; searches can filter on it.
public actor VectorCollections {
    /// How a collection was created; stored next to its data as `collection.json`.
    public struct Definition: Codable, Sendable, Equatable {
        public var name: String
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

    let root: URL
    private var open: [String: (Definition, VectorStore)] = [:]

    public init(root: URL) {
        self.root = root
    }

    public func create(name: String, dimension: Int, metric: String, m: Int = 16, efConstruction: Int = 200) throws -> Definition {
        try Self.validate(name: name)
        guard let parsed = DistanceMetric(name: metric) else { throw PlatformError.invalid("metric must be ip, l2 or cosine, got '\(metric)'") }
        guard (1...65536).contains(dimension) else { throw PlatformError.invalid("dimension must be between 1 and 65536, got \(dimension)") }
        guard (2...256).contains(m), (1...10000).contains(efConstruction) else { throw PlatformError.invalid("m must be 2...256 and ef_construction 1...10000") }
        let folder = root.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("collection.json").path) {
            throw PlatformError(.alreadyExists, "a collection named '\(name)' already exists")
        }
        let definition = Definition(name: name, dimension: dimension, metric: parsed.rawValue, m: m, ef_construction: efConstruction, created_at: Int64(Date().timeIntervalSince1970 * 1000))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try VectorStore.open(directory: folder.path, configuration: Self.configuration(definition))
        let data = try JSONEncoder().encode(definition)
        try data.write(to: folder.appendingPathComponent("collection.json"), options: .atomic)
        open[name] = (definition, store)
        return definition
    }

    public func list() throws -> [Definition] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return try names.sorted().compactMap { name in
            FileManager.default.fileExists(atPath: root.appendingPathComponent("\(name)/collection.json").path) ? try collection(name).0 : nil
        }
    }

    public func stats(_ name: String) throws -> Stats {
        let (definition, store) = try collection(name)
        return Stats(definition: definition, count: store.count, sequence: store.sequence, recovered_problem: store.recovery.problem)
    }

    public func drop(_ name: String) throws {
        _ = try collection(name)
        open[name] = nil
        try FileManager.default.removeItem(at: root.appendingPathComponent(name))
    }

    /// Inserts or replaces every item. The whole batch is checked first (dimension, finite
    /// values, ids), so bad input stores nothing.
    public func upsert(_ name: String, items: [Item]) throws -> Int {
        let (definition, store) = try collection(name)
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

    public func get(_ name: String, id: String) throws -> (vector: [Float], metadata: [String: JSONValue]) {
        let (_, store) = try collection(name)
        guard let (vector, metadata) = store.get(id: id) else { throw PlatformError(.notFound, "collection '\(name)' has no vector '\(id)'") }
        return (vector, Self.decode(metadata))
    }

    public func delete(_ name: String, id: String) throws {
        let (_, store) = try collection(name)
        guard try store.delete(id: id) else { throw PlatformError(.notFound, "collection '\(name)' has no vector '\(id)'") }
    }

    /// The `k` nearest vectors, optionally only those whose metadata has every key-value of
    /// `filter`. Scores are distances for l2 and similarities for ip and cosine.
    public func search(_ name: String, vector: [Float], k: Int, ef: Int?, filter: [String: JSONValue]) throws -> [Hit] {
        let (definition, store) = try collection(name)
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

    private func collection(_ name: String) throws -> (Definition, VectorStore) {
        if let cached = open[name] { return cached }
        try Self.validate(name: name)
        let folder = root.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("collection.json").path) else {
            throw PlatformError(.notFound, "no collection named '\(name)'")
        }
        let definition = try JSONDecoder().decode(Definition.self, from: data)
        let store = try VectorStore.open(directory: folder.path, configuration: Self.configuration(definition))
        open[name] = (definition, store)
        return (definition, store)
    }

    static func configuration(_ d: Definition) -> HNSWConfiguration {
        HNSWConfiguration(dimension: d.dimension, metric: DistanceMetric(name: d.metric) ?? .l2, m: d.m, efConstruction: d.ef_construction)
    }

    static func validate(name: String) throws {
        guard !name.isEmpty, name.count <= 128, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }), name.first != "-" else {
            throw PlatformError.invalid("collection name '\(name)' must be 1 to 128 letters, digits, '_' or '-'")
        }
    }

    static func decode(_ bytes: [UInt8]) -> [String: JSONValue] {
        (try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes))) ?? [:]
    }
}
