import Storage

/// How a model version came to be and how it differs from another.
public struct VersionLineage: Sendable {
    public var version: ModelVersion
    /// The run that produced it, when it was registered from a run.
    public var run: Run?
    /// Parent versions, nearest first (fine-tuned from, retrained from, ...).
    public var ancestors: [ModelVersion]
}

/// One value that differs between two versions' source runs.
public struct VersionDifference: Sendable, Equatable {
    public enum Kind: String, Sendable { case param, metric, tag }
    public var kind: Kind
    public var key: String
    public var left: String?
    public var right: String?

    public init(kind: Kind, key: String, left: String?, right: String?) {
        self.kind = kind
        self.key = key
        self.left = left
        self.right = right
    }
}

extension RegistryService {
    /// The run, and the chain of parent versions, behind `version`.
    public func lineage(name: String, version: String) async throws -> VersionLineage {
        let modelVersion = try await self.version(name: name, version: version)
        let run = modelVersion.runID.isEmpty ? nil : try? await tracking.run(id: modelVersion.runID)
        var ancestors: [ModelVersion] = []
        var seen: Set<Int64> = [modelVersion.version]
        var parent = modelVersion.parentVersion
        while let next = parent, !seen.contains(next) {
            seen.insert(next)
            guard let found = try? await store.version(name: name, version: next) else { break }
            ancestors.append(found)
            parent = found.parentVersion
        }
        return VersionLineage(version: modelVersion, run: run, ancestors: ancestors)
    }

    /// The params, latest metrics and tags that differ between the source runs of two versions.
    /// System tags (`mlflow.*`) are left out.
    public func compare(name: String, version left: String, with right: String) async throws -> [VersionDifference] {
        let a = try await version(name: name, version: left), b = try await version(name: name, version: right)
        let runA = a.runID.isEmpty ? nil : try await tracking.run(id: a.runID)
        let runB = b.runID.isEmpty ? nil : try await tracking.run(id: b.runID)
        func diff(_ kind: VersionDifference.Kind, _ l: [String: String], _ r: [String: String]) -> [VersionDifference] {
            Set(l.keys).union(r.keys).sorted().compactMap { key in
                l[key] == r[key] ? nil : VersionDifference(kind: kind, key: key, left: l[key], right: r[key])
            }
        }
        func map(_ tags: [Tag]?) -> [String: String] {
            Dictionary((tags ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        }
        let metricsA = Dictionary((runA?.metrics ?? []).map { ($0.key, "\($0.value)") }, uniquingKeysWith: { $1 })
        let metricsB = Dictionary((runB?.metrics ?? []).map { ($0.key, "\($0.value)") }, uniquingKeysWith: { $1 })
        let tagsA = map(runA?.tags).filter { !$0.key.hasPrefix("mlflow.") }
        let tagsB = map(runB?.tags).filter { !$0.key.hasPrefix("mlflow.") }
        return diff(.param, map(runA?.params), map(runB?.params)) + diff(.metric, metricsA, metricsB) + diff(.tag, tagsA, tagsB)
    }
}
