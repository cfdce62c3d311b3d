import SQLKit

/// MLflow 3 logged models: created before their artifacts upload, finalized after.
public struct LoggedModelStore: Sendable {
    let client: any DatabaseClient

    public init(client: any DatabaseClient) {
        self.client = client
    }

    public func create(_ model: LoggedModel) async throws -> LoggedModel {
        guard let experimentID = Int64(model.experimentID) else { throw StorageError.notFound("no experiment with id '\(model.experimentID)'") }
        return try await client.write { db in
            try await db.raw("""
                INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_time, last_updated_time,
                    status, status_message, lifecycle_stage, model_type, source_run_id)
                VALUES (\(bind: model.modelID), \(bind: experimentID), \(bind: model.name), \(bind: model.artifactLocation),
                    \(bind: model.creationTime), \(bind: model.lastUpdatedTime), \(bind: model.status), \(bind: model.statusMessage),
                    'active', \(bind: model.modelType), \(bind: model.sourceRunID))
                """).run()
            for tag in RunStore.deduplicated(model.tags) { try await Self.upsert("logged_model_tags", model.modelID, tag, db) }
            for param in RunStore.deduplicated(model.params) { try await Self.upsert("logged_model_params", model.modelID, param, db) }
            return try await Self.load(model.modelID, db)
        }
    }

    public func get(_ modelID: String) async throws -> LoggedModel {
        try await client.read { db in try await Self.load(modelID, db) }
    }

    public func setStatus(_ modelID: String, status: String, now: Int64) async throws -> LoggedModel {
        try await client.write { db in
            let rows = try await db.raw("""
                UPDATE logged_models SET status = \(bind: status), last_updated_time = \(bind: now)
                WHERE model_id = \(bind: modelID) AND lifecycle_stage = 'active' RETURNING model_id
                """).all()
            if rows.isEmpty { throw StorageError.notFound("no logged model with id '\(modelID)'") }
            return try await Self.load(modelID, db)
        }
    }

    public func delete(_ modelID: String, now: Int64) async throws {
        try await client.write { db in
            let rows = try await db.raw("""
                UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_time = \(bind: now)
                WHERE model_id = \(bind: modelID) AND lifecycle_stage = 'active' RETURNING model_id
                """).all()
            if rows.isEmpty { throw StorageError.notFound("no logged model with id '\(modelID)'") }
        }
    }

    public func setTags(_ modelID: String, _ tags: [Tag]) async throws {
        try await client.write { db in
            _ = try await Self.load(modelID, db)
            for tag in RunStore.deduplicated(tags) { try await Self.upsert("logged_model_tags", modelID, tag, db) }
        }
    }

    public func deleteTag(_ modelID: String, key: String) async throws {
        try await client.write { db in
            let rows = try await db.raw("DELETE FROM logged_model_tags WHERE model_id = \(bind: modelID) AND key = \(bind: key) RETURNING key").all()
            if rows.isEmpty { throw StorageError.notFound("logged model '\(modelID)' has no tag '\(key)'") }
        }
    }

    public func logParams(_ modelID: String, _ params: [Tag]) async throws {
        try await client.write { db in
            _ = try await Self.load(modelID, db)
            for param in RunStore.deduplicated(params) { try await Self.upsert("logged_model_params", modelID, param, db) }
        }
    }

    /// Active logged models of the given experiments, newest first.
    public func search(experimentIDs: [String], maxResults: Int, pageToken: String?) async throws -> Page<LoggedModel> {
        let ids = experimentIDs.compactMap { Int64($0) }
        guard !ids.isEmpty else { return Page(items: [], nextPageToken: nil) }
        let offset = try PageToken.decode(pageToken)
        return try await client.read { db in
            let modelIDs = try await db.raw("""
                SELECT model_id FROM logged_models WHERE experiment_id IN (\(binds: ids)) AND lifecycle_stage = 'active'
                ORDER BY creation_time DESC, model_id LIMIT \(literal: maxResults + 1) OFFSET \(literal: offset)
                """).all().map { try $0.string("model_id") }
            let page = PageToken.page(modelIDs, offset: offset, limit: maxResults)
            var models: [LoggedModel] = []
            for id in page.items { models.append(try await Self.load(id, db)) }
            return Page(items: models, nextPageToken: page.nextPageToken)
        }
    }

    static func upsert(_ table: String, _ modelID: String, _ tag: Tag, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO \(ident: table) (model_id, key, value) VALUES (\(bind: modelID), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    static func load(_ modelID: String, _ db: any SQLDatabase) async throws -> LoggedModel {
        guard let row = try await db.raw("""
            SELECT model_id, experiment_id, name, artifact_location, creation_time, last_updated_time, status, status_message,
                   model_type, source_run_id
            FROM logged_models WHERE model_id = \(bind: modelID) AND lifecycle_stage = 'active'
            """).first() else {
            throw StorageError.notFound("no logged model with id '\(modelID)'")
        }
        let tags = try await db.raw("SELECT key, value FROM logged_model_tags WHERE model_id = \(bind: modelID) ORDER BY key").all().map {
            Tag(key: try $0.string("key"), value: try $0.string("value"))
        }
        let params = try await db.raw("SELECT key, value FROM logged_model_params WHERE model_id = \(bind: modelID) ORDER BY key").all().map {
            Tag(key: try $0.string("key"), value: try $0.string("value"))
        }
        return LoggedModel(
            modelID: try row.string("model_id"), experimentID: String(try row.int64("experiment_id")), name: try row.string("name"),
            artifactLocation: try row.string("artifact_location"), creationTime: try row.int64("creation_time"),
            lastUpdatedTime: try row.int64("last_updated_time"), status: try row.string("status"),
            statusMessage: try row.string("status_message"), modelType: try row.string("model_type"),
            sourceRunID: try row.string("source_run_id"), tags: tags, params: params)
    }
}
