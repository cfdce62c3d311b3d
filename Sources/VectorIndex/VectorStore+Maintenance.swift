import Synchronization

/// What ``VectorStore/rebuild()`` did.
public struct RebuildReport: Sendable, Equatable, Codable {
    /// Live vectors before and after (equal unless a write raced the rebuild).
    public var liveBefore: Int
    public var liveAfter: Int
    /// Graph slots before (live + tombstones) and after (live only).
    public var slotsBefore: Int
    public var slotsAfter: Int
    public var tombstonesBefore: Int
    /// Wall time of the graph rebuild plus the checkpoint, in seconds.
    public var seconds: Double
}

/// What ``VectorStore/check()`` found. It changes nothing; `problems` is empty when healthy.
public struct IntegrityReport: Sendable, Equatable, Codable {
    /// Live ids held in memory.
    public var count: Int
    /// Ids in the snapshot file, nil when none has been written yet.
    public var snapshotVectors: Int?
    /// Valid records in the write-ahead log.
    public var logRecords: Int
    /// Live ids whose vector was read back and whose node was found reachable.
    public var checkedIDs: Int
    public var problems: [String]
    public var isHealthy: Bool { problems.isEmpty }
}

extension VectorStore {
    /// Re-creates the HNSW graph from the stored vectors (dropping tombstones left by deletes
    /// and upserts), swaps it in and checkpoints. Searches keep running on the old graph until
    /// the swap; writes wait.
    public func rebuild() throws(VectorIndexError) -> RebuildReport {
        let clock = ContinuousClock(), start = clock.now
        let before = index
        let (liveBefore, slotsBefore, tombstonesBefore) = (before.count, before.slotCount, before.tombstoneCount)
        try compact()
        let after = index
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return RebuildReport(liveBefore: liveBefore, liveAfter: after.count, slotsBefore: slotsBefore, slotsAfter: after.slotCount,
                             tombstonesBefore: tombstonesBefore, seconds: seconds)
    }

    /// Verifies, without changing anything (writes wait meanwhile):
    /// - the snapshot file's container checksums and structure, and the log's header and
    ///   every record checksum (a torn or corrupt tail is a problem, not truncated);
    /// - that snapshot + log replay give exactly the ids held in memory, up to the same sequence;
    /// - that the id map and the graph agree in count and labels;
    /// - that every live id's vector reads back finite and its node is reachable from the
    ///   entry point (``HNSWIndex/unreachableLabels()``), i.e. searchable.
    /// At most 5 examples are listed per kind of problem.
    public func check() -> IntegrityReport {
        writer.withLock { _ in
            var problems: [String] = []
            var onDisk: Set<String> = []
            var snapshotVectors: Int? = nil
            var diskSequence: UInt64 = 0
            if FileIO.exists(snapshotPath) {
                do throws(VectorIndexError) {
                    let (e, _) = try Self.decodeSnapshot(try FileIO.read(snapshotPath), path: snapshotPath)
                    onDisk = Set(e.labelOfID.keys)
                    snapshotVectors = e.labelOfID.count
                    diskSequence = e.sequence
                } catch {
                    problems.append("snapshot: \(error.message)")
                }
            }
            var logRecords = 0
            do throws(VectorIndexError) {
                let (records, report) = try WriteAheadLog.inspect(path: wal.path)
                logRecords = records.count
                if let problem = report.problem { problems.append("write-ahead log: \(problem) (\(report.discardedBytes) bytes after the valid prefix)") }
                for record in records where record.sequence > diskSequence {
                    switch record {
                    case .upsert(let seq, let id, _, _): onDisk.insert(id); diskSequence = seq
                    case .delete(let seq, let id): onDisk.remove(id); diskSequence = seq
                    }
                }
            } catch {
                problems.append("write-ahead log: \(error.message)")
            }
            let (inMemory, labels, sequence) = entries.withLock { e in (Set(e.labelOfID.keys), e.labelOfID, e.sequence) }
            if problems.isEmpty {
                let missing = inMemory.subtracting(onDisk), extra = onDisk.subtracting(inMemory)
                if !missing.isEmpty { problems.append("\(missing.count) ids in memory are not in snapshot + log, e.g. \(Self.examples(missing))") }
                if !extra.isEmpty { problems.append("\(extra.count) ids in snapshot + log are not in memory, e.g. \(Self.examples(extra))") }
                if diskSequence != sequence { problems.append("snapshot + log end at sequence \(diskSequence), memory at \(sequence)") }
            }
            let graph = index
            if graph.count != labels.count { problems.append("the id map holds \(labels.count) ids, the graph \(graph.count) live vectors") }
            var unreadable: [String] = []
            for (id, label) in labels {
                guard let v = graph.vector(label: label), v.allSatisfy(\.isFinite) else { unreadable.append(id); continue }
            }
            if !unreadable.isEmpty { problems.append("\(unreadable.count) ids have no finite vector in the graph, e.g. \(Self.examples(unreadable))") }
            let idOfLabel = Dictionary(labels.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
            let unreachable = graph.unreachableLabels().map { idOfLabel[$0] ?? "label \($0)" }
            if !unreachable.isEmpty { problems.append("\(unreachable.count) ids are unreachable in the graph (not searchable), e.g. \(Self.examples(unreachable))") }
            return IntegrityReport(count: labels.count, snapshotVectors: snapshotVectors, logRecords: logRecords,
                                   checkedIDs: labels.count - unreadable.count - unreachable.count, problems: problems)
        }
    }

    static func examples(_ ids: some Collection<String>) -> String {
        ids.sorted().prefix(5).map { "'\($0)'" }.joined(separator: ", ")
    }
}
