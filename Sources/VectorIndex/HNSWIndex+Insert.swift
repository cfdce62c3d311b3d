import Dispatch
import Synchronization

extension HNSWIndex {
    /// Inserts `vector` under `label`, or replaces the vector of an existing label (the old
    /// slot is tombstoned and its neighbours repaired). Safe to call from many threads at once
    /// and concurrently with searches.
    /// - Complexity: O(efConstruction * M * log n) distance evaluations.
    public func add(_ vector: [Float], label: UInt64) throws(VectorIndexError) {
        let v = try prepared(vector, what: "vector")
        v.withUnsafeBufferPointer { add(unchecked: $0.baseAddress!, label: label) }
    }

    /// Inserts rows `0..<n` of a row-major buffer with the given labels, on `threads` threads.
    public func add(rows: [Float], labels: [UInt64], threads: Int = 1) throws(VectorIndexError) {
        guard rows.count == labels.count * dimension else {
            throw VectorIndexError(.dimensionMismatch, "\(rows.count) floats for \(labels.count) labels of dimension \(dimension)")
        }
        var data = rows
        for r in 0..<labels.count {
            let row = Array(data[r * dimension ..< (r + 1) * dimension])
            let p = try prepared(row, what: "row \(r)")
            data.replaceSubrange(r * dimension ..< (r + 1) * dimension, with: p)
        }
        let d = dimension
        data.withUnsafeBufferPointer { buf in
            let base = SendablePointer(buf.baseAddress!)
            let t = max(1, threads)
            if t == 1 {
                for r in 0..<labels.count { add(unchecked: base.pointer + r * d, label: labels[r]) }
            } else {
                DispatchQueue.concurrentPerform(iterations: t) { worker in
                    var r = worker
                    while r < labels.count {
                        add(unchecked: base.pointer + r * d, label: labels[r])
                        r += t
                    }
                }
            }
        }
    }

    /// Insert without validation: `vector` must hold `dimension` finite floats (unit length
    /// for the cosine metric).
    public func add(unchecked vector: UnsafePointer<Float>, label: UInt64) {
        while true {
            let done: Bool = growthLock.withReadLock {
                let s = storage
                let claim: (id: Int, old: Int?)? = slots.withLock { st in
                    guard st.count < s.capacity else { return nil }
                    let id = st.count
                    st.count += 1
                    let old = st.idOfLabel.updateValue(UInt32(id), forKey: label).map(Int.init)
                    if let old {
                        st.deletedCount += 1
                        s.setFlags(old, s.flags(old) | HNSWStorage.deletedFlag)
                        deletedCount.add(1, ordering: .relaxed)
                    }
                    return (id, old)
                }
                guard let claim else { return false }
                writeRecord(s, claim.id, vector)
                withPreparedQuery(vector) { q in
                    switch (metric, sqParams) {
                    case (.l2, nil): insertNode(FloatL2Space(d: dimension), s, claim.id, q, label: label)
                    case (_, nil): insertNode(FloatIPSpace(d: dimension), s, claim.id, q, label: label)
                    case (.l2, let p?): insertNode(SQ8L2Space(d: dimension, params: p), s, claim.id, q, label: label)
                    case (_, let p?): insertNode(SQ8IPSpace(d: dimension, params: p), s, claim.id, q, label: label)
                    }
                }
                if let old = claim.old { repairAfterDelete(s, old) }
                return true
            }
            if done { return }
            grow()
        }
    }

    /// Doubles the capacity (exclusive: waits for writers, never for searches).
    func grow() {
        growthLock.withWriteLock {
            let s = storage
            let n = slots.withLock { $0.count }
            guard n >= s.capacity else { return }
            let ns = s.grown(to: s.capacity * 2, count: n, vectorBytes: vectorBytes, maxM: maxM, maxM0: maxM0)
            storages.append(ns)
            currentStorage.store(UInt(bitPattern: Unmanaged.passUnretained(ns).toOpaque()), ordering: .releasing)
        }
    }

    /// Links slot `id` (record already written; `v` is the prepared query form of its vector).
    ///
    /// Synchronisation (hnswlib `addPoint`): the node's header (level, upper-layer block,
    /// label) is written under the node's lock; the ready flag is OR-ed in under the slots
    /// mutex, the same mutex under which upserts and removes set the deleted flag, so neither
    /// bit can be lost. An insert whose level exceeds the current top level holds
    /// `entryMutex` for its whole linking and publishes itself as entry point before releasing
    /// it (hnswlib's `global` lock); so raises of the top level are serialised and each one
    /// descends from, and links to, the previous top node. Other inserts take no global lock.
    func insertNode<S: GraphSpace>(_ space: S, _ s: HNSWStorage, _ id: Int, _ v: UnsafePointer<Float>, label: UInt64) {
        let level = randomLevel(label: label)
        s.lock(id)
        let node = s.node(id)
        node.storeBytes(of: 0, as: UInt32.self)
        (node + s.linksOffset).initializeMemory(as: UInt8.self, repeating: 0, count: s.vectorOffset - s.linksOffset)
        (node + s.labelOffset).storeBytes(of: label, as: UInt64.self)
        if level > 0 {
            let b = UnsafeMutableRawPointer.allocate(byteCount: level * s.upperStride, alignment: 16)
            b.initializeMemory(as: UInt8.self, repeating: 0, count: level * s.upperStride)
            s.upper[id] = b
        }
        s.levels[id] = Int32(level)
        s.unlock(id)
        slots.withLock { _ in s.setFlags(id, s.flags(id) | HNSWStorage.readyFlag) }

        if let ep = entryPoint(), level <= ep.level {
            linkNode(space, s, id, v, level: level, entry: ep)
            return
        }
        // This node may become the new top: re-check and link under the entry mutex.
        let linked: Bool = entryMutex.withLock { _ in
            let ep = entryPoint()
            if let ep, level <= ep.level { return false }
            if let ep { linkNode(space, s, id, v, level: level, entry: ep) }
            entry.store(UInt64(level + 1) << 32 | UInt64(id), ordering: .releasing)
            return true
        }
        // Another insert raised the top to at least `level` meanwhile: link below it.
        if !linked { linkNode(space, s, id, v, level: level, entry: entryPoint()!) }
    }

    /// Greedy descent from `entry`, then on each layer `min(level, entry.level)...0`: search
    /// (efConstruction), select, write own links; then the back links, lowest layer first.
    func linkNode<S: GraphSpace>(_ space: S, _ s: HNSWStorage, _ id: Int, _ v: UnsafePointer<Float>, level: Int, entry ep: (id: Int, level: Int)) {
        var cur = ep.id
        var curDist = space.distance(v, s.record(cur))
        var lc = ep.level
        while lc > level {
            (cur, curDist) = greedyClosest(space, s, v, from: cur, distance: curDist, level: lc)
            lc -= 1
        }
        let scratch = takeScratch(capacity: s.capacity)
        defer { returnScratch(scratch) }
        let checkDeleted = deletedCount.load(ordering: .relaxed) > 0
        var layer = min(level, ep.level)
        var pending: [(Int, [Neighbor])] = []
        while layer >= 0 {
            searchLayer(space, s, v, entry: cur, entryDistance: curDist, level: layer,
                        ef: configuration.efConstruction, scratch: scratch, filter: nil, checkDeleted: checkDeleted)
            var cands = scratch.top.drainSortedAscending().filter { Int($0.id) != id }
            if cands.isEmpty { cands = [Neighbor(curDist, UInt32(cur))] }
            (cur, curDist) = (Int(cands[0].id), cands[0].distance)
            let selected = selectNeighbors(space, s, cands, m: maxM)
            setOwnLinks(s, id, selected, level: layer)
            pending.append((layer, selected))
            layer -= 1
        }
        // Back links only after every own list is written, lowest layer first: a search that
        // reaches the new node on any layer then finds its lower-layer links in place.
        for (l, selected) in pending.reversed() { linkBack(space, s, id, selected, level: l) }
    }

    /// The neighbour-selection heuristic (Algorithm 4 of the paper, hnswlib
    /// `getNeighborsByHeuristic2`): walking candidates nearest first, keep one only if it is
    /// closer to the base than to every neighbour kept so far. `cands` must be ascending.
    func selectNeighbors<S: GraphSpace>(_ space: S, _ s: HNSWStorage, _ cands: [Neighbor], m: Int) -> [Neighbor] {
        if cands.count <= m { return cands }
        var result: [Neighbor] = []
        result.reserveCapacity(m)
        if S.recordsNeedPreparation {
            // Int8 records: put each candidate in query form once (O(d)), then every
            // comparison is one asymmetric pass instead of decoding two codes.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: space.preparedCount) { buf in
                let q = buf.baseAddress!
                for c in cands {
                    if result.count >= m { break }
                    space.prepare(node: s.record(Int(c.id)), into: q)
                    var good = true
                    for r in result where space.distance(q, s.record(Int(r.id))) < c.distance {
                        good = false
                        break
                    }
                    if good { result.append(c) }
                }
            }
            return result
        }
        for c in cands {
            if result.count >= m { break }
            let cv = s.record(Int(c.id))
            var good = true
            for r in result where space.distance(node: cv, node: s.record(Int(r.id))) < c.distance {
                good = false
                break
            }
            if good { result.append(c) }
        }
        return result
    }

    /// Writes the out-links of `id` on `level` (nobody links to `id` yet, so no reader sees them).
    func setOwnLinks(_ s: HNSWStorage, _ id: Int, _ selected: [Neighbor], level: Int) {
        let ids = selected.map(\.id)
        s.lock(id)
        ids.withUnsafeBufferPointer { s.setLinks(id, level: level, $0) }
        s.unlock(id)
    }

    /// Adds `id` to the neighbour lists of `selected` on `level` (hnswlib
    /// `mutuallyConnectNewElement`), shrinking a full list with the heuristic.
    func linkBack<S: GraphSpace>(_ space: S, _ s: HNSWStorage, _ id: Int, _ selected: [Neighbor], level: Int) {
        let mLevel = level == 0 ? maxM0 : maxM
        for nb in selected {
            let n = Int(nb.id)
            s.lock(n)
            defer { s.unlock(n) }
            let list = s.links(n, level: level)
            if list.contains(UInt32(id)) { continue }
            if list.count < mLevel {
                let head = s.linkList(n, level: level)
                let link0 = level == 0 ? head + 2 : head + 1
                link0[list.count] = UInt32(id)
                head.pointee = UInt32(list.count + 1)
            } else {
                let nv = s.record(n)
                var pool: [Neighbor] = [Neighbor(nb.distance, UInt32(id))]
                for x in list { pool.append(Neighbor(space.distance(node: nv, node: s.record(Int(x))), x)) }
                pool.sort { $0.distance < $1.distance }
                let keep = selectNeighbors(space, s, pool, m: mLevel).map(\.id)
                keep.withUnsafeBufferPointer { s.setLinks(n, level: level, $0) }
            }
        }
    }
}

/// Hands a pointer to worker threads of one `concurrentPerform` call that outlives none of them.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ pointer: UnsafePointer<T>) { self.pointer = pointer }
}
