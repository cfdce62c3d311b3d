import CVectorIndexShims
import Synchronization

extension HNSWIndex {
    /// How many neighbours ahead the graph walk and the re-scoring prefetch records: enough
    /// to hide a memory access behind the distances in between, few enough not to overflow
    /// the core's outstanding-miss buffers (prefetching all 32 at once measured 14 % slower at
    /// 100k vectors).
    static let prefetchAhead = 2

    /// Prefetches the cache lines of `bytes` bytes at `p`.
    @inline(__always) static func prefetch(_ p: UnsafeRawPointer, bytes: Int) {
        var line = 0
        while line < bytes {
            vi_prefetch(p + line)
            line &+= 64
        }
    }
    /// The approximately `k` nearest vectors to `query`, nearest first.
    ///
    /// - Parameters:
    ///   - ef: size of the dynamic candidate list (defaults to `configuration.efSearch`,
    ///     raised to `k`). Higher ef: higher recall, lower QPS.
    ///   - filter: when given, only labels it accepts are returned. The graph is still
    ///     traversed through rejected nodes and the search goes on until `ef` accepted nodes
    ///     are held (hnswlib's filtered search), so recall holds for selective filters at the
    ///     price of visiting more nodes; see ``search(_:k:ef:filter:exactBelow:)``.
    /// - Complexity: about O(ef * M * log n) distance evaluations; no lock is held.
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: ((UInt64) -> Bool)? = nil) throws(VectorIndexError) -> [SearchResult] {
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be positive, got \(k)") }
        let q = try prepared(query)
        let efValue = ef ?? configuration.efSearch
        guard efValue > 0 else { throw VectorIndexError(.invalidArgument, "ef must be positive, got \(efValue)") }
        return q.withUnsafeBufferPointer { search(unchecked: $0.baseAddress!, k: k, ef: efValue, filter: filter) }
    }

    /// Filtered search that switches to an exact scan of the accepted vectors when fewer than
    /// `exactBelow` of them exist (counting costs one predicate call per slot). Use when the
    /// filter may be very selective: graph search then has to visit almost every node anyway.
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: @escaping (UInt64) -> Bool, exactBelow: Int) throws(VectorIndexError) -> [SearchResult] {
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be positive, got \(k)") }
        let q = try prepared(query)
        let s = storage
        let n = slotCount
        var accepted: [Int] = []
        for id in 0..<min(n, s.capacity) where s.flags(id) & HNSWStorage.readyFlag != 0 && !s.isDeleted(id) && filter(s.label(id)) {
            accepted.append(id)
            if accepted.count >= exactBelow { break }
        }
        if accepted.count >= exactBelow {
            return try search(q, k: k, ef: ef, filter: filter)
        }
        var heap = NeighborHeap(capacity: k + 1)
        q.withUnsafeBufferPointer { qb in
            for id in accepted {
                let d = metric.distance(qb.baseAddress!, storedVector(s, id), count: dimension)
                if heap.count < k { heap.push(Neighbor(d, UInt32(id))) } else if d < heap.top.distance {
                    heap.pop()
                    heap.push(Neighbor(d, UInt32(id)))
                }
            }
        }
        return heap.drainSortedAscending().map { SearchResult(label: s.label(Int($0.id)), distance: $0.distance) }
    }

    /// Search without validation or copying: `query` must hold `dimension` finite floats and be
    /// unit length for the cosine metric. The benchmark's hot path.
    public func search(unchecked query: UnsafePointer<Float>, k: Int, ef: Int, filter: ((UInt64) -> Bool)? = nil) -> [SearchResult] {
        withPreparedQuery(query) { q in
            switch (metric, sqParams) {
            case (.l2, nil): return searchImpl(FloatL2Space(d: dimension), q, k: k, ef: ef, filter: filter)
            case (_, nil): return searchImpl(FloatIPSpace(d: dimension), q, k: k, ef: ef, filter: filter)
            case (.l2, let p?): return searchImpl(SQ8L2Space(d: dimension, params: p), q, k: k, ef: ef, filter: filter)
            case (_, let p?): return searchImpl(SQ8IPSpace(d: dimension, params: p), q, k: k, ef: ef, filter: filter)
            }
        }
    }

    /// Graph search for `max(ef, k)` candidates, then exact re-scoring with full vectors from
    /// `full` (row = label), returning the best `k`. Used with int8 indexes whose full vectors
    /// stay on disk, where every re-scored row is a memory-mapped read, so as few are read as
    /// the answer allows:
    /// - `rescoreCount` given: the best `rescoreCount` candidates by code distance.
    /// - inner product and cosine (default): candidates in code order until the next one's
    ///   code distance, less the query's bound on the code error (``codeErrorBound(_:)``), is
    ///   above the k-th exact distance so far. None after it can enter the top k, so the answer
    ///   equals re-scoring all `ef` candidates (when every stored vector lies within the
    ///   quantizer's trained range, as when it was trained on the data it indexes; a vector
    ///   clamped into the range can be off by more, so pass `rescoreCount` then). On the
    ///   MiniLM sets about 13 rows are read for k = 10 instead of 32 at ef 32.
    /// - squared L2 (default): the best `2k` by code distance (the true top k sat in the code
    ///   ranking's top 2k at every ef on both benchmark sets).
    /// `query` as for ``search(unchecked:k:ef:filter:)``.
    public func search(unchecked query: UnsafePointer<Float>, k: Int, ef: Int, rescoreWith full: FullVectorSource,
                       rescoreCount: Int? = nil) -> [SearchResult] {
        let cands = search(unchecked: query, k: max(ef, k), ef: ef)
        let bound = rescoreCount == nil ? codeErrorBound(query) : nil
        let count = bound == nil ? min(cands.count, max(k, rescoreCount ?? 2 * k)) : cands.count
        let rowBytes = dimension * 4
        @inline(__always) func prefetchRow(_ a: Int) {
            let label = Int(cands[a].label)
            if label < full.rows { HNSWIndex.prefetch(full.row(label), bytes: rowBytes) }
        }
        let ahead = HNSWIndex.prefetchAhead
        for a in 0..<min(count, ahead) { prefetchRow(a) }
        var heap = NeighborHeap(capacity: k + 1)
        for i in 0..<count where Int(cands[i].label) < full.rows {
            if let bound, heap.count == k, cands[i].distance - bound > heap.top.distance { break }
            if i &+ ahead < count { prefetchRow(i &+ ahead) }
            let c = cands[i]
            let d = metric.distance(query, full.row(Int(c.label)), count: dimension)
            if heap.count < k { heap.push(Neighbor(d, UInt32(i))) } else if d < heap.top.distance {
                heap.pop()
                heap.push(Neighbor(d, UInt32(i)))
            }
        }
        return heap.drainSortedAscending().map { SearchResult(label: cands[Int($0.id)].label, distance: $0.distance) }
    }

    /// For int8 inner-product (and cosine) indexes, a bound on |code distance − exact
    /// distance| for `query` against any stored vector: each decoded coordinate is within
    /// half a step (`scale_j / 2`) of the original, so the dot product moves by at most
    /// `Σ |q_j| scale_j / 2`; the query's int16 weights add at most `α/2 · 255 · d`, and a
    /// small slack covers float rounding. Nil for other indexes.
    func codeErrorBound(_ query: UnsafePointer<Float>) -> Float? {
        guard let p = sqParams, metric != .l2 else { return nil }
        let d = dimension
        var decode: Float = 0, largestWeight: Float = 0
        for j in 0..<d {
            let w = abs(query[j]) * p[d + j]
            decode += w
            largestWeight = max(largestWeight, w)
        }
        let alpha = largestWeight / 32767
        return decode / 2 + alpha / 2 * 255 * Float(d) + 1e-5
    }

    @inline(__always)
    func withPreparedQuery<R>(_ query: UnsafePointer<Float>, _ body: (UnsafePointer<Float>) -> R) -> R {
        if sqParams == nil { return body(query) }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: preparedCount) { buf in
            prepareQuery(query, into: buf.baseAddress!)
            return body(buf.baseAddress!)
        }
    }

    func searchImpl<S: GraphSpace>(_ space: S, _ q: UnsafePointer<Float>, k: Int, ef: Int, filter: ((UInt64) -> Bool)?) -> [SearchResult] {
        // Entry first, then storage: the storage is then at least as new as the entry.
        guard let ep = entryPoint() else { return [] }
        let s = storage
        var cur = ep.id
        var curDist = space.distance(q, s.record(cur))
        var level = ep.level
        while level > 0 {
            (cur, curDist) = greedyClosest(space, s, q, from: cur, distance: curDist, level: level)
            level -= 1
        }
        let scratch = takeScratch(capacity: s.capacity)
        defer { returnScratch(scratch) }
        let checkDeleted = deletedCount.load(ordering: .relaxed) > 0
        searchLayer(space, s, q, entry: cur, entryDistance: curDist, level: 0, ef: max(ef, k),
                    scratch: scratch, filter: filter, checkDeleted: checkDeleted)
        while scratch.top.count > k { scratch.top.pop() }
        var out = [SearchResult](repeating: SearchResult(label: 0, distance: 0), count: scratch.top.count)
        var i = out.count - 1
        while !scratch.top.isEmpty {
            let n = scratch.top.pop()
            out[i] = SearchResult(label: s.label(Int(n.id)), distance: n.distance)
            i -= 1
        }
        return out
    }

    /// Greedy walk on an upper layer: move to the closest neighbour until none is closer.
    @inline(__always)
    func greedyClosest<S: GraphSpace>(_ space: S, _ s: HNSWStorage, _ q: UnsafePointer<Float>, from start: Int, distance startDistance: Float, level: Int) -> (Int, Float) {
        var cur = start, curDist = startDistance
        let cap = s.capacity
        var changed = true
        while changed {
            changed = false
            for nid in s.links(cur, level: level) {
                let n = Int(nid)
                if n >= cap { continue }
                let dist = space.distance(q, s.record(n))
                if dist < curDist {
                    curDist = dist
                    cur = n
                    changed = true
                }
            }
        }
        return (cur, curDist)
    }

    /// Best-first search of one layer (Algorithm 2 of the paper; hnswlib `searchBaseLayerST`).
    /// Leaves the best `ef` allowed nodes in `scratch.top` (a max-heap).
    func searchLayer<S: GraphSpace>(
        _ space: S, _ s: HNSWStorage, _ q: UnsafePointer<Float>, entry: Int, entryDistance: Float,
        level: Int, ef: Int, scratch: SearchScratch, filter: ((UInt64) -> Bool)?, checkDeleted: Bool
    ) {
        let tag = scratch.begin(capacity: s.capacity)
        let tags = scratch.tags
        let pending = scratch.pending(maxM0)
        let recordBytes = vectorBytes
        let prefetchAhead = HNSWIndex.prefetchAhead
        @inline(__always) func prefetchRecord(_ rec: UnsafeMutableRawPointer) { HNSWIndex.prefetch(rec, bytes: recordBytes) }
        let cap = s.capacity
        let needsCheck = checkDeleted || filter != nil
        var top = NeighborHeap()
        var candidates = NeighborHeap()
        swap(&top, &scratch.top)
        swap(&candidates, &scratch.candidates)
        defer {
            swap(&top, &scratch.top)
            swap(&candidates, &scratch.candidates)
        }
        @inline(__always) func allowed(_ id: Int) -> Bool {
            if checkDeleted && s.isDeleted(id) { return false }
            if let filter { return filter(s.label(id)) }
            return true
        }
        var lowerBound: Float
        if !needsCheck || allowed(entry) {
            top.push(Neighbor(entryDistance, UInt32(entry)))
            lowerBound = entryDistance
        } else {
            lowerBound = .infinity
        }
        candidates.push(Neighbor(-entryDistance, UInt32(entry)))
        tags[entry] = tag
        while !candidates.isEmpty {
            let c = candidates.top
            if -c.distance > lowerBound && (top.count >= ef || !needsCheck) { break }
            candidates.pop()
            let list = s.links(Int(c.id), level: level)
            // Gather the unvisited neighbours and prefetch all their records first, so their
            // cache misses overlap (FAISS batches neighbour distances for the same reason).
            if !candidates.isEmpty { vi_prefetch(s.linkList(Int(candidates.top.id), level: level)) }
            var fresh = 0
            for nid in list {
                let n = Int(nid)
                if n >= cap || tags[n] == tag { continue }
                tags[n] = tag
                pending[fresh] = nid
                fresh &+= 1
            }
            // Software pipeline: the records of the next `prefetchAhead` neighbours are on
            // their way while one distance is computed (prefetching all of them at once
            // overflows the core's miss buffers and stalls).
            for j in 0..<min(fresh, prefetchAhead) { prefetchRecord(s.record(Int(pending[j]))) }
            for j in 0..<fresh {
                if j &+ prefetchAhead < fresh { prefetchRecord(s.record(Int(pending[j &+ prefetchAhead]))) }
                let nid = pending[j]
                let n = Int(nid)
                let dist = space.distance(q, s.record(n))
                if top.count < ef || dist < lowerBound {
                    candidates.push(Neighbor(-dist, nid))
                    if !needsCheck || allowed(n) {
                        top.push(Neighbor(dist, nid))
                        if top.count > ef { top.pop() }
                    }
                    if !top.isEmpty { lowerBound = top.top.distance }
                }
            }
        }
    }
}
