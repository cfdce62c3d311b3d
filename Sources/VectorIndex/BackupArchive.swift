/// One backup file: a manifest and any number of vector stores, each as its snapshot, in the
/// checksummed ``SnapshotFile`` container (kind 3, so a truncated, extended or bit-flipped
/// file fails before a byte of it is parsed, and other versions are refused by number).
///
///     payload  = manifest:(UInt64 length, bytes) count:UInt64 entry[count]
///     entry    = name:(UInt32 length, UTF-8) definition:(UInt64 length, bytes)
///                snapshot:(UInt64 length, bytes of a vector-store snapshot file)
///
/// The manifest and definitions are opaque bytes here (the platform stores JSON); each entry's
/// snapshot is itself a checksummed container, checked again on decode.
public struct BackupArchive: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var definition: [UInt8]
        public var snapshot: [UInt8]
        public init(name: String, definition: [UInt8], snapshot: [UInt8]) {
            self.name = name
            self.definition = definition
            self.snapshot = snapshot
        }
    }

    public var manifest: [UInt8]
    public var entries: [Entry]

    public init(manifest: [UInt8], entries: [Entry]) {
        self.manifest = manifest
        self.entries = entries
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.blob(manifest)
        w.u64(UInt64(entries.count))
        for entry in entries {
            w.string(entry.name)
            w.blob(entry.definition)
            w.blob(entry.snapshot)
        }
        return SnapshotFile.encode(kind: .backupArchive, payload: w.bytes)
    }

    /// Parses and checks a backup file: container checksums and length, structure, and each
    /// entry's snapshot container. `what` names the file in error messages.
    /// - Throws: `.corruptFile` or `.unsupportedVersion` saying what failed.
    public static func decode(_ bytes: [UInt8], what: String) throws(VectorIndexError) -> BackupArchive {
        var r = try SnapshotFile.decode(bytes, kind: .backupArchive, path: what)
        let manifest = try r.blob()
        let n = try r.int(max: 1 << 20)
        var entries: [Entry] = []
        for i in 0..<n {
            let entry = Entry(name: try r.string(), definition: try r.blob(), snapshot: try r.blob())
            _ = try SnapshotFile.decode(entry.snapshot, kind: .vectorStore, path: "\(what) entry \(i) ('\(entry.name)')")
            entries.append(entry)
        }
        guard r.remaining == 0 else { throw VectorIndexError(.corruptFile, "\(what): \(r.remaining) trailing bytes after \(n) entries") }
        return BackupArchive(manifest: manifest, entries: entries)
    }
}
