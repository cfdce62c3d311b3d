/// The deployment stages older MLflow clients use; aliases replace them.
public enum ModelStage: String, Sendable, CaseIterable {
    case none = "None"
    case staging = "Staging"
    case production = "Production"
    case archived = "Archived"

    /// Parses a stage name case-insensitively, as MLflow does.
    public init?(caseInsensitive name: String) {
        guard let stage = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = stage
    }
}

/// A named model in the registry, with its tags and aliases.
public struct RegisteredModel: Sendable, Equatable {
    public var name: String
    public var description: String
    public var creationTime: Int64
    public var lastUpdatedTime: Int64
    public var tags: [Tag]
    public var aliases: [ModelAlias]
    /// The newest version in each stage.
    public var latestVersions: [ModelVersion]

    public init(name: String, description: String, creationTime: Int64, lastUpdatedTime: Int64, tags: [Tag], aliases: [ModelAlias], latestVersions: [ModelVersion]) {
        self.name = name
        self.description = description
        self.creationTime = creationTime
        self.lastUpdatedTime = lastUpdatedTime
        self.tags = tags
        self.aliases = aliases
        self.latestVersions = latestVersions
    }
}

/// A name (like `champion`) that points at one version of a model.
public struct ModelAlias: Sendable, Equatable {
    public var alias: String
    public var version: Int64

    public init(alias: String, version: Int64) {
        self.alias = alias
        self.version = version
    }
}

/// One version of a registered model.
public struct ModelVersion: Sendable, Equatable {
    public var name: String
    public var version: Int64
    public var creationTime: Int64
    public var lastUpdatedTime: Int64
    public var description: String
    public var userID: String
    public var currentStage: ModelStage
    public var source: String
    public var runID: String
    public var runLink: String
    public var status: String
    public var statusMessage: String
    public var modelID: String
    /// The version this one was derived from, when known (fine-tuned from, retrained from).
    public var parentVersion: Int64?
    public var tags: [Tag]
    public var aliases: [String]

    public init(name: String, version: Int64, creationTime: Int64, lastUpdatedTime: Int64, description: String, userID: String, currentStage: ModelStage, source: String, runID: String, runLink: String, status: String, statusMessage: String, modelID: String, parentVersion: Int64?, tags: [Tag], aliases: [String]) {
        self.name = name
        self.version = version
        self.creationTime = creationTime
        self.lastUpdatedTime = lastUpdatedTime
        self.description = description
        self.userID = userID
        self.currentStage = currentStage
        self.source = source
        self.runID = runID
        self.runLink = runLink
        self.status = status
        self.statusMessage = statusMessage
        self.modelID = modelID
        self.parentVersion = parentVersion
        self.tags = tags
        self.aliases = aliases
    }
}

/// A recorded move of an alias or a stage: who moved what, from where, to where, and when.
public struct ModelEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case alias
        case stage
    }
    public var name: String
    public var kind: Kind
    /// The alias name for alias moves; the version number for stage moves.
    public var subject: String
    /// The previous value (a version for aliases, a stage for stages); nil when newly set.
    public var from: String?
    /// The new value; nil when an alias was deleted.
    public var to: String?
    public var actor: String
    public var time: Int64

    public init(name: String, kind: Kind, subject: String, from: String?, to: String?, actor: String, time: Int64) {
        self.name = name
        self.kind = kind
        self.subject = subject
        self.from = from
        self.to = to
        self.actor = actor
        self.time = time
    }
}

/// An MLflow 3 logged model: a model's artifacts and metadata, before or without registration.
public struct LoggedModel: Sendable, Equatable {
    public var modelID: String
    public var experimentID: String
    public var name: String
    public var artifactLocation: String
    public var creationTime: Int64
    public var lastUpdatedTime: Int64
    public var status: String
    public var statusMessage: String
    public var modelType: String
    public var sourceRunID: String
    public var tags: [Tag]
    public var params: [Tag]

    public init(modelID: String, experimentID: String, name: String, artifactLocation: String, creationTime: Int64, lastUpdatedTime: Int64, status: String, statusMessage: String, modelType: String, sourceRunID: String, tags: [Tag], params: [Tag]) {
        self.modelID = modelID
        self.experimentID = experimentID
        self.name = name
        self.artifactLocation = artifactLocation
        self.creationTime = creationTime
        self.lastUpdatedTime = lastUpdatedTime
        self.status = status
        self.statusMessage = statusMessage
        self.modelType = modelType
        self.sourceRunID = sourceRunID
        self.tags = tags
        self.params = params
    }
}
