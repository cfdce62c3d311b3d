/// A compressed flat index: every vector is kept only as a code (binary sign bits, product
/// quantization or int8) and searched by a full scan of the codes; the best
/// `candidates` are then re-scored with the exact distance on full vectors from a
/// ``FullVectorSource`` (typically memory-mapped, so they do not count as index memory).
///
/// Labels are row numbers of the full-vector source (`0..<n`).
/// Cost per query: O(n * code bytes) for the scan + O(candidates * d) for re-scoring.
public final class QuantizedFlatIndex: @unchecked Sendable {
    public enum Codec: Sendable {
        case binary(BinaryQuantizer)
        case product(ProductQuantizer)
        case scalar(ScalarQuantizer)
    }

    public let dimension: Int
    public let metric: DistanceMetric
    public let codec: Codec
    public let full: FullVectorSource?
    let codeBytes: Int
    var codes: [UInt8] = []
    public private(set) var count = 0

    /// Encodes rows `0..<n` of row-major `values` (already normalised for cosine).
    public init(values: [Float], dimension: Int, metric: DistanceMetric, codec: Codec, full: FullVectorSource?) throws(VectorIndexError) {
        guard values.count % dimension == 0 else {
            throw VectorIndexError(.dimensionMismatch, "\(values.count) floats is not a multiple of dimension \(dimension)")
        }
        self.dimension = dimension
        self.metric = metric
        self.codec = codec
        self.full = full
        switch codec {
        case .binary(let b): codeBytes = b.words * 8
        case .product(let p): codeBytes = p.subspaces
        case .scalar: codeBytes = dimension
        }
        let n = values.count / dimension
        codes.reserveCapacity(n * codeBytes)
        for r in 0..<n { append(Array(values[r * dimension ..< (r + 1) * dimension])) }
    }

    func append(_ v: [Float]) {
        switch codec {
        case .binary(let b): b.encode(v).withUnsafeBytes { codes.append(contentsOf: $0) }
        case .product(let p): codes += p.encode(v)
        case .scalar(let s): codes += s.encode(v)
        }
        count += 1
    }

    /// Bytes in memory: codes plus codec parameters (full vectors excluded when mapped).
    public var memoryBytes: Int {
        var b = codes.count
        switch codec {
        case .binary(let q): b += q.thresholds.count * 4
        case .product(let p): b += p.codebooks.count * 4
        case .scalar(let s): b += s.mins.count * 8
        }
        return b + (full?.residentBytes ?? 0)
    }

    /// The `k` nearest rows: scan codes for the best `candidates`, re-score them exactly when
    /// full vectors are present (else return code distances).
    /// `query` must hold `dimension` floats (unit length for cosine).
    public func search(unchecked query: UnsafePointer<Float>, k: Int, candidates: Int) -> [SearchResult] {
        let c = max(k, candidates)
        var heap = NeighborHeap(capacity: c + 1)
        let q = Array(UnsafeBufferPointer(start: query, count: dimension))
        @inline(__always) func offer(_ d: Float, _ i: Int) {
            if heap.count < c { heap.push(Neighbor(d, UInt32(i))) } else if d < heap.top.distance {
                heap.pop()
                heap.push(Neighbor(d, UInt32(i)))
            }
        }
        codes.withUnsafeBufferPointer { cb in
            let base = cb.baseAddress!
            switch codec {
            case .binary(let b):
                let qc = b.encode(q)
                let words = b.words
                qc.withUnsafeBufferPointer { qb in
                    UnsafeRawPointer(base).withMemoryRebound(to: UInt64.self, capacity: count * words) { cw in
                        for i in 0..<count { offer(Float(Distance.hamming(qb.baseAddress!, cw + i * words, words: words)), i) }
                    }
                }
            case .product(let p):
                let table = p.distanceTable(q, metric: metric)
                let m = p.subspaces
                table.withUnsafeBufferPointer { tb in
                    for i in 0..<count { offer(ProductQuantizer.adc(tb.baseAddress!, base + i * m, subspaces: m), i) }
                }
            case .scalar(let s):
                let pq = s.prepare(q, metric: metric)
                let d = dimension
                pq.weights.withUnsafeBufferPointer { wb in
                    pq.shifted.withUnsafeBufferPointer { sb in
                        for i in 0..<count {
                            offer(ScalarQuantizer.distance(wb.baseAddress!, sb.baseAddress, constant: pq.constant, code: base + i * d, count: d, metric: metric), i)
                        }
                    }
                }
            }
        }
        guard let full else {
            while heap.count > k { heap.pop() }
            return heap.drainSortedAscending().map { SearchResult(label: UInt64($0.id), distance: $0.distance) }
        }
        var exact = NeighborHeap(capacity: k + 1)
        while !heap.isEmpty {
            let cand = heap.pop()
            let d = metric.distance(query, full.row(Int(cand.id)), count: dimension)
            if exact.count < k { exact.push(Neighbor(d, cand.id)) } else if d < exact.top.distance {
                exact.pop()
                exact.push(Neighbor(d, cand.id))
            }
        }
        return exact.drainSortedAscending().map { SearchResult(label: UInt64($0.id), distance: $0.distance) }
    }

    /// Validating search: `query` is checked and normalised for cosine.
    public func search(_ query: [Float], k: Int, candidates: Int) throws(VectorIndexError) -> [SearchResult] {
        try validate(query, dimension: dimension, what: "query")
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be positive, got \(k)") }
        var q = query
        if metric.normalizes, !Distance.normalize(&q) {
            throw VectorIndexError(.invalidValue, "zero query has no direction for the cosine metric")
        }
        return q.withUnsafeBufferPointer { search(unchecked: $0.baseAddress!, k: k, candidates: candidates) }
    }
}
