/// A key and a value attached to an experiment, run, model or version.
public struct Tag: Hashable, Sendable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Whether a record is live or in the trash (restorable until purged).
public enum LifecycleStage: String, Sendable, CaseIterable {
    case active
    case deleted
}

/// Which lifecycle stages a search returns (MLflow's `ViewType`).
public enum ViewType: String, Sendable {
    case activeOnly = "ACTIVE_ONLY"
    case deletedOnly = "DELETED_ONLY"
    case all = "ALL"

    var stages: [String] {
        switch self {
        case .activeOnly: [LifecycleStage.active.rawValue]
        case .deletedOnly: [LifecycleStage.deleted.rawValue]
        case .all: LifecycleStage.allCases.map(\.rawValue)
        }
    }
}

/// A named group of runs.
public struct Experiment: Sendable, Equatable {
    public var experimentID: String
    public var name: String
    public var artifactLocation: String
    public var lifecycleStage: LifecycleStage
    public var creationTime: Int64
    public var lastUpdateTime: Int64
    public var tags: [Tag]

    public init(experimentID: String, name: String, artifactLocation: String, lifecycleStage: LifecycleStage, creationTime: Int64, lastUpdateTime: Int64, tags: [Tag]) {
        self.experimentID = experimentID
        self.name = name
        self.artifactLocation = artifactLocation
        self.lifecycleStage = lifecycleStage
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
        self.tags = tags
    }
}

/// A run's state, as MLflow names it.
public enum RunStatus: String, Sendable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"
}

/// The attributes of a run (not its params, metrics or tags).
public struct RunInfo: Sendable, Equatable {
    public var runID: String
    public var experimentID: String
    public var runName: String
    public var userID: String
    public var status: RunStatus
    public var startTime: Int64
    public var endTime: Int64?
    public var lifecycleStage: LifecycleStage
    public var artifactURI: String

    public init(runID: String, experimentID: String, runName: String, userID: String, status: RunStatus, startTime: Int64, endTime: Int64?, lifecycleStage: LifecycleStage, artifactURI: String) {
        self.runID = runID
        self.experimentID = experimentID
        self.runName = runName
        self.userID = userID
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.lifecycleStage = lifecycleStage
        self.artifactURI = artifactURI
    }
}

/// One metric measurement. `value` may be NaN or infinite.
public struct Metric: Sendable, Equatable {
    public var key: String
    public var value: Double
    public var timestamp: Int64
    public var step: Int64
    public init(key: String, value: Double, timestamp: Int64, step: Int64) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
    }

    public static func == (a: Metric, b: Metric) -> Bool {
        a.key == b.key && a.timestamp == b.timestamp && a.step == b.step
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// A logged model referenced as an output of a run.
public struct RunModelOutput: Sendable, Equatable {
    public var modelID: String
    public var step: Int64
    public init(modelID: String, step: Int64) {
        self.modelID = modelID
        self.step = step
    }
}

/// A run with everything logged to it: latest metric values, params and tags.
public struct Run: Sendable, Equatable {
    public var info: RunInfo
    public var metrics: [Metric]
    public var params: [Tag]
    public var tags: [Tag]
    public var outputs: [RunModelOutput]

    public init(info: RunInfo, metrics: [Metric], params: [Tag], tags: [Tag], outputs: [RunModelOutput]) {
        self.info = info
        self.metrics = metrics
        self.params = params
        self.tags = tags
        self.outputs = outputs
    }
}

/// One page of a listing plus the token for the next page, if there is one.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextPageToken: String?
    public init(items: [Item], nextPageToken: String?) {
        self.items = items
        self.nextPageToken = nextPageToken
    }
}
