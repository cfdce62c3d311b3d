import Foundation
import Storage

/// The model registry: registered models, versions, aliases, stages, lineage and comparison.
public struct RegistryService: Sendable {
    public let store: RegistryStore
    let tracking: TrackingService
    let now: @Sendable () -> Int64

    public init(database: any DatabaseClient, tracking: TrackingService, now: @escaping @Sendable () -> Int64 = Clock.nowMillis) {
        self.store = RegistryStore(client: database)
        self.tracking = tracking
        self.now = now
    }

    // MARK: - Models

    public func createModel(name: String, description: String = "", tags: [Tag] = []) async throws -> RegisteredModel {
        try Self.validateName(name)
        try tags.forEach(TrackingLimits.validate(tag:))
        return try await store.createModel(name: name, description: description, tags: tags, now: now())
    }

    public func model(name: String) async throws -> RegisteredModel { try await store.model(name) }

    public func searchModels(filter: String?, orderBy: [String] = [], maxResults: Int = 100, pageToken: String? = nil) async throws -> Page<RegisteredModel> {
        try TrackingLimits.validateMaxResults(maxResults, limit: 1000)
        return try await store.searchModels(
            filter: try SearchFilter(parsing: filter), orderBy: try orderBy.map(OrderClause.init(parsing:)),
            maxResults: maxResults, pageToken: pageToken)
    }

    public func updateModel(name: String, description: String) async throws -> RegisteredModel {
        try await store.updateModel(name: name, description: description, now: now())
    }

    public func renameModel(name: String, to newName: String) async throws -> RegisteredModel {
        try Self.validateName(newName)
        return try await store.renameModel(name: name, to: newName, now: now())
    }

    public func deleteModel(name: String) async throws { try await store.deleteModel(name: name) }

    public func setModelTag(name: String, _ tag: Tag) async throws {
        try TrackingLimits.validate(tag: tag)
        try await store.setModelTag(name: name, tag, now: now())
    }

    public func deleteModelTag(name: String, key: String) async throws { try await store.deleteModelTag(name: name, key: key) }

    // MARK: - Versions

    /// Registers a new version. `source` is where the model's files are: an artifact URI,
    /// `runs:/<run_id>/<path>` or `models:/<model_id>`. The version is READY at once, since
    /// the files are already stored when a client registers them.
    public func createVersion(name: String, source: String, runID: String = "", runLink: String = "", description: String = "", userID: String = "", modelID: String = "", parentVersion: Int64? = nil, tags: [Tag] = []) async throws -> ModelVersion {
        guard !source.isEmpty else { throw PlatformError.invalid("source must name where the model's files are (an artifact URI, runs:/ or models:/)") }
        try tags.forEach(TrackingLimits.validate(tag:))
        if !runID.isEmpty { _ = try await tracking.run(id: runID) }
        if !modelID.isEmpty { _ = try await tracking.loggedModels.get(modelID) }
        return try await store.createVersion(
            name: name,
            RegistryStore.NewVersion(source: source, runID: runID, runLink: runLink, description: description, userID: userID, modelID: modelID, parentVersion: parentVersion, tags: tags),
            now: now())
    }

    public func version(name: String, version: String) async throws -> ModelVersion {
        try await store.version(name: name, version: try Self.parseVersion(version))
    }

    public func searchVersions(filter: String?, orderBy: [String] = [], maxResults: Int = 1000, pageToken: String? = nil) async throws -> Page<ModelVersion> {
        try TrackingLimits.validateMaxResults(maxResults, limit: 200_000)
        return try await store.searchVersions(
            filter: try SearchFilter(parsing: filter), orderBy: try orderBy.map(OrderClause.init(parsing:)),
            maxResults: maxResults, pageToken: pageToken)
    }

    public func updateVersion(name: String, version: String, description: String) async throws -> ModelVersion {
        try await store.updateVersion(name: name, version: try Self.parseVersion(version), description: description, now: now())
    }

    public func deleteVersion(name: String, version: String, actor: String = "") async throws {
        try await store.deleteVersion(name: name, version: try Self.parseVersion(version), actor: actor, now: now())
    }

    public func setVersionTag(name: String, version: String, _ tag: Tag) async throws {
        try TrackingLimits.validate(tag: tag)
        try await store.setVersionTag(name: name, version: try Self.parseVersion(version), tag)
    }

    public func deleteVersionTag(name: String, version: String, key: String) async throws {
        try await store.deleteVersionTag(name: name, version: try Self.parseVersion(version), key: key)
    }

    public func transitionStage(name: String, version: String, stage: String, archiveExisting: Bool, actor: String = "") async throws -> ModelVersion {
        guard let target = ModelStage(caseInsensitive: stage) else {
            throw PlatformError.invalid("invalid stage '\(stage)'; use one of \(ModelStage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try await store.transitionStage(name: name, version: try Self.parseVersion(version), to: target, archiveExisting: archiveExisting, actor: actor, now: now())
    }

    public func latestVersions(name: String, stages: [String]) async throws -> [ModelVersion] {
        let parsed = try stages.map { stage in
            guard let value = ModelStage(caseInsensitive: stage) else { throw PlatformError.invalid("invalid stage '\(stage)'") }
            return value
        }
        return try await store.latestVersions(name: name, stages: parsed)
    }

    /// Where a version's files can be downloaded from (resolves `runs:/` and `models:/` sources).
    public func downloadURI(name: String, version: String) async throws -> String {
        let modelVersion = try await self.version(name: name, version: version)
        if !modelVersion.modelID.isEmpty, let logged = try? await tracking.loggedModels.get(modelVersion.modelID) {
            return logged.artifactLocation
        }
        if modelVersion.source.hasPrefix("runs:/") {
            let rest = modelVersion.source.dropFirst("runs:/".count)
            let parts = rest.split(separator: "/", maxSplits: 1).map(String.init)
            let run = try await tracking.run(id: parts[0])
            return parts.count > 1 ? "\(run.info.artifactURI)/\(parts[1])" : run.info.artifactURI
        }
        if modelVersion.source.hasPrefix("models:/m-") {
            let logged = try await tracking.loggedModels.get(String(modelVersion.source.dropFirst("models:/".count)))
            return logged.artifactLocation
        }
        return modelVersion.source
    }

    // MARK: - Aliases and history

    public func setAlias(name: String, alias: String, version: String, actor: String = "") async throws {
        try Self.validateAlias(alias)
        try await store.setAlias(name: name, alias: alias, version: try Self.parseVersion(version), actor: actor, now: now())
    }

    public func deleteAlias(name: String, alias: String, actor: String = "") async throws {
        try await store.deleteAlias(name: name, alias: alias, actor: actor, now: now())
    }

    public func version(name: String, alias: String) async throws -> ModelVersion {
        try await store.version(name: name, alias: alias)
    }

    /// Every alias and stage move of a model, oldest first.
    public func history(name: String) async throws -> [ModelEvent] {
        _ = try await store.model(name)
        return try await store.history(name: name)
    }

    /// The version `alias` pointed at at time `at` (milliseconds), from the recorded moves:
    /// "what was champion last Tuesday". Nil when the alias was not set then.
    public func version(name: String, alias: String, at time: Int64) async throws -> Int64? {
        let moves = try await history(name: name).filter { $0.kind == .alias && $0.subject == alias && $0.time <= time }
        return moves.last?.to.flatMap { Int64($0) }
    }

    // MARK: - Validation

    static func validateName(_ name: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw PlatformError.invalid("registered model name must not be empty") }
        guard name.count <= 256 else { throw PlatformError.invalid("registered model name is longer than 256 characters") }
    }

    /// Aliases name versions; `latest` and `v<N>` are reserved because `models:/name@v3`
    /// would be ambiguous.
    static func validateAlias(_ alias: String) throws {
        guard !alias.isEmpty, alias.count <= 255 else { throw PlatformError.invalid("alias must be 1 to 255 characters") }
        guard alias.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw PlatformError.invalid("alias '\(alias)' may contain only letters, digits, '_' and '-'")
        }
        let lower = alias.lowercased()
        if lower == "latest" || (lower.hasPrefix("v") && lower.count > 1 && lower.dropFirst().allSatisfy(\.isNumber)) {
            throw PlatformError.invalid("alias '\(alias)' is reserved ('latest' and 'v<number>' name versions already)")
        }
    }

    static func parseVersion(_ text: String) throws -> Int64 {
        guard let version = Int64(text), version > 0 else { throw PlatformError.invalid("version must be a positive integer, got '\(text)'") }
        return version
    }
}
