import SQLKit

/// Experiments and their tags.
public struct ExperimentStore: Sendable {
    let client: any DatabaseClient

    public init(client: any DatabaseClient) {
        self.client = client
    }

    /// Creates an experiment. Its artifact location is `artifactRoot/<id>` unless given.
    public func create(name: String, artifactLocation: String?, artifactRoot: String, tags: [Tag], now: Int64) async throws -> String {
        try await client.write { db in
            if try await Self.idForName(name, db) != nil {
                throw StorageError.alreadyExists("an experiment named '\(name)' already exists")
            }
            let row = try await db.raw("""
                INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                VALUES (\(bind: name), \(bind: artifactLocation ?? ""), 'active', \(bind: now), \(bind: now))
                RETURNING experiment_id
                """).first()
            guard let id = try row?.int64("experiment_id") else { throw StorageError(.unavailable, "insert returned no id") }
            if artifactLocation == nil {
                try await db.raw("UPDATE experiments SET artifact_location = \(bind: "\(artifactRoot)/\(id)") WHERE experiment_id = \(bind: id)").run()
            }
            for tag in tags {
                try await Self.upsertTag(experimentID: id, tag, db)
            }
            return String(id)
        }
    }

    /// Creates the experiment with id 0 named `Default` if it does not exist (MLflow clients expect it).
    public func ensureDefault(artifactRoot: String, now: Int64) async throws {
        try await client.write { db in
            let exists = try await db.raw("SELECT experiment_id FROM experiments WHERE experiment_id = 0").first() != nil
            if exists { return }
            try await db.raw("""
                INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                VALUES (0, 'Default', \(bind: "\(artifactRoot)/0"), 'active', \(bind: now), \(bind: now))
                """).run()
        }
    }

    public func get(id: String) async throws -> Experiment {
        guard let numeric = Int64(id) else { throw StorageError.notFound("no experiment with id '\(id)'") }
        return try await client.read { db in
            guard let experiment = try await Self.load(where: "experiment_id = \(bind: numeric)", db).first else {
                throw StorageError.notFound("no experiment with id '\(id)'")
            }
            return experiment
        }
    }

    public func get(name: String) async throws -> Experiment {
        try await client.read { db in
            guard let experiment = try await Self.load(where: "name = \(bind: name)", db).first else {
                throw StorageError.notFound("no experiment named '\(name)'")
            }
            return experiment
        }
    }

    /// Lists experiments matching `filter` (attributes `name`, `creation_time`,
    /// `last_update_time`, and `tags.*`), ordered and paginated.
    public func search(filter: SearchFilter, orderBy: [OrderClause], viewType: ViewType, maxResults: Int, pageToken: String?) async throws -> Page<Experiment> {
        let offset = try PageToken.decode(pageToken)
        let whereSQL = try FilterSQL.experiments(filter: filter, stages: viewType.stages)
        let orderSQL = try FilterSQL.experimentOrder(orderBy)
        return try await client.read { db in
            let rows = try await Self.load(where: whereSQL, orderBy: orderSQL, limit: maxResults + 1, offset: offset, db)
            return PageToken.page(rows, offset: offset, limit: maxResults)
        }
    }

    public func rename(id: String, to newName: String, now: Int64) async throws {
        let numeric = try await requireActive(id)
        try await client.write { db in
            if let other = try await Self.idForName(newName, db), other != numeric {
                throw StorageError.alreadyExists("an experiment named '\(newName)' already exists")
            }
            try await db.raw("UPDATE experiments SET name = \(bind: newName), last_update_time = \(bind: now) WHERE experiment_id = \(bind: numeric)").run()
        }
    }

    /// Moves an experiment (and its runs) to the trash or back.
    public func setLifecycle(id: String, _ stage: LifecycleStage, now: Int64) async throws {
        let experiment = try await get(id: id)
        guard let numeric = Int64(experiment.experimentID) else { return }
        try await client.write { db in
            try await db.raw("UPDATE experiments SET lifecycle_stage = \(bind: stage.rawValue), last_update_time = \(bind: now) WHERE experiment_id = \(bind: numeric)").run()
            try await db.raw("""
                UPDATE runs SET lifecycle_stage = \(bind: stage.rawValue),
                    deleted_time = \(bind: stage == .deleted ? Optional(now) : nil)
                WHERE experiment_id = \(bind: numeric)
                """).run()
        }
    }

    public func setTag(id: String, _ tag: Tag) async throws {
        let numeric = try await requireActive(id)
        try await client.write { db in try await Self.upsertTag(experimentID: numeric, tag, db) }
    }

    public func deleteTag(id: String, key: String) async throws {
        let numeric = try await requireActive(id)
        try await client.write { db in
            let deleted = try await db.raw("DELETE FROM experiment_tags WHERE experiment_id = \(bind: numeric) AND key = \(bind: key) RETURNING key").all()
            if deleted.isEmpty { throw StorageError.notFound("experiment \(id) has no tag '\(key)'") }
        }
    }

    /// Returns the numeric id of an active experiment, or throws.
    @discardableResult
    public func requireActive(_ id: String) async throws -> Int64 {
        let experiment = try await get(id: id)
        guard experiment.lifecycleStage == .active else {
            throw StorageError(.invalidState, "experiment \(id) is deleted; restore it first")
        }
        return Int64(experiment.experimentID) ?? 0
    }

    // MARK: - Rows

    static func idForName(_ name: String, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT experiment_id FROM experiments WHERE name = \(bind: name)").first()?.int64("experiment_id")
    }

    static func upsertTag(experimentID: Int64, _ tag: Tag, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO experiment_tags (experiment_id, key, value) VALUES (\(bind: experimentID), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    static func load(where condition: SQLQueryString, orderBy: SQLQueryString = "experiment_id", limit: Int? = nil, offset: Int = 0, _ db: any SQLDatabase) async throws -> [Experiment] {
        var query: SQLQueryString = """
            SELECT experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time
            FROM experiments e WHERE \(condition) ORDER BY \(orderBy)
            """
        if let limit { query += " LIMIT \(literal: limit) OFFSET \(literal: offset)" }
        var experiments = try await db.raw(query).all().map { row in
            Experiment(
                experimentID: String(try row.int64("experiment_id")),
                name: try row.string("name"),
                artifactLocation: try row.string("artifact_location"),
                lifecycleStage: LifecycleStage(rawValue: try row.string("lifecycle_stage")) ?? .active,
                creationTime: try row.int64("creation_time"),
                lastUpdateTime: try row.int64("last_update_time"),
                tags: []
            )
        }
        guard !experiments.isEmpty else { return [] }
        let ids = experiments.compactMap { Int64($0.experimentID) }
        let tagRows = try await db.raw("SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (\(binds: ids)) ORDER BY key").all()
        var tags: [String: [Tag]] = [:]
        for row in tagRows {
            tags[String(try row.int64("experiment_id")), default: []].append(Tag(key: try row.string("key"), value: try row.string("value")))
        }
        for index in experiments.indices {
            experiments[index].tags = tags[experiments[index].experimentID] ?? []
        }
        return experiments
    }
}

extension ExperimentStore {
    /// Throws unless the database answers.
    public func ping() async throws {
        _ = try await client.read { try await $0.raw("SELECT 1 AS ok").all().count }
    }
}
