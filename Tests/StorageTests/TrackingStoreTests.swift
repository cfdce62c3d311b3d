import Foundation
import Storage
import TestSupport
import Testing

/// The repository suite: every test runs on SQLite and on PostgreSQL.
@Suite("Tracking storage")
struct TrackingStoreTests {
    static let kinds = TestDatabases.kinds

    func makeRun(_ runs: RunStore, experimentID: String, id: String = UUID().uuidString, start: Int64 = 1000, name: String = "r") async throws -> String {
        try await runs.create(RunInfo(runID: id, experimentID: experimentID, runName: name, userID: "u", status: .running, startTime: start, endTime: nil, lifecycleStage: .active, artifactURI: "mlflow-artifacts:/x/\(id)/artifacts"), tags: [])
        return id
    }

    @Test("migrations apply once and are idempotent", arguments: kinds)
    func migrationsIdempotent(kind: DatabaseKind) async throws {
        try await TestDatabases.withDatabase(kind) { client in
            let again = try await Migrator().migrate(client, logger: TestDatabases.logger)
            #expect(again.isEmpty)
        }
    }

    @Test("experiments: create, duplicate, rename, tags, delete and restore", arguments: kinds)
    func experiments(kind: DatabaseKind) async throws {
        try await TestDatabases.withDatabase(kind) { client in
            let store = ExperimentStore(client: client)
            try await store.ensureDefault(artifactRoot: "mlflow-artifacts:", now: 1)
            let id = try await store.create(name: "a", artifactLocation: nil, artifactRoot: "mlflow-artifacts:", tags: [Tag(key: "team", value: "ran")], now: 5)
            let created = try await store.get(id: id)
            #expect(created.artifactLocation == "mlflow-artifacts:/\(id)")
            #expect(created.tags == [Tag(key: "team", value: "ran")])
            #expect(try await store.get(id: "0").name == "Default")
            await #expect(throws: StorageError.self) { _ = try await store.create(name: "a", artifactLocation: nil, artifactRoot: "x", tags: [], now: 6) }
            _ = try await store.create(name: "b", artifactLocation: "s3://bucket/b", artifactRoot: "x", tags: [], now: 7)
            await #expect(throws: StorageError.self) { try await store.rename(id: id, to: "b", now: 8) }
            try await store.rename(id: id, to: "c", now: 9)
            #expect(try await store.get(name: "c").experimentID == id)
            try await store.setLifecycle(id: id, .deleted, now: 10)
            let active = try await store.search(filter: .matchAll, orderBy: [], viewType: .activeOnly, maxResults: 10, pageToken: nil)
            #expect(active.items.map(\.name) == ["Default", "b"])
            let deleted = try await store.search(filter: .matchAll, orderBy: [], viewType: .deletedOnly, maxResults: 10, pageToken: nil)
            #expect(deleted.items.map(\.name) == ["c"])
            try await store.setLifecycle(id: id, .active, now: 11)
            let filtered = try await store.search(filter: SearchFilter(parsing: "tags.team = 'ran' and name LIKE 'c%'"), orderBy: [], viewType: .activeOnly, maxResults: 10, pageToken: nil)
            #expect(filtered.items.map(\.experimentID) == [id])
            await #expect(throws: StorageError.self) { _ = try await store.get(id: "999") }
            await #expect(throws: StorageError.self) { _ = try await store.get(id: "not-a-number") }
        }
    }

    @Test("a batch with a changed param is rejected whole and stores nothing", arguments: kinds)
    func paramImmutability(kind: DatabaseKind) async throws {
        try await TestDatabases.withDatabase(kind) { client in
            let experimentID = try await ExperimentStore(client: client).create(name: "e", artifactLocation: nil, artifactRoot: "x", tags: [], now: 1)
            let runs = RunStore(client: client)
            let runID = try await makeRun(runs, experimentID: experimentID)
            try await runs.logBatch(runID, metrics: [], params: [Tag(key: "lr", value: "0.1")], tags: [])
            try await runs.logBatch(runID, metrics: [], params: [Tag(key: "lr", value: "0.1")], tags: [])  // same value: fine
            let error = await #expect(throws: StorageError.self) {
                try await runs.logBatch(runID, metrics: [Metric(key: "m", value: 1, timestamp: 1, step: 0)], params: [Tag(key: "lr", value: "0.2")], tags: [Tag(key: "t", value: "v")])
            }
            #expect(error?.message.contains("immutable") == true)
            let run = try await runs.get(runID)
            #expect(run.params == [Tag(key: "lr", value: "0.1")])
            #expect(run.metrics.isEmpty && run.tags.isEmpty)
        }
    }

    @Test("latest metric is the highest step, then timestamp; NaN and infinities round-trip", arguments: kinds)
    func latestMetrics(kind: DatabaseKind) async throws {
        try await TestDatabases.withDatabase(kind) { client in
            let experimentID = try await ExperimentStore(client: client).create(name: "e", artifactLocation: nil, artifactRoot: "x", tags: [], now: 1)
            let runs = RunStore(client: client)
            let runID = try await makeRun(runs, experimentID: experimentID)
            try await runs.logBatch(runID, metrics: [
                Metric(key: "loss", value: 3, timestamp: 10, step: 2),
                Metric(key: "loss", value: 9, timestamp: 99, step: 1),
                Metric(key: "nan", value: .nan, timestamp: 1, step: 0),
                Metric(key: "inf", value: -.infinity, timestamp: 1, step: 0),
            ], params: [], tags: [])
            try await runs.logBatch(runID, metrics: [Metric(key: "loss", value: 1, timestamp: 5, step: 0)], params: [], tags: [])
            let run = try await runs.get(runID)
            let latest = Dictionary(uniqueKeysWithValues: run.metrics.map { ($0.key, $0.value) })
            #expect(latest["loss"] == 3)
            #expect(latest["nan"]?.isNaN == true)
            #expect(latest["inf"] == -.infinity)
            let history = try await runs.metricHistory(runID, key: "loss", maxResults: 2, pageToken: nil)
            #expect(history.items.map(\.step) == [0, 1])
            let rest = try await runs.metricHistory(runID, key: "loss", maxResults: 2, pageToken: history.nextPageToken)
            #expect(rest.items.map(\.value) == [3] && rest.nextPageToken == nil)
        }
    }

    @Test("run search: the MLflow example filter, LIKE/ILIKE/IN, ordering with missing values last, pages", arguments: kinds)
    func search(kind: DatabaseKind) async throws {
        try await TestDatabases.withDatabase(kind) { client in
            let experimentID = try await ExperimentStore(client: client).create(name: "e", artifactLocation: nil, artifactRoot: "x", tags: [], now: 1)
            let runs = RunStore(client: client)
            var created: [String] = []
            for (index, (rmse, lr, team)) in [(0.5, "0.01", "ran"), (1.5, "0.01", "ran"), (0.7, "0.1", "ran"), (0.2, "0.01", "Core")].enumerated() {
                let id = try await makeRun(runs, experimentID: experimentID, id: "run\(index)", start: Int64(100 + index), name: "Run-\(index)")
                try await runs.logBatch(id, metrics: [Metric(key: "rmse", value: rmse, timestamp: 1, step: 0)], params: [Tag(key: "lr", value: lr)], tags: [Tag(key: "team", value: team)])
                created.append(id)
            }
            _ = try await runs.update("run0", status: .finished, endTime: 200, runName: nil)
            _ = try await runs.update("run3", status: .finished, endTime: 200, runName: nil)
            let noMetric = try await makeRun(runs, experimentID: experimentID, id: "run4", start: 50)

            func ids(_ filter: String, order: [String] = []) async throws -> [String] {
                try await runs.search(experimentIDs: [experimentID], filter: SearchFilter(parsing: filter), viewType: .activeOnly,
                                      orderBy: order.map { try OrderClause(parsing: $0) }, maxResults: 100, pageToken: nil).items.map(\.info.runID)
            }
            #expect(try await ids("metrics.rmse < 1 and params.lr = '0.01' and tags.team = 'ran' and attributes.status = 'FINISHED'") == ["run0"])
            #expect(try await ids("tags.team LIKE 'r%'").sorted() == ["run0", "run1", "run2"])
            #expect(try await ids("tags.team LIKE 'c%'") == [])
            #expect(try await ids("tags.team ILIKE 'c%'") == ["run3"])
            #expect(try await ids("attributes.run_id IN ('run1', 'run2')").sorted() == ["run1", "run2"])
            #expect(try await ids("attributes.run_name = 'Run-2'") == ["run2"])
            #expect(try await ids("params.lr != '0.01'") == ["run2"])
            #expect(try await ids("metrics.rmse >= 0.7", order: ["metrics.rmse ASC"]) == ["run2", "run1"])
            #expect(try await ids("", order: ["metrics.rmse DESC"]) == ["run1", "run2", "run0", "run3", noMetric])
            #expect(try await ids("", order: ["metrics.rmse ASC"]) == ["run3", "run0", "run2", "run1", noMetric])
            #expect(try await ids("attributes.start_time > 101", order: ["attributes.start_time ASC"]) == ["run2", "run3"])

            var seen: [String] = []
            var token: String?
            repeat {
                let page = try await runs.search(experimentIDs: [experimentID], filter: .matchAll, viewType: .activeOnly, orderBy: [], maxResults: 2, pageToken: token)
                seen += page.items.map(\.info.runID)
                token = page.nextPageToken
            } while token != nil
            #expect(seen == ["run3", "run2", "run1", "run0", noMetric])
            await #expect(throws: StorageError.self) {
                _ = try await runs.search(experimentIDs: [experimentID], filter: .matchAll, viewType: .activeOnly, orderBy: [], maxResults: 2, pageToken: "garbage")
            }
            await #expect(throws: StorageError.self) { _ = try await ids("attributes.colour = 'red'") }
        }
    }

    @Test("concurrent writers to one run lose nothing", arguments: kinds)
    func concurrentWriters(kind: DatabaseKind) async throws {
        try await TestDatabases.withDatabase(kind) { client in
            let experimentID = try await ExperimentStore(client: client).create(name: "e", artifactLocation: nil, artifactRoot: "x", tags: [], now: 1)
            let runs = RunStore(client: client)
            let runID = try await makeRun(runs, experimentID: experimentID)
            let writers = 8, batches = 25, perBatch = 40
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for batch in 0..<batches {
                            let metrics = (0..<perBatch).map { Metric(key: "w\(writer)", value: Double(batch * perBatch + $0), timestamp: Int64(batch), step: Int64(batch * perBatch + $0)) }
                            try await runs.logBatch(runID, metrics: metrics, params: [Tag(key: "p\(writer)-\(batch)", value: "v")], tags: [])
                        }
                    }
                }
                try await group.waitForAll()
            }
            for writer in 0..<writers {
                let history = try await runs.metricHistory(runID, key: "w\(writer)", maxResults: 10_000, pageToken: nil)
                #expect(history.items.count == batches * perBatch)
                #expect(Set(history.items.map(\.step)).count == batches * perBatch)
            }
            let run = try await runs.get(runID)
            #expect(run.params.count == writers * batches)
            #expect(run.metrics.allSatisfy { $0.value == Double(batches * perBatch - 1) })
        }
    }

    @Test("logging to a deleted or missing run fails", arguments: kinds)
    func deletedRun(kind: DatabaseKind) async throws {
        try await TestDatabases.withDatabase(kind) { client in
            let experimentID = try await ExperimentStore(client: client).create(name: "e", artifactLocation: nil, artifactRoot: "x", tags: [], now: 1)
            let runs = RunStore(client: client)
            let runID = try await makeRun(runs, experimentID: experimentID)
            try await runs.setLifecycle(runID, .deleted, now: 2)
            let error = await #expect(throws: StorageError.self) { try await runs.logBatch(runID, metrics: [], params: [Tag(key: "a", value: "b")], tags: []) }
            #expect(error?.code == .invalidState)
            let missing = await #expect(throws: StorageError.self) { try await runs.logBatch("nope", metrics: [], params: [], tags: []) }
            #expect(missing?.code == .notFound)
        }
    }
}
