import Foundation
import Platform
import Storage
import TestSupport
import Testing

@Suite("Experiment recorder (local)")
struct ExperimentRecorderTests {
    /// What `ran train` does through the recorder: two runs in one experiment (created once),
    /// metrics per step (non-finite skipped), an artifact, two versions of one model.
    @Test(arguments: TestDatabases.kinds)
    func recordsRunsArtifactsAndVersions(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            let recorder = LocalExperimentRecorder(services: services)
            let first = try await recorder.startRun(experiment: "ran", name: "a", params: ["lr": "0.001"], tags: ["k": "v"])
            let second = try await recorder.startRun(experiment: "ran", name: "b", params: [:], tags: [:])
            #expect(first.experimentID == second.experimentID)
            try await recorder.logMetrics(first, step: 2048, ["ret": -3, "ev": .nan])
            try await recorder.logMetrics(first, step: 4096, ["ret": -1])
            try await recorder.logArtifact(first, path: "policy/p.bin", contents: Data([1, 2, 3]))
            #expect(try await recorder.registerVersion(model: "m", run: first, path: "policy", description: "d", tags: ["t": "1"]) == "1")
            #expect(try await recorder.registerVersion(model: "m", run: second, path: "policy", description: "", tags: [:]) == "2")
            try await recorder.finishRun(first, succeeded: true)
            try await recorder.finishRun(second, succeeded: false)

            let run = try await services.tracking.run(id: first.runID)
            #expect(run.info.status == .finished && run.info.runName == "a")
            #expect(run.params == [Tag(key: "lr", value: "0.001")])
            #expect(run.tags.contains(Tag(key: "k", value: "v")))
            let history = try await services.tracking.metricHistory(runID: first.runID, key: "ret").items
            #expect(history.map(\.step) == [2048, 4096] && history.map(\.value) == [-3, -1])
            #expect(try await services.tracking.metricHistory(runID: first.runID, key: "ev").items.isEmpty)
            #expect(try await services.tracking.run(id: second.runID).info.status == .failed)
            let stored = try await services.artifacts.file(at: try ArtifactURI.storePath(of: first.artifactURI + "/policy/p.bin"))
            #expect(try stored.map { try Data(contentsOf: $0.location) } == Data([1, 2, 3]))
            let version = try await services.registry.version(name: "m", version: "1")
            #expect(version.source == first.artifactURI + "/policy" && version.runID == first.runID && version.description == "d")
        }
    }
}
