import Foundation
import Storage
import TensorCore

/// A model loaded for serving, at a resolved version.
public struct LoadedModel: Sendable {
    /// Registered model name (or `rule:...`).
    public let name: String
    /// Resolved version number ("1" for rules).
    public let version: String
    public let model: any ServableModel
    /// Key of the loaded instance (`name/version`).
    public var key: String { name + "/" + version }
}

/// Loads registered model versions (and rule-based policies) for serving. A version loads
/// once and is shared by every deployment and request that uses it; deployments hold it
/// with `acquire`/`release` and it unloads when the last one lets go. Direct requests to a
/// model with no deployment use a small cache of recently used versions.
public actor ModelRuntime {
    let registry: RegistryService
    let artifacts: ArtifactStore
    private var held: [String: (model: LoadedModel, users: Int)] = [:]
    private var recent: [String: LoadedModel] = [:]
    private var recentOrder: [String] = []
    let recentCapacity = 8

    public init(registry: RegistryService, artifacts: ArtifactStore) {
        self.registry = registry
        self.artifacts = artifacts
    }

    /// Keys of the versions held by deployments, with their user counts.
    public var loadedVersions: [String: Int] { held.mapValues(\.users) }

    /// Loads (or shares) the model `reference` names and counts one more user of it.
    public func acquire(_ reference: ModelReference) async throws -> LoadedModel {
        let (name, version) = try await resolve(reference)
        let key = name + "/" + version
        if let entry = held[key] {
            held[key] = (entry.model, entry.users + 1)
            return entry.model
        }
        var model = recent[key]
        if model == nil { model = try await load(reference, name: name, version: version) }
        // Another acquire may have loaded the same version while this one awaited.
        if let entry = held[key] {
            held[key] = (entry.model, entry.users + 1)
            return entry.model
        }
        held[key] = (model!, 1)
        return model!
    }

    /// One user fewer; the version unloads when none is left.
    public func release(_ model: LoadedModel) {
        guard let entry = held[model.key] else { return }
        if entry.users <= 1 { held[model.key] = nil } else { held[model.key] = (entry.model, entry.users - 1) }
    }

    /// The model for a direct request (no deployment): a held version, or one loaded into the
    /// recent cache.
    public func model(_ reference: ModelReference) async throws -> LoadedModel {
        let (name, version) = try await resolve(reference)
        let key = name + "/" + version
        if let entry = held[key] { return entry.model }
        if let cached = recent[key] { return cached }
        let model = try await load(reference, name: name, version: version)
        recent[key] = model
        recentOrder.append(key)
        if recentOrder.count > recentCapacity { recent[recentOrder.removeFirst()] = nil }
        return model
    }

    /// The concrete version a reference means now.
    func resolve(_ reference: ModelReference) async throws -> (name: String, version: String) {
        do {
            switch reference {
            case .rule(let rule): return ("rule:" + rule, "1")
            case .version(let m, let v): return (m, String(try await registry.version(name: m, version: v).version))
            case .alias(let m, let a): return (m, String(try await registry.version(name: m, alias: a).version))
            case .latest(let m):
                let versions = try await registry.searchVersions(filter: "name = '\(m.replacingOccurrences(of: "'", with: "''"))'",
                                                                 orderBy: ["version_number DESC"], maxResults: 1).items
                guard let latest = versions.first else { throw ServingError(.notFound, "model '\(m)' has no versions") }
                return (m, String(latest.version))
            }
        } catch let error as StorageError where error.code == .notFound {
            throw ServingError(.notFound, error.message)
        }
    }

    private func load(_ reference: ModelReference, name: String, version: String) async throws -> LoadedModel {
        if case .rule(let rule) = reference { return LoadedModel(name: name, version: version, model: try Self.rule(rule)) }
        let uri = try await registry.downloadURI(name: name, version: version)
        if uri.hasPrefix("rule:") { return LoadedModel(name: name, version: version, model: try Self.rule(String(uri.dropFirst(5)))) }
        if uri.hasPrefix(EncoderModel.sourcePrefix) {
            let encoder = String(uri.dropFirst(EncoderModel.sourcePrefix.count))
            let model = try await Task.detached { () throws(ServingError) -> EncoderModel in try EncoderModel(name: encoder) }.value
            return LoadedModel(name: name, version: version, model: model)
        }
        let location = try await modelFile(uri: uri, name: name, version: version)
        let model: any ServableModel = try await Task.detached { () throws(ServingError) -> any ServableModel in
            try ModelFiles.load(path: location.path)
        }.value
        return LoadedModel(name: name, version: version, model: model)
    }

    /// The version's model file: the artifact itself, or the first `.safetensors` file in its directory.
    private func modelFile(uri: String, name: String, version: String) async throws -> URL {
        let path: ArtifactPath
        do { path = try ArtifactURI.storePath(of: uri) } catch {
            throw ServingError(.invalidModel, "model '\(name)' version \(version): source '\(uri)' is not in this server's artifact store")
        }
        if let (_, location) = try await artifacts.file(at: path) { return location }
        let files = try await artifacts.list(directory: path).filter { !$0.isDirectory && $0.path.hasSuffix(".safetensors") }
        guard let first = files.first, let (_, location) = try await artifacts.file(at: try ArtifactPath(path.value + "/" + first.path)) else {
            throw ServingError(.invalidModel, "model '\(name)' version \(version): no .safetensors model file at '\(uri)'")
        }
        return location
    }

    /// Rule-based models by name: `strongest_signal?ues=U&stations=N`.
    static func rule(_ text: String) throws(ServingError) -> any ServableModel {
        let parts = text.split(separator: "?", maxSplits: 1)
        var params: [String: Int] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, let v = Int(kv[1]) else { throw ServingError(.invalidModel, "rule parameter '\(pair)' must be name=integer") }
                params[String(kv[0])] = v
            }
        }
        switch parts.first.map(String.init) ?? "" {
        case "strongest_signal": return try StrongestSignalRule(ues: params["ues"] ?? 5, stations: params["stations"] ?? 3)
        default: throw ServingError(.notFound, "unknown rule-based model '\(text)' (known: strongest_signal)")
        }
    }
}

/// Recognises a model file by its metadata and loads it.
public enum ModelFiles {
    public static func load(path: String) throws(ServingError) -> any ServableModel {
        let file: SafeTensorsFile
        do { file = try SafeTensors.read(path) } catch { throw ServingError(.invalidModel, "cannot read model file: \(error)") }
        if file.metadata["mlplane.policy"] != nil { return try PolicyModel.load(file, path: path) }
        if file.metadata[MLPModel.metadataKey] != nil { return try MLPModel.load(file) }
        throw ServingError(.invalidModel, "the model file has neither 'mlplane.model' nor 'mlplane.policy' metadata")
    }
}
