import Foundation
import Storage

/// Experiment tracking: experiments, runs, params, metrics, tags and MLflow 3 logged models.
///
/// Validates input as an MLflow server does, then stores it through the repositories.
/// Artifact locations use the `mlflow-artifacts:` scheme, so MLflow clients upload and
/// download through this server's artifact proxy.
public struct TrackingService: Sendable {
    public let experiments: ExperimentStore
    public let runs: RunStore
    public let loggedModels: LoggedModelStore
    /// Where new experiments put artifacts: `mlflow-artifacts:` by default.
    public let artifactRoot: String
    let now: @Sendable () -> Int64

    public init(database: any DatabaseClient, artifactRoot: String = "mlflow-artifacts:", now: @escaping @Sendable () -> Int64 = Clock.nowMillis) {
        self.experiments = ExperimentStore(client: database)
        self.runs = RunStore(client: database)
        self.loggedModels = LoggedModelStore(client: database)
        self.artifactRoot = artifactRoot
        self.now = now
    }

    /// Creates the `Default` experiment (id 0) that MLflow clients fall back to.
    public func bootstrap() async throws {
        try await experiments.ensureDefault(artifactRoot: artifactRoot, now: now())
    }

    // MARK: - Experiments

    public func createExperiment(name: String, artifactLocation: String? = nil, tags: [Tag] = []) async throws -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw PlatformError.invalid("experiment name must not be empty") }
        guard name.count <= 500 else { throw PlatformError.invalid("experiment name is longer than 500 characters") }
        try tags.forEach(TrackingLimits.validate(tag:))
        let location = artifactLocation.flatMap { $0.isEmpty ? nil : $0 }
        return try await experiments.create(name: name, artifactLocation: location, artifactRoot: artifactRoot, tags: tags, now: now())
    }

    public func experiment(id: String) async throws -> Experiment { try await experiments.get(id: id) }
    public func experiment(named name: String) async throws -> Experiment { try await experiments.get(name: name) }

    public func searchExperiments(filter: String?, orderBy: [String], viewType: ViewType = .activeOnly, maxResults: Int = 1000, pageToken: String? = nil) async throws -> Page<Experiment> {
        try TrackingLimits.validateMaxResults(maxResults)
        return try await experiments.search(
            filter: try SearchFilter(parsing: filter), orderBy: try orderBy.map(OrderClause.init(parsing:)),
            viewType: viewType, maxResults: maxResults, pageToken: pageToken)
    }

    public func renameExperiment(id: String, to newName: String) async throws {
        guard !newName.trimmingCharacters(in: .whitespaces).isEmpty else { throw PlatformError.invalid("new_name must not be empty") }
        try await experiments.rename(id: id, to: newName, now: now())
    }

    public func deleteExperiment(id: String) async throws { try await experiments.setLifecycle(id: id, .deleted, now: now()) }
    public func restoreExperiment(id: String) async throws { try await experiments.setLifecycle(id: id, .active, now: now()) }

    public func setExperimentTag(id: String, _ tag: Tag) async throws {
        try TrackingLimits.validate(tag: tag)
        try await experiments.setTag(id: id, tag)
    }

    public func deleteExperimentTag(id: String, key: String) async throws { try await experiments.deleteTag(id: id, key: key) }

    // MARK: - Runs

    /// Starts a run. Without a name, one is taken from the `mlflow.runName` tag or made up
    /// (`brave-otter-417`), and the tag is set to match, as MLflow does.
    public func createRun(experimentID: String, userID: String = "", runName: String? = nil, startTime: Int64? = nil, tags: [Tag] = []) async throws -> Run {
        try tags.forEach(TrackingLimits.validate(tag:))
        let experiment = try await experiments.get(id: experimentID)
        guard experiment.lifecycleStage == .active else {
            throw StorageError(.invalidState, "experiment \(experimentID) is deleted; restore it before creating runs in it")
        }
        let tagName = tags.last(where: { $0.key == "mlflow.runName" })?.value
        if let runName, !runName.isEmpty, let tagName, tagName != runName {
            throw PlatformError.invalid("run_name '\(runName)' and the mlflow.runName tag '\(tagName)' differ")
        }
        let name = [runName, tagName].compactMap { $0 }.first { !$0.isEmpty } ?? RunNames.random()
        var allTags = tags.filter { $0.key != "mlflow.runName" }
        allTags.append(Tag(key: "mlflow.runName", value: name))
        if !userID.isEmpty, !allTags.contains(where: { $0.key == "mlflow.user" }) {
            allTags.append(Tag(key: "mlflow.user", value: userID))
        }
        let runID = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let info = RunInfo(
            runID: runID, experimentID: experiment.experimentID, runName: name, userID: userID,
            status: .running, startTime: startTime ?? now(), endTime: nil, lifecycleStage: .active,
            artifactURI: "\(experiment.artifactLocation)/\(runID)/artifacts")
        try await runs.create(info, tags: allTags)
        return try await runs.get(runID)
    }

    public func run(id: String) async throws -> Run { try await runs.get(id) }

    public func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo {
        let info = try await runs.info(id)
        guard info.lifecycleStage == .active else { throw StorageError(.invalidState, "run \(id) is deleted; restore it first") }
        if let runName, runName.isEmpty { throw PlatformError.invalid("run_name must not be empty") }
        return try await runs.update(id, status: status, endTime: endTime, runName: runName)
    }

    public func deleteRun(id: String) async throws { try await runs.setLifecycle(id, .deleted, now: now()) }
    public func restoreRun(id: String) async throws { try await runs.setLifecycle(id, .active, now: now()) }

    public func logMetric(runID: String, _ metric: Metric) async throws {
        try await logBatch(runID: runID, metrics: [metric])
    }

    public func logParam(runID: String, _ param: Tag) async throws {
        try await logBatch(runID: runID, params: [param])
    }

    public func setTag(runID: String, _ tag: Tag) async throws {
        try TrackingLimits.validate(tag: tag)
        if tag.key == "mlflow.runName" {
            _ = try await updateRun(id: runID, status: nil, endTime: nil, runName: tag.value)
            return
        }
        try await logBatch(runID: runID, tags: [tag])
    }

    public func deleteTag(runID: String, key: String) async throws { try await runs.deleteTag(runID, key: key) }

    /// Logs up to 1000 metrics, 100 params and 100 tags (1000 in all) atomically.
    public func logBatch(runID: String, metrics: [Metric] = [], params: [Tag] = [], tags: [Tag] = []) async throws {
        guard metrics.count <= TrackingLimits.maxBatchMetrics, params.count <= TrackingLimits.maxBatchParams,
              tags.count <= TrackingLimits.maxBatchTags, metrics.count + params.count + tags.count <= TrackingLimits.maxBatchTotal
        else {
            throw PlatformError(.limitExceeded, """
                a batch may hold at most \(TrackingLimits.maxBatchMetrics) metrics, \(TrackingLimits.maxBatchParams) params and \
                \(TrackingLimits.maxBatchTags) tags (\(TrackingLimits.maxBatchTotal) in all); got \(metrics.count), \(params.count) and \(tags.count)
                """)
        }
        try metrics.forEach(TrackingLimits.validate(metric:))
        try params.forEach(TrackingLimits.validate(param:))
        try tags.forEach(TrackingLimits.validate(tag:))
        if let renamed = tags.last(where: { $0.key == "mlflow.runName" }) {
            _ = try await updateRun(id: runID, status: nil, endTime: nil, runName: renamed.value)
        }
        try await runs.logBatch(runID, metrics: metrics, params: params, tags: tags.filter { $0.key != "mlflow.runName" })
    }

    public func metricHistory(runID: String, key: String, maxResults: Int = 25000, pageToken: String? = nil) async throws -> Page<Metric> {
        _ = try await runs.info(runID)
        try TrackingLimits.validateMaxResults(maxResults, limit: 100_000)
        return try await runs.metricHistory(runID, key: key, maxResults: maxResults, pageToken: pageToken)
    }

    public func searchRuns(experimentIDs: [String], filter: String?, viewType: ViewType = .activeOnly, orderBy: [String] = [], maxResults: Int = 1000, pageToken: String? = nil) async throws -> Page<Run> {
        try TrackingLimits.validateMaxResults(maxResults)
        return try await runs.search(
            experimentIDs: experimentIDs, filter: try SearchFilter(parsing: filter), viewType: viewType,
            orderBy: try orderBy.map(OrderClause.init(parsing:)), maxResults: maxResults, pageToken: pageToken)
    }

    public func logOutputs(runID: String, _ outputs: [RunModelOutput]) async throws {
        _ = try await runs.info(runID)
        for output in outputs { _ = try await loggedModels.get(output.modelID) }
        try await runs.logOutputs(runID, outputs)
    }

    // MARK: - Logged models (MLflow 3)

    public func createLoggedModel(experimentID: String, name: String?, modelType: String, sourceRunID: String, params: [Tag], tags: [Tag]) async throws -> LoggedModel {
        let experiment = try await experiments.get(id: experimentID)
        try params.forEach(TrackingLimits.validate(param:))
        try tags.forEach(TrackingLimits.validate(tag:))
        if !sourceRunID.isEmpty { _ = try await runs.info(sourceRunID) }
        let modelID = "m-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let time = now()
        return try await loggedModels.create(LoggedModel(
            modelID: modelID, experimentID: experiment.experimentID, name: name.flatMap { $0.isEmpty ? nil : $0 } ?? RunNames.random(),
            artifactLocation: "\(experiment.artifactLocation)/models/\(modelID)/artifacts", creationTime: time, lastUpdatedTime: time,
            status: "LOGGED_MODEL_PENDING", statusMessage: "", modelType: modelType, sourceRunID: sourceRunID, tags: tags, params: params))
    }

    public func finalizeLoggedModel(id: String, status: String) async throws -> LoggedModel {
        let allowed = ["LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED", "LOGGED_MODEL_PENDING"]
        guard allowed.contains(status) else { throw PlatformError.invalid("status must be one of \(allowed.joined(separator: ", ")), got '\(status)'") }
        return try await loggedModels.setStatus(id, status: status, now: now())
    }
}

/// Friendly random run names in MLflow's style: `adjective-animal-number`.
enum RunNames {
    static let adjectives = ["brave", "calm", "clever", "bright", "gentle", "swift", "bold", "quiet", "lucky", "keen", "merry", "noble", "sunny", "wise"]
    static let animals = ["otter", "heron", "lynx", "finch", "panda", "wolf", "koala", "falcon", "ibis", "seal", "yak", "owl", "crane", "fox"]

    static func random() -> String {
        "\(adjectives.randomElement()!)-\(animals.randomElement()!)-\(Int.random(in: 100...999))"
    }
}
