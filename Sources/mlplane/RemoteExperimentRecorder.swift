import CLIClient
import Foundation
import Platform
import Storage

/// Records a training run on a server through its MLflow REST API and artifact proxy, the
/// same calls the MLflow client makes.
struct RemoteExperimentRecorder: ExperimentRecorder {
    let client: APIClient
    static let api = "/api/2.0/mlflow"

    func startRun(experiment: String, name: String, params: [String: String], tags: [String: String]) async throws -> RecordedRun {
        let experimentID: String
        do {
            let found = try await client.call("GET", Self.api + "/experiments/get-by-name", query: ["experiment_name": experiment])
            experimentID = ((found["experiment"] as? [String: Any])?["experiment_id"] as? String) ?? ""
        } catch let failure as APIClient.Failure where failure.code == "RESOURCE_DOES_NOT_EXIST" {
            let created = try await client.call("POST", Self.api + "/experiments/create", body: ["name": experiment])
            experimentID = created["experiment_id"] as? String ?? ""
        }
        let created = try await client.call("POST", Self.api + "/runs/create", body: [
            "experiment_id": experimentID, "run_name": name, "start_time": Clock.nowMillis(),
            "tags": Self.pairs(tags),
        ])
        let info = (created["run"] as? [String: Any])?["info"] as? [String: Any] ?? [:]
        let run = RecordedRun(runID: info["run_id"] as? String ?? "", experimentID: experimentID,
                              artifactURI: info["artifact_uri"] as? String ?? "")
        _ = try await client.call("POST", Self.api + "/runs/log-batch", body: ["run_id": run.runID, "params": Self.pairs(params)])
        return run
    }

    func logMetrics(_ run: RecordedRun, step: Int, _ values: [String: Double]) async throws {
        let now = Clock.nowMillis()
        let metrics: [[String: Any]] = values.filter { $0.value.isFinite }.sorted { $0.key < $1.key }.map {
            ["key": $0.key, "value": $0.value, "timestamp": now, "step": step]
        }
        _ = try await client.call("POST", Self.api + "/runs/log-batch", body: ["run_id": run.runID, "metrics": metrics])
    }

    func logArtifact(_ run: RecordedRun, path: String, contents: Data) async throws {
        let storePath = try ArtifactURI.storePath(of: run.artifactURI + "/" + path)
        _ = try await client.upload("/api/2.0/mlflow-artifacts/artifacts/" + storePath.value, contents: contents)
    }

    func registerVersion(model: String, run: RecordedRun, path: String, description: String,
                         tags: [String: String]) async throws -> String {
        do {
            _ = try await client.call("POST", Self.api + "/registered-models/create", body: ["name": model])
        } catch let failure as APIClient.Failure where failure.code == "RESOURCE_ALREADY_EXISTS" {}
        let created = try await client.call("POST", Self.api + "/model-versions/create", body: [
            "name": model, "source": run.artifactURI + "/" + path, "run_id": run.runID, "description": description,
            "tags": Self.pairs(tags),
        ])
        return (created["model_version"] as? [String: Any])?["version"] as? String ?? ""
    }

    func finishRun(_ run: RecordedRun, succeeded: Bool) async throws {
        _ = try await client.call("POST", Self.api + "/runs/update", body: [
            "run_id": run.runID, "status": succeeded ? "FINISHED" : "FAILED", "end_time": Clock.nowMillis(),
        ])
    }

    private static func pairs(_ map: [String: String]) -> [[String: String]] {
        map.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] }
    }
}
