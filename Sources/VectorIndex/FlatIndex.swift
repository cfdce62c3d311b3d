/// An exact (brute-force) index: every search scans all vectors. O(n * d) per query.
///
/// It is the recall oracle for the approximate indexes and the baseline the benchmark
/// compares against (FAISS `IndexFlat`, hnswlib `BFIndex`). Vectors are kept in one
/// contiguous row-major buffer; removal swaps the last row into the hole.
public struct FlatIndex: Sendable {
    public let dimension: Int
    public let metric: DistanceMetric
    @usableFromInline var vectors: [Float] = []
    @usableFromInline var labels: [UInt64] = []
    @usableFromInline var rowOfLabel: [UInt64: Int] = [:]

    public init(dimension: Int, metric: DistanceMetric) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        self.metric = metric
    }

    /// Number of vectors.
    public var count: Int { labels.count }

    /// Bytes held by vectors and labels (the map from label to row not counted).
    public var memoryBytes: Int { vectors.count * 4 + labels.count * 8 }

    /// Adds or replaces the vector with `label`. Cosine indexes store it normalised.
    public mutating func add(_ vector: [Float], label: UInt64) throws(VectorIndexError) {
        try validate(vector, dimension: dimension)
        var v = vector
        if metric.normalizes, !Distance.normalize(&v) {
            throw VectorIndexError(.invalidValue, "zero vector has no direction for cosine")
        }
        if let row = rowOfLabel[label] {
            vectors.replaceSubrange(row * dimension ..< (row + 1) * dimension, with: v)
        } else {
            rowOfLabel[label] = labels.count
            labels.append(label)
            vectors.append(contentsOf: v)
        }
    }

    /// Adds `n` rows from a row-major buffer with labels `firstLabel ..< firstLabel + n`.
    public mutating func add(rows: [Float], firstLabel: UInt64 = 0) throws(VectorIndexError) {
        guard rows.count % dimension == 0 else {
            throw VectorIndexError(.dimensionMismatch, "row buffer of \(rows.count) floats is not a multiple of dimension \(dimension)")
        }
        for r in 0..<(rows.count / dimension) {
            try add(Array(rows[r * dimension ..< (r + 1) * dimension]), label: firstLabel + UInt64(r))
        }
    }

    /// Removes the vector with `label`; returns whether it was there.
    @discardableResult
    public mutating func remove(label: UInt64) -> Bool {
        guard let row = rowOfLabel.removeValue(forKey: label) else { return false }
        let last = labels.count - 1
        if row != last {
            let moved = labels[last]
            labels[row] = moved
            rowOfLabel[moved] = row
            for j in 0..<dimension { vectors[row * dimension + j] = vectors[last * dimension + j] }
        }
        labels.removeLast()
        vectors.removeLast(dimension)
        return true
    }

    /// The stored vector of `label` (normalised for cosine), or nil.
    public func vector(label: UInt64) -> [Float]? {
        guard let row = rowOfLabel[label] else { return nil }
        return Array(vectors[row * dimension ..< (row + 1) * dimension])
    }

    /// The exact `k` nearest vectors to `query`, nearest first; ties broken by insertion order.
    /// `filter`, when given, admits only labels for which it returns true.
    public func search(_ query: [Float], k: Int, filter: ((UInt64) -> Bool)? = nil) throws(VectorIndexError) -> [SearchResult] {
        try validate(query, dimension: dimension, what: "query")
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be positive, got \(k)") }
        var q = query
        if metric.normalizes, !Distance.normalize(&q) {
            throw VectorIndexError(.invalidValue, "zero query has no direction for cosine")
        }
        var heap = NeighborHeap(capacity: k + 1)
        let d = dimension, metric = self.metric
        vectors.withUnsafeBufferPointer { vb in
            q.withUnsafeBufferPointer { qb in
                for row in 0..<labels.count {
                    if let filter, !filter(labels[row]) { continue }
                    let dist = metric.distance(qb.baseAddress!, vb.baseAddress! + row * d, count: d)
                    if heap.count < k {
                        heap.push(Neighbor(dist, UInt32(row)))
                    } else if dist < heap.top.distance {
                        heap.pop()
                        heap.push(Neighbor(dist, UInt32(row)))
                    }
                }
            }
        }
        return heap.drainSortedAscending().map { SearchResult(label: labels[Int($0.id)], distance: $0.distance) }
    }
}
