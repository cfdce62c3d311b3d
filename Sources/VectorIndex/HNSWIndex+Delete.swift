import Synchronization

extension HNSWIndex {
    /// Deletes `label` by tombstone: the slot stays in the graph as a waypoint (searches walk
    /// through it but never return it) and each of its out-neighbours that linked back to it
    /// gets a new neighbour list chosen by the heuristic from its old list plus the deleted
    /// node's neighbours. ``compacted()`` reclaims tombstones.
    /// - Returns: whether the label was present.
    /// - Complexity: O(M^2 * levels) distance evaluations.
    @discardableResult
    public func remove(label: UInt64) -> Bool {
        growthLock.withReadLock {
            let s = storage
            let id: Int? = slots.withLock { st in
                guard let id = st.idOfLabel.removeValue(forKey: label) else { return nil }
                st.deletedCount += 1
                s.setFlags(Int(id), s.flags(Int(id)) | HNSWStorage.deletedFlag)
                deletedCount.add(1, ordering: .relaxed)
                return Int(id)
            }
            guard let id else { return false }
            repairAfterDelete(s, id)
            return true
        }
    }

    func repairAfterDelete(_ s: HNSWStorage, _ id: Int) {
        switch (metric, sqParams) {
        case (.l2, nil): repair(FloatL2Space(d: dimension), s, id)
        case (_, nil): repair(FloatIPSpace(d: dimension), s, id)
        case (.l2, let p?): repair(SQ8L2Space(d: dimension, params: p), s, id)
        case (_, let p?): repair(SQ8IPSpace(d: dimension, params: p), s, id)
        }
    }

    func repair<S: GraphSpace>(_ space: S, _ s: HNSWStorage, _ id: Int) {
        // Level and upper block are written under the node's lock (an insert of this slot may
        // still be running: then it has no links yet, or only some, and nothing is lost by
        // repairing fewer lists; the tombstone alone keeps it out of results).
        s.lock(id)
        let top = Int(s.levels[id])
        s.unlock(id)
        for level in 0...top {
            let mLevel = level == 0 ? maxM0 : maxM
            s.lock(id)
            let deadLinks = Array(s.links(id, level: level))
            s.unlock(id)
            for nid in deadLinks {
                let n = Int(nid)
                if n == id || s.isDeleted(n) { continue }
                s.lock(n)
                let list = Array(s.links(n, level: level))
                if list.contains(UInt32(id)) {
                    var seen = Set<UInt32>()
                    var pool: [Neighbor] = []
                    let nv = s.record(n)
                    for x in list + deadLinks where Int(x) != id && Int(x) != n && !s.isDeleted(Int(x)) && seen.insert(x).inserted {
                        pool.append(Neighbor(space.distance(node: nv, node: s.record(Int(x))), x))
                    }
                    pool.sort { $0.distance < $1.distance }
                    let keep = selectNeighbors(space, s, pool, m: mLevel).map(\.id)
                    keep.withUnsafeBufferPointer { s.setLinks(n, level: level, $0) }
                }
                s.unlock(n)
            }
        }
    }

    /// A new index holding only the live vectors (same labels, configuration and quantizer),
    /// built by re-inserting them in slot order (int8 indexes re-insert decoded vectors, which
    /// encode to the same codes). Tombstones and retired storages are not carried over.
    /// - Complexity: a full rebuild, O(n * efConstruction * M * log n).
    public func compacted(threads: Int = 1) throws(VectorIndexError) -> HNSWIndex {
        var c = configuration
        c.initialCapacity = max(16, count)
        let fresh = try HNSWIndex(c, quantizer: quantizer)
        let s = storage
        let ids = slots.withLock { Array($0.idOfLabel.values) }.sorted()
        var rows: [Float] = []
        rows.reserveCapacity(ids.count * dimension)
        var labels: [UInt64] = []
        for id in ids {
            rows.append(contentsOf: storedVector(s, Int(id)))
            labels.append(s.label(Int(id)))
        }
        try fresh.add(rows: rows, labels: labels, threads: threads)
        return fresh
    }
}
