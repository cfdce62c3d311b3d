import Synchronization

extension HNSWIndex {
    /// The index as snapshot payload bytes (graph, vectors, labels, tombstones), little-endian.
    /// Concurrent writers are excluded while copying; searches go on.
    func encodePayload() -> [UInt8] {
        growthLock.withWriteLock {
            let s = storage
            let n = slots.withLock { $0.count }
            var w = ByteWriter()
            w.u64(UInt64(dimension))
            w.string(metric.rawValue)
            w.u64(UInt64(configuration.m))
            w.u64(UInt64(configuration.efConstruction))
            w.u64(UInt64(configuration.efSearch))
            w.u64(configuration.seed)
            if let quantizer {
                w.u8(1)
                quantizer.mins.withUnsafeBufferPointer { w.floats($0) }
                quantizer.scales.withUnsafeBufferPointer { w.floats($0) }
            } else {
                w.u8(0)
            }
            w.u64(UInt64(s.stride))
            w.u64(UInt64(n))
            w.u64(entry.load(ordering: .acquiring))
            for id in 0..<n {
                let level = Int(s.levels[id])
                w.u32(UInt32(level))
                w.raw(s.node(id), count: s.stride)
                if level > 0 { w.raw(s.upper[id]!, count: level * s.upperStride) }
            }
            return w.bytes
        }
    }

    /// Writes a snapshot of the index to `path` atomically (temp file, fsync, rename).
    public func write(to path: String) throws(VectorIndexError) {
        try FileIO.writeAtomically(SnapshotFile.encode(kind: .hnswIndex, payload: encodePayload()), to: path)
    }

    /// Reads a snapshot written by ``write(to:)``. Truncated or altered files fail with
    /// `.corruptFile`; files of another format version with `.unsupportedVersion`.
    public static func read(from path: String) throws(VectorIndexError) -> HNSWIndex {
        var r = try SnapshotFile.decode(try FileIO.read(path), kind: .hnswIndex, path: path)
        return try decodePayload(&r)
    }

    static func decodePayload(_ r: inout ByteReader) throws(VectorIndexError) -> HNSWIndex {
        let dimension = try r.int(max: 1 << 20)
        guard let metric = DistanceMetric(rawValue: try r.string()) else {
            throw VectorIndexError(.corruptFile, "\(r.what): unknown metric")
        }
        let m = try r.int(max: 1024), efC = try r.int(max: 1 << 30), efS = try r.int(max: 1 << 30)
        let seed = try r.u64()
        var quantizer: ScalarQuantizer? = nil
        switch try r.u8() {
        case 0: break
        case 1: quantizer = ScalarQuantizer(dimension: dimension, mins: try r.floats(dimension), scales: try r.floats(dimension))
        case let e: throw VectorIndexError(.corruptFile, "\(r.what): unknown vector encoding \(e)")
        }
        let stride = try r.int(max: 1 << 30)
        let n = try r.int(max: 1 << 32)
        let entryWord = try r.u64()
        let config = HNSWConfiguration(dimension: dimension, metric: metric, m: m, efConstruction: efC, efSearch: efS, seed: seed, initialCapacity: max(16, n))
        let index: HNSWIndex
        do { index = try HNSWIndex(config, quantizer: quantizer) } catch { throw VectorIndexError(.corruptFile, "\(r.what): bad parameters: \(error.message)") }
        let s = index.storage
        guard s.stride == stride else {
            throw VectorIndexError(.corruptFile, "\(r.what): record stride \(stride), expected \(s.stride) for d=\(dimension), M=\(m)")
        }
        var idOfLabel: [UInt64: UInt32] = [:]
        var deleted = 0
        for id in 0..<n {
            let level = Int(try r.u32())
            guard level <= 30 else { throw VectorIndexError(.corruptFile, "\(r.what): slot \(id) has level \(level)") }
            s.levels[id] = Int32(level)
            try r.rawCopy(into: s.node(id), count: stride)
            if level > 0 {
                let b = UnsafeMutableRawPointer.allocate(byteCount: level * s.upperStride, alignment: 16)
                s.upper[id] = b
                try r.rawCopy(into: b, count: level * s.upperStride)
            }
            for l in 0...level {
                let list = s.linkList(id, level: l)
                let limit = l == 0 ? index.maxM0 : index.maxM
                guard Int(list.pointee) <= limit else { throw VectorIndexError(.corruptFile, "\(r.what): slot \(id) has \(list.pointee) links on level \(l)") }
                for x in s.links(id, level: l) where Int(x) >= n {
                    throw VectorIndexError(.corruptFile, "\(r.what): slot \(id) links to slot \(x) of \(n)")
                }
            }
            if s.isDeleted(id) { deleted += 1 } else { idOfLabel[s.label(id)] = UInt32(id) }
        }
        guard r.remaining == 0 else { throw VectorIndexError(.corruptFile, "\(r.what): \(r.remaining) trailing bytes after the graph") }
        if entryWord != 0 {
            let eid = Int(entryWord & 0xFFFF_FFFF), elevel = Int(entryWord >> 32) - 1
            guard eid < n, elevel == Int(s.levels[eid]) else { throw VectorIndexError(.corruptFile, "\(r.what): bad entry point") }
        } else if n > 0 {
            throw VectorIndexError(.corruptFile, "\(r.what): \(n) slots but no entry point")
        }
        index.entry.store(entryWord, ordering: .releasing)
        index.slots.withLock {
            $0.count = n
            $0.idOfLabel = idOfLabel
            $0.deletedCount = deleted
        }
        index.deletedCount.store(deleted, ordering: .releasing)
        return index
    }
}
