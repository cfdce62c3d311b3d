import Foundation
import Platform
import Storage
import TestSupport
import Testing

@Suite("Model registry")
struct RegistryServiceTests {
    static let kinds = TestDatabases.kinds

    /// Two runs with different params and metrics, registered as versions 1 and 2.
    func seed(_ services: PlatformServices) async throws -> (run1: String, run2: String) {
        let tracking = services.tracking
        let experiment = try await tracking.createExperiment(name: "e")
        let run1 = try await tracking.createRun(experimentID: experiment).info.runID
        let run2 = try await tracking.createRun(experimentID: experiment).info.runID
        try await tracking.logBatch(runID: run1, metrics: [Metric(key: "acc", value: 0.8, timestamp: 1, step: 0)], params: [Tag(key: "lr", value: "0.1"), Tag(key: "depth", value: "3")])
        try await tracking.logBatch(runID: run2, metrics: [Metric(key: "acc", value: 0.9, timestamp: 1, step: 0)], params: [Tag(key: "lr", value: "0.01"), Tag(key: "depth", value: "3")], tags: [Tag(key: "data", value: "v2")])
        _ = try await services.registry.createModel(name: "m", description: "d", tags: [Tag(key: "k", value: "v")])
        _ = try await services.registry.createVersion(name: "m", source: "runs:/\(run1)/model", runID: run1)
        _ = try await services.registry.createVersion(name: "m", source: "runs:/\(run2)/model", runID: run2, parentVersion: 1)
        return (run1, run2)
    }

    @Test("version numbers grow and are never reused; duplicates and unknown runs fail", arguments: kinds)
    func versions(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            let (run1, _) = try await seed(services)
            let registry = services.registry
            try await registry.deleteVersion(name: "m", version: "2")
            let third = try await registry.createVersion(name: "m", source: "s", runID: run1)
            #expect(third.version == 3 && third.status == "READY")
            await #expect(throws: StorageError.self) { _ = try await registry.createModel(name: "m") }
            await #expect(throws: StorageError.self) { _ = try await registry.createVersion(name: "m", source: "s", runID: "no-such-run") }
            await #expect(throws: PlatformError.self) { _ = try await registry.version(name: "m", version: "zero") }
            await #expect(throws: StorageError.self) { _ = try await registry.version(name: "m", version: "2") }
            #expect(try await registry.downloadURI(name: "m", version: "1").hasSuffix("/\(run1)/artifacts/model"))
        }
    }

    @Test("alias moves are history: what was champion at a past time, and rollback", arguments: kinds)
    func aliasHistory(kind: DatabaseKind) async throws {
        let clock = ManualClock(start: 1_000)
        try await TestDatabases.withDatabase(kind) { client in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let tracking = TrackingService(database: client, now: clock.now)
            let registry = RegistryService(database: client, tracking: tracking, now: clock.now)
            try await tracking.bootstrap()
            _ = try await registry.createModel(name: "m")
            _ = try await registry.createVersion(name: "m", source: "a")
            _ = try await registry.createVersion(name: "m", source: "b")
            clock.set(2_000)
            try await registry.setAlias(name: "m", alias: "champion", version: "1", actor: "alice")
            clock.set(3_000)
            try await registry.setAlias(name: "m", alias: "champion", version: "2", actor: "bob")
            clock.set(4_000)
            try await registry.setAlias(name: "m", alias: "champion", version: "1", actor: "carol")  // rollback
            #expect(try await registry.version(name: "m", alias: "champion").version == 1)
            #expect(try await registry.version(name: "m", alias: "champion", at: 1_500) == nil)
            #expect(try await registry.version(name: "m", alias: "champion", at: 2_500) == 1)
            #expect(try await registry.version(name: "m", alias: "champion", at: 3_500) == 2)
            #expect(try await registry.version(name: "m", alias: "champion", at: 9_999) == 1)
            let history = try await registry.history(name: "m")
            #expect(history.map(\.actor) == ["alice", "bob", "carol"])
            #expect(history.map(\.from) == [nil, "1", "2"])
            #expect(history.map(\.to) == ["1", "2", "1"])
            clock.set(5_000)
            try await registry.deleteAlias(name: "m", alias: "champion", actor: "dave")
            #expect(try await registry.version(name: "m", alias: "champion", at: 5_000) == nil)
            await #expect(throws: PlatformError.self) { try await registry.setAlias(name: "m", alias: "latest", version: "1") }
            await #expect(throws: PlatformError.self) { try await registry.setAlias(name: "m", alias: "v3", version: "1") }
            await #expect(throws: StorageError.self) { try await registry.setAlias(name: "m", alias: "x", version: "7") }
        }
    }

    @Test("stages: transition, archive existing, latest per stage, recorded as events", arguments: kinds)
    func stages(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            _ = try await seed(services)
            let registry = services.registry
            _ = try await registry.transitionStage(name: "m", version: "1", stage: "production", archiveExisting: false)
            _ = try await registry.transitionStage(name: "m", version: "2", stage: "Production", archiveExisting: true)
            #expect(try await registry.version(name: "m", version: "1").currentStage == .archived)
            #expect(try await registry.latestVersions(name: "m", stages: ["Production"]).map(\.version) == [2])
            let stageEvents = try await registry.history(name: "m").filter { $0.kind == .stage }
            #expect(stageEvents.map(\.to) == ["Production", "Archived", "Production"])
            await #expect(throws: PlatformError.self) { _ = try await registry.transitionStage(name: "m", version: "1", stage: "Live", archiveExisting: false) }
        }
    }

    @Test("lineage and compare", arguments: kinds)
    func lineageAndCompare(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            let (run1, run2) = try await seed(services)
            let lineage = try await services.registry.lineage(name: "m", version: "2")
            #expect(lineage.run?.info.runID == run2)
            #expect(lineage.ancestors.map(\.version) == [1])
            #expect(lineage.ancestors.first?.runID == run1)
            let differences = try await services.registry.compare(name: "m", version: "1", with: "2")
            #expect(differences == [
                VersionDifference(kind: .param, key: "lr", left: "0.1", right: "0.01"),
                VersionDifference(kind: .metric, key: "acc", left: "0.8", right: "0.9"),
                VersionDifference(kind: .tag, key: "data", left: nil, right: "v2"),
            ])
        }
    }

    @Test("rename carries versions, tags, aliases and history along", arguments: kinds)
    func rename(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            _ = try await seed(services)
            let registry = services.registry
            try await registry.setAlias(name: "m", alias: "champion", version: "2")
            let renamed = try await registry.renameModel(name: "m", to: "m2")
            #expect(renamed.aliases == [ModelAlias(alias: "champion", version: 2)])
            #expect(renamed.tags == [Tag(key: "k", value: "v")])
            #expect(try await registry.version(name: "m2", alias: "champion").version == 2)
            #expect(try await registry.history(name: "m2").count == 1)
            await #expect(throws: StorageError.self) { _ = try await registry.model(name: "m") }
            let found = try await registry.searchModels(filter: "name LIKE 'm%' and tags.k = 'v'").items.map(\.name)
            #expect(found == ["m2"])
            let versions = try await registry.searchVersions(filter: "name = 'm2'", orderBy: ["version_number ASC"]).items.map(\.version)
            #expect(versions == [1, 2])
        }
    }
}

/// A clock tests set by hand, so recorded times are exact.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    init(start: Int64) { value = start }
    func set(_ time: Int64) { lock.withLock { value = time } }
    var now: @Sendable () -> Int64 { { [self] in lock.withLock { value } } }
}
