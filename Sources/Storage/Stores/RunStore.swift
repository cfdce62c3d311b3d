import SQLKit

/// Runs: their attributes, params, tags, metrics (full history plus the latest value per
/// key, which search and ordering use), and the models they output.
public struct RunStore: Sendable {
    let client: any DatabaseClient
    /// Rows per multi-row INSERT; keeps statements under SQLite's bind limit.
    static let insertChunk = 500

    public init(client: any DatabaseClient) {
        self.client = client
    }

    public func create(_ info: RunInfo, tags: [Tag]) async throws {
        guard let experimentID = Int64(info.experimentID) else { throw StorageError.notFound("no experiment with id '\(info.experimentID)'") }
        try await client.write { db in
            try await db.raw("""
                INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
                VALUES (\(bind: info.runID), \(bind: experimentID), \(bind: info.runName), \(bind: info.userID), \(bind: info.status.rawValue),
                        \(bind: info.startTime), \(bind: info.endTime), \(bind: info.lifecycleStage.rawValue), \(bind: info.artifactURI))
                """).run()
            try await Self.upsertTags(runID: info.runID, tags, db)
        }
    }

    public func info(_ runID: String) async throws -> RunInfo {
        try await client.read { db in
            guard let info = try await Self.loadInfos(where: "r.run_uuid = \(bind: runID)", db).first else {
                throw StorageError.notFound("no run with id '\(runID)'")
            }
            return info
        }
    }

    public func get(_ runID: String) async throws -> Run {
        try await client.read { db in
            let infos = try await Self.loadInfos(where: "r.run_uuid = \(bind: runID)", db)
            guard let run = try await Self.attachData(to: infos, db).first else {
                throw StorageError.notFound("no run with id '\(runID)'")
            }
            return run
        }
    }

    /// Changes status, end time and/or name. A new name also updates the `mlflow.runName` tag.
    public func update(_ runID: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo {
        try await client.write { db in
            if let status {
                try await db.raw("UPDATE runs SET status = \(bind: status.rawValue) WHERE run_uuid = \(bind: runID)").run()
            }
            if let endTime {
                try await db.raw("UPDATE runs SET end_time = \(bind: endTime) WHERE run_uuid = \(bind: runID)").run()
            }
            if let runName {
                try await db.raw("UPDATE runs SET run_name = \(bind: runName) WHERE run_uuid = \(bind: runID)").run()
                try await Self.upsertTags(runID: runID, [Tag(key: "mlflow.runName", value: runName)], db)
            }
            guard let info = try await Self.loadInfos(where: "r.run_uuid = \(bind: runID)", db).first else {
                throw StorageError.notFound("no run with id '\(runID)'")
            }
            return info
        }
    }

    public func setLifecycle(_ runID: String, _ stage: LifecycleStage, now: Int64) async throws {
        try await client.write { db in
            let rows = try await db.raw("""
                UPDATE runs SET lifecycle_stage = \(bind: stage.rawValue), deleted_time = \(bind: stage == .deleted ? Optional(now) : nil)
                WHERE run_uuid = \(bind: runID) RETURNING run_uuid
                """).all()
            if rows.isEmpty { throw StorageError.notFound("no run with id '\(runID)'") }
        }
    }

    /// Logs metrics, params and tags in one transaction: all of them or none.
    ///
    /// A param is immutable: logging a key again with another value is rejected (and nothing
    /// of the batch is stored); logging the same value again is accepted.
    public func logBatch(_ runID: String, metrics: [Metric], params: [Tag], tags: [Tag]) async throws {
        try await client.write { db in
            try await Self.requireActive(runID, db)
            if !params.isEmpty {
                try await Self.insertParams(runID: runID, params, db)
            }
            if !metrics.isEmpty {
                try await Self.insertMetrics(runID: runID, metrics, db)
            }
            if !tags.isEmpty {
                try await Self.upsertTags(runID: runID, tags, db)
            }
        }
    }

    public func deleteTag(_ runID: String, key: String) async throws {
        try await client.write { db in
            try await Self.requireActive(runID, db)
            let rows = try await db.raw("DELETE FROM run_tags WHERE run_uuid = \(bind: runID) AND key = \(bind: key) RETURNING key").all()
            if rows.isEmpty { throw StorageError.notFound("run \(runID) has no tag '\(key)'") }
        }
    }

    public func logOutputs(_ runID: String, _ outputs: [RunModelOutput]) async throws {
        try await client.write { db in
            for output in outputs {
                try await db.raw("""
                    INSERT INTO run_outputs (run_uuid, model_id, step) VALUES (\(bind: runID), \(bind: output.modelID), \(bind: output.step))
                    ON CONFLICT (run_uuid, model_id) DO UPDATE SET step = excluded.step
                    """).run()
            }
        }
    }

    /// Every logged value of one metric, oldest step first.
    public func metricHistory(_ runID: String, key: String, maxResults: Int, pageToken: String?) async throws -> Page<Metric> {
        let offset = try PageToken.decode(pageToken)
        return try await client.read { db in
            let rows = try await db.raw("""
                SELECT key, value, is_nan, timestamp, step FROM metrics
                WHERE run_uuid = \(bind: runID) AND key = \(bind: key)
                ORDER BY step, timestamp LIMIT \(literal: maxResults + 1) OFFSET \(literal: offset)
                """).all()
            return PageToken.page(try rows.map(Self.metric), offset: offset, limit: maxResults)
        }
    }

    /// Runs of the given experiments matching `filter`, ordered by `orderBy` then newest first.
    public func search(experimentIDs: [String], filter: SearchFilter, viewType: ViewType, orderBy: [OrderClause], maxResults: Int, pageToken: String?) async throws -> Page<Run> {
        let ids = experimentIDs.compactMap { Int64($0) }
        guard !ids.isEmpty else { return Page(items: [], nextPageToken: nil) }
        let offset = try PageToken.decode(pageToken)
        let condition = try FilterSQL.runs(filter: filter, experimentIDs: ids, stages: viewType.stages)
        let (joins, order) = try FilterSQL.runOrder(orderBy)
        return try await client.read { db in
            let infos = try await Self.loadInfos(where: condition, joins: joins, orderBy: order, limit: maxResults + 1, offset: offset, db)
            let page = PageToken.page(infos, offset: offset, limit: maxResults)
            return Page(items: try await Self.attachData(to: page.items, db), nextPageToken: page.nextPageToken)
        }
    }

    // MARK: - Writes

    /// Throws unless the run exists and is not deleted.
    static func requireActive(_ runID: String, _ db: any SQLDatabase) async throws {
        guard let row = try await db.raw("SELECT lifecycle_stage FROM runs WHERE run_uuid = \(bind: runID)").first() else {
            throw StorageError.notFound("no run with id '\(runID)'")
        }
        guard try row.string("lifecycle_stage") == LifecycleStage.active.rawValue else {
            throw StorageError(.invalidState, "run \(runID) is deleted; restore it before logging to it")
        }
    }

    static func upsertTags(runID: String, _ tags: [Tag], _ db: any SQLDatabase) async throws {
        for chunk in deduplicated(tags).chunked(insertChunk) {
            let values: [SQLQueryString] = chunk.map { "(\(bind: runID), \(bind: $0.key), \(bind: $0.value))" }
            try await db.raw("""
                INSERT INTO run_tags (run_uuid, key, value) VALUES \(values.joined(separator: ", "))
                ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value
                """).run()
        }
    }

    static func insertParams(runID: String, _ params: [Tag], _ db: any SQLDatabase) async throws {
        var seen: [String: String] = [:]
        for param in params {
            if let earlier = seen[param.key], earlier != param.value {
                throw StorageError.invalidInput("param '\(param.key)' is given twice with different values ('\(earlier)' and '\(param.value)')")
            }
            seen[param.key] = param.value
        }
        let keys = Array(seen.keys)
        for chunk in keys.chunked(insertChunk) {
            let existing = try await db.raw("SELECT key, value FROM params WHERE run_uuid = \(bind: runID) AND key IN (\(binds: Array(chunk)))").all()
            for row in existing {
                let key = try row.string("key"), value = try row.string("value")
                if let new = seen[key], new != value {
                    throw StorageError.invalidInput(
                        "param '\(key)' of run \(runID) was already logged with value '\(value)'; params are immutable, cannot change it to '\(new)'"
                    )
                }
            }
        }
        for chunk in seen.sorted(by: { $0.key < $1.key }).chunked(insertChunk) {
            let values: [SQLQueryString] = chunk.map { "(\(bind: runID), \(bind: $0.key), \(bind: $0.value))" }
            try await db.raw("INSERT INTO params (run_uuid, key, value) VALUES \(values.joined(separator: ", ")) ON CONFLICT (run_uuid, key) DO NOTHING").run()
        }
    }

    static func insertMetrics(runID: String, _ metrics: [Metric], _ db: any SQLDatabase) async throws {
        for chunk in metrics.chunked(insertChunk) {
            let values: [SQLQueryString] = chunk.map { metric in
                let isNaN = metric.value.isNaN
                return "(\(bind: runID), \(bind: metric.key), \(bind: isNaN ? 0 : metric.value), \(bind: isNaN ? 1 : 0), \(bind: metric.timestamp), \(bind: metric.step))"
            }
            try await db.raw("INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES \(values.joined(separator: ", "))").run()
        }
        // The latest value per key: highest (step, timestamp), ties broken by value, as MLflow does.
        var latest: [String: Metric] = [:]
        for metric in metrics {
            if let current = latest[metric.key], !isNewer(metric, than: current) { continue }
            latest[metric.key] = metric
        }
        for chunk in latest.values.sorted(by: { $0.key < $1.key }).chunked(insertChunk) {
            let values: [SQLQueryString] = chunk.map { metric in
                let isNaN = metric.value.isNaN
                return "(\(bind: runID), \(bind: metric.key), \(bind: isNaN ? 0 : metric.value), \(bind: isNaN ? 1 : 0), \(bind: metric.timestamp), \(bind: metric.step))"
            }
            try await db.raw("""
                INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES \(values.joined(separator: ", "))
                ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,
                    timestamp = excluded.timestamp, step = excluded.step
                WHERE excluded.step > latest_metrics.step
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)
                """).run()
        }
    }

    static func isNewer(_ a: Metric, than b: Metric) -> Bool {
        if a.step != b.step { return a.step > b.step }
        if a.timestamp != b.timestamp { return a.timestamp > b.timestamp }
        return a.value > b.value
    }

    static func deduplicated(_ tags: [Tag]) -> [Tag] {
        var index: [String: Int] = [:]
        var result: [Tag] = []
        for tag in tags {
            if let at = index[tag.key] { result[at] = tag } else {
                index[tag.key] = result.count
                result.append(tag)
            }
        }
        return result
    }

    // MARK: - Reads

    static func metric(_ row: any SQLRow) throws -> Metric {
        let isNaN = try row.int64("is_nan") != 0
        return Metric(key: try row.string("key"), value: isNaN ? .nan : try row.double("value"), timestamp: try row.int64("timestamp"), step: try row.int64("step"))
    }

    static func loadInfos(where condition: SQLQueryString, joins: SQLQueryString = "", orderBy: SQLQueryString = "r.start_time DESC", limit: Int? = nil, offset: Int = 0, _ db: any SQLDatabase) async throws -> [RunInfo] {
        var query: SQLQueryString = """
            SELECT r.run_uuid, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, r.end_time, r.lifecycle_stage, r.artifact_uri
            FROM runs r\(joins) WHERE \(condition) ORDER BY \(orderBy)
            """
        if let limit { query += " LIMIT \(literal: limit) OFFSET \(literal: offset)" }
        return try await db.raw(query).all().map { row in
            RunInfo(
                runID: try row.string("run_uuid"),
                experimentID: String(try row.int64("experiment_id")),
                runName: try row.string("run_name"),
                userID: try row.string("user_id"),
                status: RunStatus(rawValue: try row.string("status")) ?? .running,
                startTime: try row.int64("start_time"),
                endTime: try row.optionalInt64("end_time"),
                lifecycleStage: LifecycleStage(rawValue: try row.string("lifecycle_stage")) ?? .active,
                artifactURI: try row.string("artifact_uri")
            )
        }
    }

    /// Loads latest metrics, params, tags and outputs for `infos` in four queries.
    static func attachData(to infos: [RunInfo], _ db: any SQLDatabase) async throws -> [Run] {
        guard !infos.isEmpty else { return [] }
        let ids = infos.map(\.runID)
        var metrics: [String: [Metric]] = [:], params: [String: [Tag]] = [:], tags: [String: [Tag]] = [:]
        var outputs: [String: [RunModelOutput]] = [:]
        for row in try await db.raw("SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid IN (\(binds: ids)) ORDER BY key").all() {
            metrics[try row.string("run_uuid"), default: []].append(try metric(row))
        }
        for row in try await db.raw("SELECT run_uuid, key, value FROM params WHERE run_uuid IN (\(binds: ids)) ORDER BY key").all() {
            params[try row.string("run_uuid"), default: []].append(Tag(key: try row.string("key"), value: try row.string("value")))
        }
        for row in try await db.raw("SELECT run_uuid, key, value FROM run_tags WHERE run_uuid IN (\(binds: ids)) ORDER BY key").all() {
            tags[try row.string("run_uuid"), default: []].append(Tag(key: try row.string("key"), value: try row.string("value")))
        }
        for row in try await db.raw("SELECT run_uuid, model_id, step FROM run_outputs WHERE run_uuid IN (\(binds: ids)) ORDER BY model_id").all() {
            outputs[try row.string("run_uuid"), default: []].append(RunModelOutput(modelID: try row.string("model_id"), step: try row.int64("step")))
        }
        return infos.map { info in
            Run(info: info, metrics: metrics[info.runID] ?? [], params: params[info.runID] ?? [], tags: tags[info.runID] ?? [], outputs: outputs[info.runID] ?? [])
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
