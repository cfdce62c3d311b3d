import Foundation
import Storage

/// A run being recorded by an `ExperimentRecorder`.
public struct RecordedRun: Sendable, Hashable {
    public var runID: String
    public var experimentID: String
    /// Where the run's artifacts live (`mlflow-artifacts:/<exp>/<run>/artifacts`).
    public var artifactURI: String

    public init(runID: String, experimentID: String, artifactURI: String) {
        self.runID = runID
        self.experimentID = experimentID
        self.artifactURI = artifactURI
    }
}

/// The narrow tracking surface a training job needs: open a run, log params and metrics,
/// store files, register the result, close the run. Two implementations: in process over the
/// local data directory (`LocalExperimentRecorder`) and over HTTP against a server (in the
/// CLI), so `mlplane ran train` records the same thing either way.
public protocol ExperimentRecorder: Sendable {
    /// Opens a run in `experiment` (created when missing) with its params and tags.
    func startRun(experiment: String, name: String, params: [String: String], tags: [String: String]) async throws -> RecordedRun
    /// Logs metrics at `step`; non-finite values are skipped.
    func logMetrics(_ run: RecordedRun, step: Int, _ values: [String: Double]) async throws
    /// Stores `contents` at `path` under the run's artifacts.
    func logArtifact(_ run: RecordedRun, path: String, contents: Data) async throws
    /// Registers the run's artifact `path` as a new version of `model` (created when missing)
    /// and returns the version number.
    func registerVersion(model: String, run: RecordedRun, path: String, description: String,
                         tags: [String: String]) async throws -> String
    /// Marks the run finished or failed.
    func finishRun(_ run: RecordedRun, succeeded: Bool) async throws
}

/// Records into the platform's own services (the embedded default: SQLite and files in the
/// data directory, or whatever database the services were opened on).
public struct LocalExperimentRecorder: ExperimentRecorder {
    public let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    public func startRun(experiment: String, name: String, params: [String: String], tags: [String: String]) async throws -> RecordedRun {
        let tracking = services.tracking
        let experimentID: String
        do {
            experimentID = try await tracking.experiment(named: experiment).experimentID
        } catch let error as StorageError where error.code == .notFound {
            experimentID = try await tracking.createExperiment(name: experiment)
        }
        let run = try await tracking.createRun(experimentID: experimentID, runName: name,
                                               tags: tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) })
        try await tracking.logBatch(runID: run.info.runID, params: params.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) })
        return RecordedRun(runID: run.info.runID, experimentID: experimentID, artifactURI: run.info.artifactURI)
    }

    public func logMetrics(_ run: RecordedRun, step: Int, _ values: [String: Double]) async throws {
        let now = Clock.nowMillis()
        let metrics = values.filter { $0.value.isFinite }.sorted { $0.key < $1.key }
            .map { Metric(key: $0.key, value: $0.value, timestamp: now, step: Int64(step)) }
        try await services.tracking.logBatch(runID: run.runID, metrics: metrics)
    }

    public func logArtifact(_ run: RecordedRun, path: String, contents: Data) async throws {
        _ = try await services.artifacts.put(path: try ArtifactURI.storePath(of: run.artifactURI + "/" + path), data: contents)
    }

    public func registerVersion(model: String, run: RecordedRun, path: String, description: String,
                                tags: [String: String]) async throws -> String {
        let registry = services.registry
        do {
            _ = try await registry.model(name: model)
        } catch let error as StorageError where error.code == .notFound {
            _ = try await registry.createModel(name: model)
        }
        let version = try await registry.createVersion(name: model, source: run.artifactURI + "/" + path, runID: run.runID,
                                                       description: description,
                                                       tags: tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) })
        return String(version.version)
    }

    public func finishRun(_ run: RecordedRun, succeeded: Bool) async throws {
        _ = try await services.tracking.updateRun(id: run.runID, status: succeeded ? .finished : .failed,
                                                  endTime: Clock.nowMillis(), runName: nil)
    }
}
