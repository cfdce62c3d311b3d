import Synchronization

/// A durable collection of vectors with string ids and opaque metadata bytes, over an
/// ``HNSWIndex``, in one directory:
///
///     snapshot.vix   checksummed snapshot (``SnapshotFile``): ids, metadata, the graph,
///                    and the last log sequence it contains
///     wal.log        ``WriteAheadLog`` of upserts and deletes after that snapshot
///
/// Every ``upsert(id:vector:metadata:)`` / ``delete(id:)`` is validated, appended to the log
/// and fsync'ed *before* it is applied and acknowledged, so an acknowledged write survives
/// `kill -9`. ``open(directory:configuration:)`` loads the snapshot and replays the log; a
/// torn or corrupt log tail is truncated and described in ``recovery``; a damaged snapshot
/// is a thrown `.corruptFile` error, never loaded.
public final class VectorStore: @unchecked Sendable {
    /// One search hit.
    public struct Hit: Sendable, Equatable {
        public var id: String
        public var distance: Float
        public var metadata: [UInt8]
    }

    struct Entries {
        var labelOfID: [String: UInt64] = [:]
        var idOfLabel: [UInt64: String] = [:]
        var metadata: [UInt64: [UInt8]] = [:]
        var nextLabel: UInt64 = 0
        var sequence: UInt64 = 0
    }

    public let directory: String
    public let configuration: HNSWConfiguration
    /// What opening the log found (clean, or a discarded tail and why).
    public let recovery: WALRecoveryReport
    let indexBox: Mutex<HNSWIndex>
    let entries = Mutex(Entries())
    let writer = Mutex(())
    let wal: WriteAheadLog

    var snapshotPath: String { directory + "/snapshot.vix" }

    /// The index searches use (replaced by ``compact()``).
    public var index: HNSWIndex { indexBox.withLock { $0 } }

    /// Opens or creates the store in `directory`. An existing snapshot must match
    /// `configuration.dimension` and `metric`.
    public static func open(directory: String, configuration: HNSWConfiguration) throws(VectorIndexError) -> VectorStore {
        try FileIO.makeDirectory(directory)
        let snapshot = directory + "/snapshot.vix"
        var entries = Entries()
        var index: HNSWIndex
        if FileIO.exists(snapshot) {
            (entries, index) = try decodeSnapshot(try FileIO.read(snapshot), path: snapshot)
            guard index.dimension == configuration.dimension, index.metric == configuration.metric else {
                throw VectorIndexError(.invalidArgument, "\(snapshot) holds dimension \(index.dimension) metric \(index.metric.rawValue), asked for \(configuration.dimension) \(configuration.metric.rawValue)")
            }
        } else {
            index = try HNSWIndex(configuration)
        }
        let (wal, records, report) = try WriteAheadLog.open(path: directory + "/wal.log")
        let store = VectorStore(directory: directory, configuration: index.configuration, index: index, entries: entries, wal: wal, recovery: report)
        for record in records where record.sequence > entries.sequence {
            try store.apply(record)
        }
        return store
    }

    /// Parses a snapshot file's bytes (container checks first, then the ids, metadata and graph).
    static func decodeSnapshot(_ bytes: [UInt8], path: String) throws(VectorIndexError) -> (Entries, HNSWIndex) {
        var r = try SnapshotFile.decode(bytes, kind: .vectorStore, path: path)
        var entries = Entries()
        entries.sequence = try r.u64()
        entries.nextLabel = try r.u64()
        let n = try r.int(max: 1 << 32)
        for _ in 0..<n {
            let label = try r.u64()
            let id = try r.string()
            entries.labelOfID[id] = label
            entries.idOfLabel[label] = id
            entries.metadata[label] = try r.blob()
        }
        let index = try HNSWIndex.decodePayload(&r)
        guard index.count == n else {
            throw VectorIndexError(.corruptFile, "\(path): \(n) ids but \(index.count) vectors in the graph")
        }
        return (entries, index)
    }

    private init(directory: String, configuration: HNSWConfiguration, index: HNSWIndex, entries: Entries, wal: WriteAheadLog, recovery: WALRecoveryReport) {
        self.directory = directory
        self.configuration = configuration
        self.indexBox = Mutex(index)
        self.entries.withLock { $0 = entries }
        self.wal = wal
        self.recovery = recovery
    }

    /// Number of vectors.
    public var count: Int { entries.withLock { $0.labelOfID.count } }

    /// Every live id (unordered). O(count).
    public var ids: [String] { entries.withLock { Array($0.labelOfID.keys) } }

    /// The last sequence number applied.
    public var sequence: UInt64 { entries.withLock { $0.sequence } }

    /// Inserts or replaces `id`. Validates first (dimension, finite values, non-empty id), then
    /// logs with fsync, then applies. Nothing is written for invalid input.
    public func upsert(id: String, vector: [Float], metadata: [UInt8] = []) throws(VectorIndexError) {
        guard !id.isEmpty else { throw VectorIndexError(.invalidArgument, "id must not be empty") }
        _ = try index.prepared(vector, what: "vector of \(id)")
        try writer.withLock { (_) throws(VectorIndexError) in
            let seq = entries.withLock { $0.sequence + 1 }
            let record = WALRecord.upsert(sequence: seq, id: id, vector: vector, metadata: metadata)
            try wal.append(record)
            try apply(record)
        }
    }

    /// Deletes `id`; returns whether it was there. Logged with fsync before it is applied.
    @discardableResult
    public func delete(id: String) throws(VectorIndexError) -> Bool {
        try writer.withLock { (_) throws(VectorIndexError) -> Bool in
            let (present, seq) = entries.withLock { ($0.labelOfID[id] != nil, $0.sequence + 1) }
            guard present else { return false }
            let record = WALRecord.delete(sequence: seq, id: id)
            try wal.append(record)
            try apply(record)
            return true
        }
    }

    func apply(_ record: WALRecord) throws(VectorIndexError) {
        switch record {
        case .upsert(let seq, let id, let vector, let metadata):
            let label: UInt64 = entries.withLock { e in
                if let l = e.labelOfID[id] { return l }
                let l = e.nextLabel
                e.nextLabel += 1
                return l
            }
            try index.add(vector, label: label)
            entries.withLock { e in
                e.labelOfID[id] = label
                e.idOfLabel[label] = id
                e.metadata[label] = metadata
                e.sequence = seq
            }
        case .delete(let seq, let id):
            let label = entries.withLock { e -> UInt64? in
                e.sequence = seq
                guard let l = e.labelOfID.removeValue(forKey: id) else { return nil }
                e.idOfLabel[l] = nil
                e.metadata[l] = nil
                return l
            }
            if let label { index.remove(label: label) }
        }
    }

    /// The stored vector (normalised for cosine) and metadata of `id`.
    public func get(id: String) -> (vector: [Float], metadata: [UInt8])? {
        guard let (label, meta) = entries.withLock({ e -> (UInt64, [UInt8])? in
            guard let l = e.labelOfID[id] else { return nil }
            return (l, e.metadata[l] ?? [])
        }), let v = index.vector(label: label) else { return nil }
        return (v, meta)
    }

    /// The `k` nearest ids to `query`. `filter` sees each candidate's id and metadata; the
    /// graph search keeps going until `ef` accepted candidates are found (see ``HNSWIndex``).
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: ((String, [UInt8]) -> Bool)? = nil) throws(VectorIndexError) -> [Hit] {
        var labelFilter: ((UInt64) -> Bool)? = nil
        if let filter {
            labelFilter = { [self] label in
                guard let (id, meta) = self.entries.withLock({ e -> (String, [UInt8])? in
                    guard let id = e.idOfLabel[label] else { return nil }
                    return (id, e.metadata[label] ?? [])
                }) else { return false }
                return filter(id, meta)
            }
        }
        let results = try index.search(query, k: k, ef: ef, filter: labelFilter)
        return entries.withLock { e in
            results.compactMap { r in
                guard let id = e.idOfLabel[r.label] else { return nil }
                return Hit(id: id, distance: r.distance, metadata: e.metadata[r.label] ?? [])
            }
        }
    }

    /// Writes a snapshot of everything applied so far (atomically) and empties the log.
    public func checkpoint() throws(VectorIndexError) {
        try writer.withLock { (_) throws(VectorIndexError) in
            try FileIO.writeAtomically(encodeSnapshot(), to: snapshotPath)
            try wal.reset()
        }
    }

    /// The bytes of a snapshot file holding everything applied so far (what ``checkpoint()``
    /// would write), without touching the files: backups embed it. Writes wait meanwhile.
    public func snapshotBytes() -> [UInt8] {
        writer.withLock { _ in encodeSnapshot() }
    }

    /// Encodes the current state; the caller holds `writer`.
    func encodeSnapshot() -> [UInt8] {
        var w = ByteWriter()
        entries.withLock { e in
            w.u64(e.sequence)
            w.u64(e.nextLabel)
            w.u64(UInt64(e.labelOfID.count))
            for (id, label) in e.labelOfID.sorted(by: { $0.value < $1.value }) {
                w.u64(label)
                w.string(id)
                w.blob(e.metadata[label] ?? [])
            }
        }
        w.bytes += index.encodePayload()
        return SnapshotFile.encode(kind: .vectorStore, payload: w.bytes)
    }

    /// Rebuilds the graph without tombstones, then checkpoints.
    public func compact() throws(VectorIndexError) {
        try writer.withLock { (_) throws(VectorIndexError) in
            let fresh = try index.compacted()
            indexBox.withLock { $0 = fresh }
        }
        try checkpoint()
    }
}
