import Foundation

/// Agent memory on top of vector collections: `patterns` (a task, the approach taken, its
/// outcome and reward) and `episodes` (what an agent did and what happened, when), kept per
/// namespace (one per agent or swarm) in the collections `memory-patterns` and
/// `memory-episodes` of that namespace, created on the first write with the dimension of
/// its embeddings (cosine metric).
///
/// A record without an embedding is embedded from its text (task + approach, or action +
/// result) by the platform's ``EmbeddingService`` (all-MiniLM-L6-v2, 384 values). Search ranks
/// by similarity with optional reward weighting and recency decay (``MemoryScoring``), and
/// sees only its own namespace unless other namespaces are named in the query.
///
/// Every batch is validated whole (fields, rewards, embedding values and dimension) before
/// anything is written, so bad input stores nothing.
public actor AgentMemory {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case patterns, episodes

        /// The collection holding this kind in a namespace.
        public var collection: String { "memory-\(rawValue)" }
        /// Fields a search filter may name.
        var filterable: Set<String> { self == .patterns ? ["task", "approach", "outcome", "reward"] : ["action", "result", "reward"] }
        var singular: String { self == .patterns ? "pattern" : "episode" }
    }

    /// A task, the approach an agent took, its outcome and reward.
    public struct Pattern: Sendable {
        public var id: String?
        public var task: String
        public var approach: String
        public var outcome: String
        public var reward: Double
        public var embedding: [Float]?
        /// When it was recorded (default: now).
        public var timestamp: Date?
        public var metadata: [String: JSONValue]
        public init(id: String? = nil, task: String, approach: String, outcome: String, reward: Double, embedding: [Float]? = nil,
                    timestamp: Date? = nil, metadata: [String: JSONValue] = [:]) {
            (self.id, self.task, self.approach, self.outcome, self.reward) = (id, task, approach, outcome, reward)
            (self.embedding, self.timestamp, self.metadata) = (embedding, timestamp, metadata)
        }
    }

    /// What an agent did, what happened, when, and optionally how good it was.
    public struct Episode: Sendable {
        public var id: String?
        public var action: String
        public var result: String
        public var reward: Double?
        public var embedding: [Float]?
        /// When it happened (default: now).
        public var timestamp: Date?
        public var metadata: [String: JSONValue]
        public init(id: String? = nil, action: String, result: String, reward: Double? = nil, embedding: [Float]? = nil,
                    timestamp: Date? = nil, metadata: [String: JSONValue] = [:]) {
            (self.id, self.action, self.result, self.reward) = (id, action, result, reward)
            (self.embedding, self.timestamp, self.metadata) = (embedding, timestamp, metadata)
        }
    }

    /// A search: a text (embedded) or an embedding, how many hits, and how to rank them.
    public struct Query: Sendable {
        public var text: String?
        public var embedding: [Float]?
        public var k: Int
        /// Nearest records reranked per namespace (default max(4k, 64), at most 10000).
        public var candidates: Int?
        public var scoring: MemoryScoring
        /// Equality on record fields (``Kind`` lists which).
        public var filter: [String: JSONValue]
        /// Other namespaces to search too (memory is private to its namespace unless named here).
        public var alsoNamespaces: [String]
        public init(text: String? = nil, embedding: [Float]? = nil, k: Int = 10, candidates: Int? = nil, scoring: MemoryScoring,
                    filter: [String: JSONValue] = [:], alsoNamespaces: [String] = []) {
            (self.text, self.embedding, self.k, self.candidates) = (text, embedding, k, candidates)
            (self.scoring, self.filter, self.alsoNamespaces) = (scoring, filter, alsoNamespaces)
        }
    }

    public struct Hit: Codable, Sendable {
        public var id: String
        public var namespace: String
        public var score: Double
        public var similarity: Double
        public var reward_norm: Double
        public var decay: Double
        public var age_seconds: Double
        /// The stored fields (task/approach/outcome or action/result, reward, timestamp_ms, metadata).
        public var record: [String: JSONValue]
    }

    public struct Stats: Codable, Sendable {
        public var namespace: String
        public var patterns: Int
        public var episodes: Int
    }

    /// A record on its way in: its id, the text to embed when no embedding is given, its fields.
    struct Entry {
        var id: String
        var text: String
        var embedding: [Float]?
        var fields: [String: JSONValue]
    }

    let vectors: VectorCollections
    let embeddings: EmbeddingService
    let now: @Sendable () -> Date

    /// - Parameter now: the clock for default timestamps and ages (injected in tests).
    public init(vectors: VectorCollections, embeddings: EmbeddingService, now: @escaping @Sendable () -> Date = { Date() }) {
        self.vectors = vectors
        self.embeddings = embeddings
        self.now = now
    }

    /// Stores patterns (an existing id is replaced); returns their ids.
    public func add(_ patterns: [Pattern], namespace: String) async throws -> [String] {
        let entries = try patterns.enumerated().map { index, p in
            let at = "patterns[\(index)]"
            try Self.requireText(p.task, "\(at).task")
            try Self.requireText(p.approach, "\(at).approach")
            try Self.requireText(p.outcome, "\(at).outcome")
            guard p.reward.isFinite else { throw PlatformError.invalid("\(at).reward must be a finite number") }
            return Entry(id: try Self.id(p.id, at), text: "\(p.task)\n\(p.approach)", embedding: p.embedding, fields: [
                "task": .string(p.task), "approach": .string(p.approach), "outcome": .string(p.outcome), "reward": .number(p.reward),
                "timestamp_ms": .number(Self.milliseconds(p.timestamp ?? now())), "metadata": .object(p.metadata),
            ])
        }
        return try await add(.patterns, entries, namespace: namespace)
    }

    /// Stores episodes (an existing id is replaced); returns their ids.
    public func add(_ episodes: [Episode], namespace: String) async throws -> [String] {
        let entries = try episodes.enumerated().map { index, e in
            let at = "episodes[\(index)]"
            try Self.requireText(e.action, "\(at).action")
            try Self.requireText(e.result, "\(at).result")
            var fields: [String: JSONValue] = [
                "action": .string(e.action), "result": .string(e.result),
                "timestamp_ms": .number(Self.milliseconds(e.timestamp ?? now())), "metadata": .object(e.metadata),
            ]
            if let reward = e.reward {
                guard reward.isFinite else { throw PlatformError.invalid("\(at).reward must be a finite number") }
                fields["reward"] = .number(reward)
            }
            return Entry(id: try Self.id(e.id, at), text: "\(e.action)\n\(e.result)", embedding: e.embedding, fields: fields)
        }
        return try await add(.episodes, entries, namespace: namespace)
    }

    func add(_ kind: Kind, _ entries: [Entry], namespace: String) async throws -> [String] {
        guard (1...10_000).contains(entries.count) else { throw PlatformError.invalid("give 1 to 10000 \(kind.rawValue) per call, got \(entries.count)") }
        try await vectors.requireNamespace(namespace)
        let existing = try await memoryCollection(kind, namespace: namespace)?.dimension
        var values: [[Float]?] = entries.map(\.embedding)
        for (index, vector) in values.enumerated() {
            if let vector { try Self.validate(vector, at: "\(kind.rawValue)[\(index)].embedding") }
        }
        let missing = values.indices.filter { values[$0] == nil }
        if !missing.isEmpty {
            let embedded = try await embeddings.embed(missing.map { entries[$0].text }).vectors
            for (index, vector) in zip(missing, embedded) { values[index] = vector }
        }
        let dimension = existing ?? values[0]!.count
        for (index, vector) in values.enumerated() where vector!.count != dimension {
            let source = entries[index].embedding == nil ? "its text embeds to" : "its embedding has"
            throw PlatformError.invalid("\(kind.rawValue)[\(index)]: \(source) \(vector!.count) values; the \(kind.rawValue) of namespace '\(namespace)' have dimension \(dimension)")
        }
        if existing == nil {
            do {
                _ = try await vectors.create(name: kind.collection, dimension: dimension, metric: "cosine", namespace: namespace)
            } catch let error as PlatformError where error.code == .alreadyExists {
                // Another first write made it meanwhile; the upsert checks the dimension.
            }
        }
        let items = zip(entries, values).map { VectorCollections.Item(id: $0.id, vector: $1!, metadata: $0.fields) }
        _ = try await vectors.upsert(kind.collection, items: items, namespace: namespace)
        return entries.map(\.id)
    }

    /// The best `query.k` records of `kind` in `namespace` (and `query.alsoNamespaces`), by
    /// ``MemoryScoring``. A namespace without records of this kind contributes nothing.
    public func search(_ kind: Kind, _ query: Query, namespace: String) async throws -> [Hit] {
        guard (1...1000).contains(query.k) else { throw PlatformError.invalid("k must be between 1 and 1000, got \(query.k)") }
        let candidates = query.candidates ?? min(10_000, max(4 * query.k, 64))
        guard (query.k...10_000).contains(candidates) else { throw PlatformError.invalid("candidates must be between k (\(query.k)) and 10000, got \(candidates)") }
        for (key, value) in query.filter {
            guard kind.filterable.contains(key) else {
                throw PlatformError.invalid("unknown filter field '\(key)'; \(kind.rawValue) can be filtered on \(kind.filterable.sorted().joined(separator: ", "))")
            }
            switch value {
            case .string, .number, .bool: break
            default: throw PlatformError.invalid("filter field '\(key)' must be a string, number or boolean")
            }
        }
        var namespaces = [namespace]
        for other in query.alsoNamespaces where !namespaces.contains(other) { namespaces.append(other) }
        for ns in namespaces { try await vectors.requireNamespace(ns) }
        let vector: [Float]
        switch (query.embedding, query.text) {
        case (let embedding?, _):
            try Self.validate(embedding, at: "embedding")
            vector = embedding
        case (nil, let text?):
            try Self.requireText(text, "query")
            vector = try await embeddings.embed([text]).vectors[0]
        case (nil, nil):
            throw PlatformError.invalid("give a query text or an embedding")
        }
        let nowMS = Self.milliseconds(now())
        var hits: [Hit] = []
        for ns in namespaces {
            guard let definition = try await memoryCollection(kind, namespace: ns) else { continue }
            guard definition.dimension == vector.count else {
                throw PlatformError.invalid("the query has \(vector.count) values; the \(kind.rawValue) of namespace '\(ns)' have dimension \(definition.dimension)")
            }
            let found = try await vectors.search(kind.collection, vector: vector, k: candidates, ef: max(candidates, 64), filter: query.filter, namespace: ns)
            for hit in found {
                let reward: Double? = if case .number(let r) = hit.metadata["reward"] { r } else { nil }
                let stamp: Double = if case .number(let t) = hit.metadata["timestamp_ms"] { t } else { nowMS }
                let age = max(0, nowMS - stamp) / 1000
                let similarity = Double(hit.score)
                hits.append(Hit(id: hit.id, namespace: ns, score: query.scoring.score(similarity: similarity, reward: reward, ageSeconds: age),
                                similarity: similarity, reward_norm: query.scoring.rewardNorm(reward), decay: query.scoring.decay(ageSeconds: age),
                                age_seconds: age, record: hit.metadata))
            }
        }
        return Array(hits.sorted { $0.score > $1.score }.prefix(query.k))
    }

    /// One stored record's fields.
    public func get(_ kind: Kind, id: String, namespace: String) async throws -> [String: JSONValue] {
        do {
            return try await vectors.get(kind.collection, id: id, namespace: namespace).metadata
        } catch let error as PlatformError where error.code == .notFound {
            try await vectors.requireNamespace(namespace)
            throw PlatformError(.notFound, "namespace '\(namespace)' has no \(kind.singular) '\(id)'")
        }
    }

    public func delete(_ kind: Kind, id: String, namespace: String) async throws {
        do {
            try await vectors.delete(kind.collection, id: id, namespace: namespace)
        } catch let error as PlatformError where error.code == .notFound {
            try await vectors.requireNamespace(namespace)
            throw PlatformError(.notFound, "namespace '\(namespace)' has no \(kind.singular) '\(id)'")
        }
    }

    public func stats(namespace: String) async throws -> Stats {
        try await vectors.requireNamespace(namespace)
        let patterns = (try? await vectors.stats(Kind.patterns.collection, namespace: namespace).count) ?? 0
        let episodes = (try? await vectors.stats(Kind.episodes.collection, namespace: namespace).count) ?? 0
        return Stats(namespace: namespace, patterns: patterns, episodes: episodes)
    }

    /// The definition of the namespace's collection for `kind`, nil before the first write;
    /// a collection of that name made by hand with another metric is refused.
    func memoryCollection(_ kind: Kind, namespace: String) async throws -> VectorCollections.Definition? {
        let definition: VectorCollections.Definition
        do {
            definition = try await vectors.stats(kind.collection, namespace: namespace).definition
        } catch let error as PlatformError where error.code == .notFound {
            return nil
        }
        guard definition.metric == "cosine" else {
            throw PlatformError(.invalidState, "collection '\(kind.collection)' of namespace '\(namespace)' uses metric \(definition.metric), not cosine: it is not agent memory")
        }
        return definition
    }

    // MARK: - Validation

    static func requireText(_ text: String, _ field: String) throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PlatformError.invalid("\(field) must not be empty") }
        guard text.count <= 10_000 else { throw PlatformError.invalid("\(field) is longer than 10000 characters") }
    }

    static func validate(_ vector: [Float], at field: String) throws {
        guard !vector.isEmpty, vector.count <= 65536 else { throw PlatformError.invalid("\(field) must hold 1 to 65536 values, got \(vector.count)") }
        guard vector.allSatisfy(\.isFinite) else { throw PlatformError.invalid("\(field) contains NaN or infinite values") }
        guard vector.contains(where: { $0 != 0 }) else { throw PlatformError.invalid("\(field) is all zeros, which has no cosine direction") }
    }

    static func id(_ given: String?, _ at: String) throws -> String {
        guard let given else { return UUID().uuidString.lowercased() }
        guard !given.isEmpty, given.utf8.count <= 512 else { throw PlatformError.invalid("\(at).id must be 1 to 512 bytes") }
        return given
    }

    static func milliseconds(_ date: Date) -> Double { (date.timeIntervalSince1970 * 1000).rounded() }
}
