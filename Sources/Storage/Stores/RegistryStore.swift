import SQLKit

/// Registered models, their versions, tags, aliases and stages, and the history of every
/// alias and stage move.
public struct RegistryStore: Sendable {
    let client: any DatabaseClient

    public init(client: any DatabaseClient) {
        self.client = client
    }

    // MARK: - Registered models

    public func createModel(name: String, description: String, tags: [Tag], now: Int64) async throws -> RegisteredModel {
        try await client.write { db in
            if try await db.raw("SELECT name FROM registered_models WHERE name = \(bind: name)").first() != nil {
                throw StorageError.alreadyExists("a registered model named '\(name)' already exists")
            }
            try await db.raw("""
                INSERT INTO registered_models (name, description, creation_time, last_updated_time, next_version)
                VALUES (\(bind: name), \(bind: description), \(bind: now), \(bind: now), 1)
                """).run()
            for tag in RunStore.deduplicated(tags) { try await Self.upsertModelTag(name: name, tag, db) }
            return try await Self.loadModel(name, db)
        }
    }

    public func model(_ name: String) async throws -> RegisteredModel {
        try await client.read { db in try await Self.loadModel(name, db) }
    }

    public func searchModels(filter: SearchFilter, orderBy: [OrderClause], maxResults: Int, pageToken: String?) async throws -> Page<RegisteredModel> {
        let offset = try PageToken.decode(pageToken)
        let condition = try FilterSQL.registeredModels(filter: filter)
        let order = try FilterSQL.order(orderBy, in: FilterSQL.modelAttributes, tieBreak: "m.name ASC", entity: "registered model")
        return try await client.read { db in
            let names = try await db.raw("""
                SELECT m.name FROM registered_models m WHERE \(condition) ORDER BY \(order)
                LIMIT \(literal: maxResults + 1) OFFSET \(literal: offset)
                """).all().map { try $0.string("name") }
            let page = PageToken.page(names, offset: offset, limit: maxResults)
            var models: [RegisteredModel] = []
            for name in page.items { models.append(try await Self.loadModel(name, db)) }
            return Page(items: models, nextPageToken: page.nextPageToken)
        }
    }

    public func updateModel(name: String, description: String, now: Int64) async throws -> RegisteredModel {
        try await client.write { db in
            try await Self.touchModel(name, now: now, db)
            try await db.raw("UPDATE registered_models SET description = \(bind: description) WHERE name = \(bind: name)").run()
            return try await Self.loadModel(name, db)
        }
    }

    public func renameModel(name: String, to newName: String, now: Int64) async throws -> RegisteredModel {
        try await client.write { db in
            try await Self.touchModel(name, now: now, db)
            if try await db.raw("SELECT name FROM registered_models WHERE name = \(bind: newName)").first() != nil {
                throw StorageError.alreadyExists("a registered model named '\(newName)' already exists")
            }
            try await db.raw("UPDATE registered_models SET name = \(bind: newName) WHERE name = \(bind: name)").run()
            try await db.raw("UPDATE model_events SET name = \(bind: newName) WHERE name = \(bind: name)").run()
            return try await Self.loadModel(newName, db)
        }
    }

    public func deleteModel(name: String) async throws {
        try await client.write { db in
            let rows = try await db.raw("DELETE FROM registered_models WHERE name = \(bind: name) RETURNING name").all()
            if rows.isEmpty { throw StorageError.notFound("no registered model named '\(name)'") }
        }
    }

    public func setModelTag(name: String, _ tag: Tag, now: Int64) async throws {
        try await client.write { db in
            try await Self.touchModel(name, now: now, db)
            try await Self.upsertModelTag(name: name, tag, db)
        }
    }

    public func deleteModelTag(name: String, key: String) async throws {
        try await client.write { db in
            let rows = try await db.raw("DELETE FROM registered_model_tags WHERE name = \(bind: name) AND key = \(bind: key) RETURNING key").all()
            if rows.isEmpty {
                _ = try await Self.loadModel(name, db)
                throw StorageError.notFound("registered model '\(name)' has no tag '\(key)'")
            }
        }
    }

    // MARK: - Versions

    /// The fields of a new version that the caller chooses.
    public struct NewVersion: Sendable {
        public var source: String
        public var runID: String
        public var runLink: String
        public var description: String
        public var userID: String
        public var modelID: String
        public var parentVersion: Int64?
        public var tags: [Tag]
        public init(source: String, runID: String = "", runLink: String = "", description: String = "", userID: String = "", modelID: String = "", parentVersion: Int64? = nil, tags: [Tag] = []) {
            self.source = source
            self.runID = runID
            self.runLink = runLink
            self.description = description
            self.userID = userID
            self.modelID = modelID
            self.parentVersion = parentVersion
            self.tags = tags
        }
    }

    /// Adds the next version number of `name`; numbers are never reused, even after deletes.
    public func createVersion(name: String, _ new: NewVersion, now: Int64) async throws -> ModelVersion {
        try await client.write { db in
            guard let row = try await db.raw("SELECT next_version FROM registered_models WHERE name = \(bind: name)").first() else {
                throw StorageError.notFound("no registered model named '\(name)'")
            }
            let version = try row.int64("next_version")
            if let parent = new.parentVersion,
               try await db.raw("SELECT version FROM model_versions WHERE name = \(bind: name) AND version = \(bind: parent)").first() == nil {
                throw StorageError.invalidInput("parent version \(parent) of model '\(name)' does not exist")
            }
            try await db.raw("UPDATE registered_models SET next_version = \(bind: version + 1), last_updated_time = \(bind: now) WHERE name = \(bind: name)").run()
            try await db.raw("""
                INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage,
                    source, run_id, run_link, status, status_message, model_id, parent_version)
                VALUES (\(bind: name), \(bind: version), \(bind: now), \(bind: now), \(bind: new.description), \(bind: new.userID), 'None',
                    \(bind: new.source), \(bind: new.runID), \(bind: new.runLink), 'READY', '', \(bind: new.modelID), \(bind: new.parentVersion))
                """).run()
            for tag in RunStore.deduplicated(new.tags) { try await Self.upsertVersionTag(name: name, version: version, tag, db) }
            return try await Self.loadVersion(name, version, db)
        }
    }

    public func version(name: String, version: Int64) async throws -> ModelVersion {
        try await client.read { db in try await Self.loadVersion(name, version, db) }
    }

    public func searchVersions(filter: SearchFilter, orderBy: [OrderClause], maxResults: Int, pageToken: String?) async throws -> Page<ModelVersion> {
        let offset = try PageToken.decode(pageToken)
        let condition = try FilterSQL.modelVersions(filter: filter)
        let order = try FilterSQL.order(orderBy, in: FilterSQL.versionAttributes, tieBreak: "v.name ASC, v.version DESC", entity: "model version")
        return try await client.read { db in
            let keys = try await db.raw("""
                SELECT v.name, v.version FROM model_versions v WHERE \(condition) ORDER BY \(order)
                LIMIT \(literal: maxResults + 1) OFFSET \(literal: offset)
                """).all().map { (try $0.string("name"), try $0.int64("version")) }
            let page = PageToken.page(keys, offset: offset, limit: maxResults)
            var versions: [ModelVersion] = []
            for (name, version) in page.items { versions.append(try await Self.loadVersion(name, version, db)) }
            return Page(items: versions, nextPageToken: page.nextPageToken)
        }
    }

    public func updateVersion(name: String, version: Int64, description: String, now: Int64) async throws -> ModelVersion {
        try await client.write { db in
            _ = try await Self.loadVersion(name, version, db)
            try await db.raw("""
                UPDATE model_versions SET description = \(bind: description), last_updated_time = \(bind: now)
                WHERE name = \(bind: name) AND version = \(bind: version)
                """).run()
            return try await Self.loadVersion(name, version, db)
        }
    }

    public func deleteVersion(name: String, version: Int64, actor: String, now: Int64) async throws {
        try await client.write { db in
            let version = try await Self.loadVersion(name, version, db)
            for alias in version.aliases {
                try await Self.recordEvent(ModelEvent(name: name, kind: .alias, subject: alias, from: String(version.version), to: nil, actor: actor, time: now), db)
            }
            try await db.raw("DELETE FROM model_versions WHERE name = \(bind: name) AND version = \(bind: version.version)").run()
        }
    }

    public func setVersionTag(name: String, version: Int64, _ tag: Tag) async throws {
        try await client.write { db in
            _ = try await Self.loadVersion(name, version, db)
            try await Self.upsertVersionTag(name: name, version: version, tag, db)
        }
    }

    public func deleteVersionTag(name: String, version: Int64, key: String) async throws {
        try await client.write { db in
            _ = try await Self.loadVersion(name, version, db)
            let rows = try await db.raw("""
                DELETE FROM model_version_tags WHERE name = \(bind: name) AND version = \(bind: version) AND key = \(bind: key) RETURNING key
                """).all()
            if rows.isEmpty { throw StorageError.notFound("version \(version) of '\(name)' has no tag '\(key)'") }
        }
    }

    /// Moves a version to `stage`; with `archiveExisting`, other versions in that stage move to Archived.
    public func transitionStage(name: String, version: Int64, to stage: ModelStage, archiveExisting: Bool, actor: String, now: Int64) async throws -> ModelVersion {
        try await client.write { db in
            let current = try await Self.loadVersion(name, version, db)
            if archiveExisting, stage == .staging || stage == .production {
                let others = try await db.raw("""
                    SELECT version FROM model_versions WHERE name = \(bind: name) AND current_stage = \(bind: stage.rawValue) AND version <> \(bind: version)
                    """).all().map { try $0.int64("version") }
                for other in others {
                    try await Self.setStage(name: name, version: other, from: stage, to: .archived, actor: actor, now: now, db)
                }
            }
            try await Self.setStage(name: name, version: version, from: current.currentStage, to: stage, actor: actor, now: now, db)
            return try await Self.loadVersion(name, version, db)
        }
    }

    /// The newest version in each of `stages` (all stages when empty).
    public func latestVersions(name: String, stages: [ModelStage]) async throws -> [ModelVersion] {
        try await client.read { db in
            _ = try await Self.loadModel(name, db)
            return try await Self.latestVersions(name, stages: stages, db)
        }
    }

    // MARK: - Aliases and history

    public func setAlias(name: String, alias: String, version: Int64, actor: String, now: Int64) async throws {
        try await client.write { db in
            _ = try await Self.loadVersion(name, version, db)
            let previous = try await db.raw("SELECT version FROM registered_model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias)").first()?.int64("version")
            if previous == version { return }
            try await db.raw("""
                INSERT INTO registered_model_aliases (name, alias, version) VALUES (\(bind: name), \(bind: alias), \(bind: version))
                ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version
                """).run()
            try await Self.recordEvent(ModelEvent(name: name, kind: .alias, subject: alias, from: previous.map(String.init), to: String(version), actor: actor, time: now), db)
        }
    }

    public func deleteAlias(name: String, alias: String, actor: String, now: Int64) async throws {
        try await client.write { db in
            let rows = try await db.raw("DELETE FROM registered_model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias) RETURNING version").all()
            guard let previous = try rows.first?.int64("version") else {
                _ = try await Self.loadModel(name, db)
                throw StorageError.notFound("registered model '\(name)' has no alias '\(alias)'")
            }
            try await Self.recordEvent(ModelEvent(name: name, kind: .alias, subject: alias, from: String(previous), to: nil, actor: actor, time: now), db)
        }
    }

    public func version(name: String, alias: String) async throws -> ModelVersion {
        try await client.read { db in
            guard let version = try await db.raw("SELECT version FROM registered_model_aliases WHERE name = \(bind: name) AND alias = \(bind: alias)").first()?.int64("version") else {
                _ = try await Self.loadModel(name, db)
                throw StorageError.notFound("registered model '\(name)' has no alias '\(alias)'")
            }
            return try await Self.loadVersion(name, version, db)
        }
    }

    /// Every alias and stage move of `name`, oldest first.
    public func history(name: String) async throws -> [ModelEvent] {
        try await client.read { db in
            try await db.raw("""
                SELECT name, kind, subject, from_value, to_value, actor, event_time FROM model_events
                WHERE name = \(bind: name) ORDER BY event_time, event_id
                """).all().map { row in
                ModelEvent(
                    name: try row.string("name"), kind: ModelEvent.Kind(rawValue: try row.string("kind")) ?? .alias,
                    subject: try row.string("subject"), from: try row.optionalString("from_value"), to: try row.optionalString("to_value"),
                    actor: try row.string("actor"), time: try row.int64("event_time"))
            }
        }
    }

    // MARK: - Rows

    static func touchModel(_ name: String, now: Int64, _ db: any SQLDatabase) async throws {
        let rows = try await db.raw("UPDATE registered_models SET last_updated_time = \(bind: now) WHERE name = \(bind: name) RETURNING name").all()
        if rows.isEmpty { throw StorageError.notFound("no registered model named '\(name)'") }
    }

    static func setStage(name: String, version: Int64, from: ModelStage, to: ModelStage, actor: String, now: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE model_versions SET current_stage = \(bind: to.rawValue), last_updated_time = \(bind: now)
            WHERE name = \(bind: name) AND version = \(bind: version)
            """).run()
        if from != to {
            try await recordEvent(ModelEvent(name: name, kind: .stage, subject: String(version), from: from.rawValue, to: to.rawValue, actor: actor, time: now), db)
        }
    }

    static func recordEvent(_ event: ModelEvent, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO model_events (name, kind, subject, from_value, to_value, actor, event_time)
            VALUES (\(bind: event.name), \(bind: event.kind.rawValue), \(bind: event.subject), \(bind: event.from), \(bind: event.to), \(bind: event.actor), \(bind: event.time))
            """).run()
    }

    static func upsertModelTag(name: String, _ tag: Tag, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO registered_model_tags (name, key, value) VALUES (\(bind: name), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (name, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    static func upsertVersionTag(name: String, version: Int64, _ tag: Tag, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO model_version_tags (name, version, key, value) VALUES (\(bind: name), \(bind: version), \(bind: tag.key), \(bind: tag.value))
            ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value
            """).run()
    }

    static func loadModel(_ name: String, _ db: any SQLDatabase) async throws -> RegisteredModel {
        guard let row = try await db.raw("SELECT name, description, creation_time, last_updated_time FROM registered_models WHERE name = \(bind: name)").first() else {
            throw StorageError.notFound("no registered model named '\(name)'")
        }
        let tags = try await db.raw("SELECT key, value FROM registered_model_tags WHERE name = \(bind: name) ORDER BY key").all().map {
            Tag(key: try $0.string("key"), value: try $0.string("value"))
        }
        let aliases = try await db.raw("SELECT alias, version FROM registered_model_aliases WHERE name = \(bind: name) ORDER BY alias").all().map {
            ModelAlias(alias: try $0.string("alias"), version: try $0.int64("version"))
        }
        return RegisteredModel(
            name: try row.string("name"), description: try row.string("description"),
            creationTime: try row.int64("creation_time"), lastUpdatedTime: try row.int64("last_updated_time"),
            tags: tags, aliases: aliases, latestVersions: try await latestVersions(name, stages: [], db))
    }

    static func latestVersions(_ name: String, stages: [ModelStage], _ db: any SQLDatabase) async throws -> [ModelVersion] {
        let wanted = stages.isEmpty ? ModelStage.allCases : stages
        var versions: [ModelVersion] = []
        for stage in wanted {
            if let version = try await db.raw("""
                SELECT MAX(version) AS version FROM model_versions WHERE name = \(bind: name) AND current_stage = \(bind: stage.rawValue)
                """).first()?.optionalInt64("version") {
                versions.append(try await loadVersion(name, version, db))
            }
        }
        return versions.sorted { $0.version < $1.version }
    }

    static func loadVersion(_ name: String, _ version: Int64, _ db: any SQLDatabase) async throws -> ModelVersion {
        guard let row = try await db.raw("""
            SELECT name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, run_link,
                   status, status_message, model_id, parent_version
            FROM model_versions WHERE name = \(bind: name) AND version = \(bind: version)
            """).first() else {
            throw StorageError.notFound("registered model '\(name)' has no version \(version)")
        }
        let tags = try await db.raw("SELECT key, value FROM model_version_tags WHERE name = \(bind: name) AND version = \(bind: version) ORDER BY key").all().map {
            Tag(key: try $0.string("key"), value: try $0.string("value"))
        }
        let aliases = try await db.raw("SELECT alias FROM registered_model_aliases WHERE name = \(bind: name) AND version = \(bind: version) ORDER BY alias").all().map {
            try $0.string("alias")
        }
        return ModelVersion(
            name: try row.string("name"), version: try row.int64("version"),
            creationTime: try row.int64("creation_time"), lastUpdatedTime: try row.int64("last_updated_time"),
            description: try row.string("description"), userID: try row.string("user_id"),
            currentStage: ModelStage(rawValue: try row.string("current_stage")) ?? .none,
            source: try row.string("source"), runID: try row.string("run_id"), runLink: try row.string("run_link"),
            status: try row.string("status"), statusMessage: try row.string("status_message"),
            modelID: try row.string("model_id"), parentVersion: try row.optionalInt64("parent_version"),
            tags: tags, aliases: aliases)
    }
}
