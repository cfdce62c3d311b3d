import SQLKit

/// A stored deployment: its spec and rollout state as JSON documents.
public struct DeploymentRecord: Sendable, Equatable {
    public var name: String
    public var spec: String
    public var state: String
    public var creationTime: Int64
    public var lastUpdateTime: Int64
}

/// One entry of a deployment's history.
public struct DeploymentEventRecord: Sendable, Equatable {
    public var time: Int64
    public var kind: String
    /// JSON document with the event's details.
    public var detail: String

    public init(time: Int64, kind: String, detail: String) {
        self.time = time
        self.kind = kind
        self.detail = detail
    }
}

/// Deployments and their event history. A state change and its event are written in one
/// transaction, so the history never disagrees with the state.
public struct DeploymentStore: Sendable {
    let client: any DatabaseClient

    public init(client: any DatabaseClient) {
        self.client = client
    }

    public func create(name: String, spec: String, state: String, event: DeploymentEventRecord) async throws {
        try await client.write { db in
            let existing = try await db.raw("SELECT name FROM deployments WHERE name = \(bind: name)").all()
            if !existing.isEmpty { throw StorageError.alreadyExists("deployment '\(name)' already exists") }
            try await db.raw("""
                INSERT INTO deployments (name, spec, state, creation_time, last_update_time)
                VALUES (\(bind: name), \(bind: spec), \(bind: state), \(bind: event.time), \(bind: event.time))
                """).run()
            try await Self.append(name, event, db)
        }
    }

    /// Replaces the state and appends `event`.
    public func update(name: String, state: String, event: DeploymentEventRecord) async throws {
        try await client.write { db in
            let rows = try await db.raw("""
                UPDATE deployments SET state = \(bind: state), last_update_time = \(bind: event.time)
                WHERE name = \(bind: name) RETURNING name
                """).all()
            if rows.isEmpty { throw StorageError.notFound("no deployment named '\(name)'") }
            try await Self.append(name, event, db)
        }
    }

    public func delete(name: String) async throws {
        try await client.write { db in
            let rows = try await db.raw("DELETE FROM deployments WHERE name = \(bind: name) RETURNING name").all()
            if rows.isEmpty { throw StorageError.notFound("no deployment named '\(name)'") }
        }
    }

    public func all() async throws -> [DeploymentRecord] {
        try await client.read { db in
            try await db.raw("SELECT name, spec, state, creation_time, last_update_time FROM deployments ORDER BY name").all().map { row in
                DeploymentRecord(name: try row.string("name"), spec: try row.string("spec"), state: try row.string("state"),
                                 creationTime: try row.int64("creation_time"), lastUpdateTime: try row.int64("last_update_time"))
            }
        }
    }

    public func events(name: String) async throws -> [DeploymentEventRecord] {
        try await client.read { db in
            try await db.raw("""
                SELECT time, kind, detail FROM deployment_events WHERE deployment = \(bind: name) ORDER BY event_id
                """).all().map { row in
                DeploymentEventRecord(time: try row.int64("time"), kind: try row.string("kind"), detail: try row.string("detail"))
            }
        }
    }

    private static func append(_ name: String, _ event: DeploymentEventRecord, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO deployment_events (deployment, time, kind, detail)
            VALUES (\(bind: name), \(bind: event.time), \(bind: event.kind), \(bind: event.detail))
            """).run()
    }
}
