import Foundation
import Platform
import Storage
import TestSupport
import Testing

@Suite("Tracking service rules")
struct TrackingServiceTests {
    @Test("run names: given, from the mlflow.runName tag, or generated; the tag always matches", arguments: TestDatabases.kinds)
    func runNames(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            let tracking = services.tracking
            let named = try await tracking.createRun(experimentID: "0", runName: "alpha")
            #expect(named.info.runName == "alpha" && named.tags.contains(Tag(key: "mlflow.runName", value: "alpha")))
            let tagged = try await tracking.createRun(experimentID: "0", tags: [Tag(key: "mlflow.runName", value: "beta")])
            #expect(tagged.info.runName == "beta")
            let generated = try await tracking.createRun(experimentID: "0")
            #expect(generated.info.runName.split(separator: "-").count == 3)
            try await tracking.setTag(runID: named.info.runID, Tag(key: "mlflow.runName", value: "gamma"))
            #expect(try await tracking.run(id: named.info.runID).info.runName == "gamma")
            await #expect(throws: PlatformError.self) {
                _ = try await tracking.createRun(experimentID: "0", runName: "a", tags: [Tag(key: "mlflow.runName", value: "b")])
            }
        }
    }

    @Test("batch limits and key rules are MLflow's", arguments: TestDatabases.kinds)
    func limits(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            let tracking = services.tracking
            let runID = try await tracking.createRun(experimentID: "0").info.runID
            let tooMany = (0..<1001).map { Metric(key: "m", value: 1, timestamp: 1, step: Int64($0)) }
            let error = await #expect(throws: PlatformError.self) { try await tracking.logBatch(runID: runID, metrics: tooMany) }
            #expect(error?.code == .limitExceeded)
            await #expect(throws: PlatformError.self) { try await tracking.logParam(runID: runID, Tag(key: "p", value: String(repeating: "x", count: 6001))) }
            await #expect(throws: PlatformError.self) { try await tracking.logMetric(runID: runID, Metric(key: "a/../b", value: 1, timestamp: 1, step: 0)) }
            await #expect(throws: PlatformError.self) { try await tracking.logMetric(runID: runID, Metric(key: "semi;colon", value: 1, timestamp: 1, step: 0)) }
            try await tracking.logMetric(runID: runID, Metric(key: "train/loss 1.x", value: 1, timestamp: 1, step: 0))
            #expect(try await tracking.run(id: runID).metrics.map(\.key) == ["train/loss 1.x"])
        }
    }

    @Test("deleted experiments take no new runs; restore brings runs back", arguments: TestDatabases.kinds)
    func lifecycle(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            let tracking = services.tracking
            let experiment = try await tracking.createExperiment(name: "e")
            let run = try await tracking.createRun(experimentID: experiment).info.runID
            try await tracking.deleteExperiment(id: experiment)
            await #expect(throws: StorageError.self) { _ = try await tracking.createRun(experimentID: experiment) }
            #expect(try await tracking.run(id: run).info.lifecycleStage == .deleted)
            #expect(try await tracking.searchRuns(experimentIDs: [experiment], filter: nil).items.isEmpty)
            #expect(try await tracking.searchRuns(experimentIDs: [experiment], filter: nil, viewType: .deletedOnly).items.count == 1)
            try await tracking.restoreExperiment(id: experiment)
            #expect(try await tracking.run(id: run).info.lifecycleStage == .active)
        }
    }

    @Test("the demo workspace seeds once and is searchable", arguments: TestDatabases.kinds)
    func demo(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            #expect(try await DemoWorkspace.seed(services))
            #expect(try await DemoWorkspace.seed(services) == false)
            let experiment = try await services.tracking.experiment(named: DemoWorkspace.experimentName)
            let best = try await services.tracking.searchRuns(experimentIDs: [experiment.experimentID], filter: "params.algo = 'ppo'", orderBy: ["metrics.mean_reward DESC"]).items
            #expect(best.count == 3 && best.first?.info.runName == "ppo-1")
            #expect(try await services.registry.version(name: DemoWorkspace.modelName, alias: "champion").version == 2)
        }
    }
}
