import Foundation
import VectorIndex

/// Backup, restore, index rebuild and integrity check of collections.
extension VectorCollections {
    /// What ``rebuild(_:namespace:)`` reports.
    public struct RebuildReport: Codable, Sendable {
        public var collection: String
        public var namespace: String
        public var live_before: Int
        public var live_after: Int
        public var slots_before: Int
        public var slots_after: Int
        public var tombstones_before: Int
        public var seconds: Double
    }

    /// What ``check(_:namespace:)`` reports; `healthy` is true when `problems` is empty.
    public struct CheckReport: Codable, Sendable {
        public var collection: String
        public var namespace: String
        public var healthy: Bool
        public var count: Int
        public var snapshot_vectors: Int?
        public var log_records: Int
        public var checked_ids: Int
        public var problems: [String]
    }

    /// What ``restore(_:name:namespace:)`` created.
    public struct RestoreReport: Codable, Sendable {
        public var scope: String
        public var namespace: String
        public var collections: [String]
        public var vectors: Int
    }

    /// The manifest at the front of every backup file (JSON inside the checksummed archive).
    struct Manifest: Codable {
        static let format = "mlplane-vector-backup"
        var format: String
        var format_version: Int
        /// "collection" or "namespace".
        var scope: String
        var namespace: String
        var created_at: Int64
        var collections: [String]
    }

    /// Re-creates the collection's HNSW graph from its stored vectors (dropping the tombstones
    /// deletes and upserts leave), then checkpoints. Searches run on the old graph meanwhile.
    public func rebuild(_ name: String, namespace: String = defaultNamespace) throws -> RebuildReport {
        let (_, store) = try collection(name, namespace: namespace)
        let r = try store.rebuild()
        return RebuildReport(collection: name, namespace: namespace, live_before: r.liveBefore, live_after: r.liveAfter,
                             slots_before: r.slotsBefore, slots_after: r.slotsAfter, tombstones_before: r.tombstonesBefore, seconds: r.seconds)
    }

    /// Verifies the collection's files and index (``VectorStore/check()``) and reports problems
    /// without changing anything. Files too damaged to open are a problem in the report.
    public func check(_ name: String, namespace: String = defaultNamespace) throws -> CheckReport {
        let store: VectorStore
        do {
            store = try collection(name, namespace: namespace).1
        } catch let error as VectorIndexError {
            return CheckReport(collection: name, namespace: namespace, healthy: false, count: 0, snapshot_vectors: nil, log_records: 0,
                               checked_ids: 0, problems: ["cannot open the collection: \(error.message)"])
        }
        let r = store.check()
        return CheckReport(collection: name, namespace: namespace, healthy: r.isHealthy, count: r.count, snapshot_vectors: r.snapshotVectors,
                           log_records: r.logRecords, checked_ids: r.checkedIDs, problems: r.problems)
    }

    /// One collection as a backup file (see ``BackupArchive``): its definition and a snapshot
    /// of everything acknowledged so far. The collection's own files are not touched.
    public func backup(_ name: String, namespace: String = defaultNamespace) throws -> [UInt8] {
        try archive(scope: "collection", namespace: namespace, names: [name])
    }

    /// Every collection of `namespace` as one backup file.
    public func backupNamespace(_ namespace: String) throws -> [UInt8] {
        try archive(scope: "namespace", namespace: namespace, names: try list(namespace: namespace).map(\.name))
    }

    private func archive(scope: String, namespace: String, names: [String]) throws -> [UInt8] {
        let entries = try names.map { name in
            let (definition, store) = try collection(name, namespace: namespace)
            return BackupArchive.Entry(name: name, definition: Array(try JSONEncoder().encode(definition)), snapshot: store.snapshotBytes())
        }
        let manifest = Manifest(format: Manifest.format, format_version: 1, scope: scope, namespace: namespace,
                                created_at: Int64(Date().timeIntervalSince1970 * 1000), collections: names)
        return BackupArchive(manifest: Array(try JSONEncoder().encode(manifest)), entries: entries).encoded()
    }

    /// Restores a backup file. A collection backup becomes collection `name` (default: its
    /// original name) in `namespace` (default: the default namespace); a namespace backup
    /// becomes namespace `name ?? namespace` (default: its original name). The target must not
    /// exist. The whole file is verified first (checksums, structure, definitions), then
    /// written to a temporary folder and every collection opened from it before one rename
    /// publishes it: a damaged file or a failure creates nothing.
    public func restore(_ bytes: [UInt8], name: String? = nil, namespace: String? = nil) throws -> RestoreReport {
        let archive: BackupArchive
        let manifest: Manifest
        var definitions: [Definition] = []
        do {
            archive = try BackupArchive.decode(bytes, what: "the backup file")
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(archive.manifest))
            for entry in archive.entries {
                definitions.append(try JSONDecoder().decode(Definition.self, from: Data(entry.definition)))
            }
        } catch let error as VectorIndexError {
            throw PlatformError.invalid("not a valid vector backup: \(error.message)")
        } catch {
            throw PlatformError.invalid("not a valid vector backup: its manifest or a collection definition does not decode (\(error))")
        }
        guard manifest.format == Manifest.format, manifest.format_version == 1 else {
            throw PlatformError.invalid("not a vector backup of a version this build reads (format '\(manifest.format)' version \(manifest.format_version))")
        }
        switch manifest.scope {
        case "collection":
            guard archive.entries.count == 1 else { throw PlatformError.invalid("a collection backup must hold one collection, this one holds \(archive.entries.count)") }
            let target = namespace ?? Self.defaultNamespace
            let base = try folder(of: target)
            var definition = definitions[0]
            definition.name = name ?? definition.name
            try Self.validate(name: definition.name)
            guard !FileManager.default.fileExists(atPath: base.appendingPathComponent(definition.name).path) else {
                throw PlatformError(.alreadyExists, "a collection named '\(definition.name)' already exists in namespace '\(target)'")
            }
            let count = try publish(into: base, final: base.appendingPathComponent(definition.name)) { staging in
                try Self.stage(definition, snapshot: archive.entries[0].snapshot, in: staging)
            }
            return RestoreReport(scope: "collection", namespace: target, collections: [definition.name], vectors: count)
        case "namespace":
            let target = name ?? namespace ?? manifest.namespace
            try Self.validate(name: target, what: "namespace")
            guard target != Self.defaultNamespace, (try? folder(of: target)) == nil else {
                throw PlatformError(.alreadyExists, "namespace '\(target)' already exists; restore under a new name")
            }
            guard Set(definitions.map(\.name)).count == definitions.count else { throw PlatformError.invalid("the backup names a collection twice") }
            try FileManager.default.createDirectory(at: namespacesRoot, withIntermediateDirectories: true)
            let count = try publish(into: namespacesRoot, final: namespacesRoot.appendingPathComponent(target)) { staging in
                try zip(definitions, archive.entries).reduce(0) { total, pair in
                    let folder = staging.appendingPathComponent(pair.0.name)
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    return total + (try Self.stage(pair.0, snapshot: pair.1.snapshot, in: folder))
                }
            }
            return RestoreReport(scope: "namespace", namespace: target, collections: definitions.map(\.name), vectors: count)
        default:
            throw PlatformError.invalid("unknown backup scope '\(manifest.scope)'")
        }
    }

    /// Fills a fresh staging folder under `parent`, then renames it to `final`; removes it on failure.
    private func publish(into parent: URL, final: URL, _ fill: (URL) throws -> Int) throws -> Int {
        let staging = parent.appendingPathComponent(".restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            let count = try fill(staging)
            try FileManager.default.moveItem(at: staging, to: final)
            return count
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Writes one collection's files into `folder` and opens them as a check; returns its size.
    private static func stage(_ definition: Definition, snapshot: [UInt8], in folder: URL) throws -> Int {
        try validate(name: definition.name)
        try writeSynced(Data(snapshot), to: folder.appendingPathComponent("snapshot.vix"))
        var stored = definition
        stored.namespace = nil
        try writeSynced(try JSONEncoder().encode(stored), to: folder.appendingPathComponent("collection.json"))
        do {
            return try VectorStore.open(directory: folder.path, configuration: configuration(definition)).count
        } catch {
            throw PlatformError.invalid("collection '\(definition.name)' in the backup does not open: \(error.message)")
        }
    }

    /// Writes a new file and fsyncs it, so a published restore does not depend on the page cache.
    private static func writeSynced(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw PlatformError(.unavailable, "cannot create \(url.path)") }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }
}
