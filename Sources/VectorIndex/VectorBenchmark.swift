#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The benchmark core behind `mlplane vectors benchmark` and `VectorIndexBench`: build an
/// index over a base set, sweep `ef` (after one untimed warm-up pass over the queries), and
/// measure recall@k against ground truth, single-thread QPS, build time and index memory.
public enum VectorBenchmark {
    /// Which index the benchmark builds.
    public enum Quantization: String, Sendable, Codable, CaseIterable {
        /// HNSW over full float32 vectors.
        case none
        /// HNSW over per-dimension int8 codes only; the `ef` final candidates are re-scored
        /// exactly from full vectors memory-mapped from disk (unless `rescore` is off).
        case int8
        /// Sign-bit codes scanned by Hamming distance, `ef * oversample` candidates re-scored
        /// exactly from full vectors memory-mapped from disk.
        case binary
        /// Product-quantised codes scanned with ADC tables, candidates re-scored exactly from
        /// full vectors memory-mapped from disk.
        case pq
    }

    /// What to run.
    public struct Configuration: Sendable {
        public var metric: DistanceMetric
        public var k: Int
        public var m: Int
        public var efConstruction: Int
        public var efValues: [Int]
        public var quantization: Quantization
        /// Threads used to build (search is always single-threaded).
        public var buildThreads: Int
        /// Binary/PQ: candidates re-scored per query are `ef * oversample`.
        public var oversample: Int
        /// Int8: re-score the final candidates exactly from the full vectors (the default), or
        /// return the int8 ranking as it is, as FAISS's HNSW-SQ8 does (no full vectors at all).
        public var rescore: Bool
        /// Directory for the on-disk full vectors of binary/PQ re-scoring (temporary file).
        public var scratchDirectory: String
        public var seed: UInt64
        /// PQ: number of subspaces (nil: dimension / 8) and centroids per subspace.
        public var pqSubspaces: Int?
        public var pqCentroids: Int

        public init(
            metric: DistanceMetric, k: Int = 10, m: Int = 16, efConstruction: Int = 200,
            efValues: [Int] = [16, 32, 64, 128, 256], quantization: Quantization = .none,
            buildThreads: Int = 1, oversample: Int = 4, rescore: Bool = true, scratchDirectory: String = "/tmp", seed: UInt64 = 100,
            pqSubspaces: Int? = nil, pqCentroids: Int = 256
        ) {
            self.rescore = rescore
            self.pqSubspaces = pqSubspaces
            self.pqCentroids = pqCentroids
            self.metric = metric
            self.k = k
            self.m = m
            self.efConstruction = efConstruction
            self.efValues = efValues
            self.quantization = quantization
            self.buildThreads = buildThreads
            self.oversample = oversample
            self.scratchDirectory = scratchDirectory
            self.seed = seed
        }
    }

    /// One point of the ef sweep.
    public struct Point: Sendable, Codable, Hashable {
        public var ef: Int
        public var recallAtK: Double
        public var qps: Double
        enum CodingKeys: String, CodingKey {
            case ef
            case recallAtK = "recall_at_k"
            case qps
        }
        public init(ef: Int, recallAtK: Double, qps: Double) {
            self.ef = ef
            self.recallAtK = recallAtK
            self.qps = qps
        }
    }

    /// The result, encoded as `{"build_seconds", "index_bytes", "results": [{"ef", "recall_at_k", "qps"}],
    /// "flat_qps"}`.
    public struct Result: Sendable, Codable, Hashable {
        public var buildSeconds: Double
        /// Bytes the index keeps in memory (codes, graph, ids); full vectors left on disk for
        /// re-scoring are not counted.
        public var indexBytes: Int
        public var results: [Point]
        /// Single-thread QPS of the exact flat scan (``FlatIndex``) over the same base, one
        /// query at a time as the index searches are timed: the baseline of "x the flat scan".
        public var flatQPS: Double?
        enum CodingKeys: String, CodingKey {
            case buildSeconds = "build_seconds"
            case indexBytes = "index_bytes"
            case results
            case flatQPS = "flat_qps"
        }
        public init(buildSeconds: Double, indexBytes: Int, results: [Point], flatQPS: Double? = nil) {
            self.buildSeconds = buildSeconds
            self.indexBytes = indexBytes
            self.results = results
            self.flatQPS = flatQPS
        }
    }

    /// Queries timed for the flat-scan baseline when ground truth is given (enough for a
    /// stable figure; a flat scan of 1M x 384 floats takes ~100 ms per query).
    static let flatTimingQueries = 200

    /// Reads the files and runs ``run(base:queries:groundTruth:configuration:)``.
    /// `groundTruthPath` nil: exact ground truth is computed with a ``FlatIndex``.
    public static func run(basePath: String, queriesPath: String, groundTruthPath: String?, configuration: Configuration) throws(VectorIndexError) -> Result {
        let base = try VectorFile.readFloat32(path: basePath)
        let queries = try VectorFile.readFloat32(path: queriesPath)
        var gt: VectorMatrix<Int32>? = nil
        if let groundTruthPath { gt = try VectorFile.readInt32(path: groundTruthPath) }
        return try run(base: base, queries: queries, groundTruth: gt, configuration: configuration)
    }

    /// Exact top-k row ids of every query (ground truth), by flat scan.
    public static func exactNeighbors(base: VectorMatrix<Float>, queries: VectorMatrix<Float>, k: Int, metric: DistanceMetric) throws(VectorIndexError) -> VectorMatrix<Int32> {
        try timedExactNeighbors(base: base, queries: queries, count: queries.rows, k: k, metric: metric).truth
    }

    /// Exact top-k of the first `count` queries by a ``FlatIndex`` scan, one query at a time,
    /// and the scan's queries per second (the index copy is not timed).
    static func timedExactNeighbors(base: VectorMatrix<Float>, queries: VectorMatrix<Float>, count: Int, k: Int,
                                    metric: DistanceMetric) throws(VectorIndexError) -> (truth: VectorMatrix<Int32>, qps: Double) {
        var flat = FlatIndex(dimension: base.columns, metric: metric)
        try flat.add(rows: base.values)
        var out: [Int32] = []
        out.reserveCapacity(count * k)
        let clock = ContinuousClock()
        let t0 = clock.now
        for qi in 0..<count {
            let r = try flat.search(queries.row(qi), k: k)
            for j in 0..<k { out.append(j < r.count ? Int32(r[j].label) : -1) }
        }
        let qps = Double(count) / max(seconds(clock.now - t0), 1e-9)
        return (VectorMatrix(rows: count, columns: k, values: out), qps)
    }

    /// recall@k: the fraction of the true top-k found among the returned top-k, averaged.
    public static func recall(found: [[UInt64]], truth: VectorMatrix<Int32>, k: Int) -> Double {
        var hits = 0
        for (qi, f) in found.enumerated() {
            let t = Set((0..<min(k, truth.columns)).map { UInt64(truth.values[qi * truth.columns + $0]) })
            hits += f.prefix(k).filter { t.contains($0) }.count
        }
        return Double(hits) / Double(max(1, found.count * min(k, truth.columns)))
    }

    public static func run(base: VectorMatrix<Float>, queries: VectorMatrix<Float>, groundTruth: VectorMatrix<Int32>?, configuration c: Configuration) throws(VectorIndexError) -> Result {
        guard base.columns == queries.columns else {
            throw VectorIndexError(.dimensionMismatch, "base has dimension \(base.columns), queries \(queries.columns)")
        }
        guard c.k > 0, !c.efValues.isEmpty else { throw VectorIndexError(.invalidArgument, "k must be positive and ef values non-empty") }
        let truth: VectorMatrix<Int32>
        let flatQPS: Double
        if let groundTruth {
            truth = groundTruth
            flatQPS = try timedExactNeighbors(base: base, queries: queries, count: min(queries.rows, flatTimingQueries), k: c.k, metric: c.metric).qps
        } else {
            (truth, flatQPS) = try timedExactNeighbors(base: base, queries: queries, count: queries.rows, k: c.k, metric: c.metric)
        }
        guard truth.rows == queries.rows else {
            throw VectorIndexError(.dimensionMismatch, "ground truth has \(truth.rows) rows for \(queries.rows) queries")
        }
        let searcher = try makeSearcher(base: base, configuration: c)
        var qs = queries.values
        if c.metric.normalizes {
            for i in 0..<queries.rows {
                var row = queries.row(i)
                Distance.normalize(&row)
                qs.replaceSubrange(i * queries.columns ..< (i + 1) * queries.columns, with: row)
            }
        }
        var points: [Point] = []
        let d = queries.columns
        // One untimed pass at the first ef: the first touch of memory-mapped full vectors
        // costs a page fault each, which is start-up, not search (the bench script warms the
        // peers the same way).
        qs.withUnsafeBufferPointer { qb in
            for qi in 0..<queries.rows { _ = searcher.search(qb.baseAddress! + qi * d, c.k, c.efValues[0]) }
        }
        for ef in c.efValues {
            var found: [[UInt64]] = []
            found.reserveCapacity(queries.rows)
            let clock = ContinuousClock()
            let t0 = clock.now
            qs.withUnsafeBufferPointer { qb in
                for qi in 0..<queries.rows {
                    found.append(searcher.search(qb.baseAddress! + qi * d, c.k, ef))
                }
            }
            let seconds = seconds(clock.now - t0)
            points.append(Point(ef: ef, recallAtK: recall(found: found, truth: truth, k: c.k), qps: Double(queries.rows) / seconds))
        }
        return Result(buildSeconds: searcher.buildSeconds, indexBytes: searcher.indexBytes, results: points, flatQPS: flatQPS)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The full vectors for exact re-scoring, written to the scratch directory and
    /// memory-mapped; the file is unlinked at once (the mapping stays valid, nothing is left).
    static func fullVectorsOnDisk(_ values: [Float], dimension: Int, _ c: Configuration) throws(VectorIndexError) -> FullVectorSource {
        let path = c.scratchDirectory + "/vectorindex-bench-full-\(c.seed).f32"
        let full = try FullVectorSource.writeAndMap(values: values, dimension: dimension, path: path)
        unlink(path)
        return full
    }

    static func normalizedRows(_ base: VectorMatrix<Float>, _ metric: DistanceMetric) -> [Float] {
        var values = base.values
        if metric.normalizes {
            for i in 0..<base.rows {
                var row = base.row(i)
                Distance.normalize(&row)
                values.replaceSubrange(i * base.columns ..< (i + 1) * base.columns, with: row)
            }
        }
        return values
    }

    struct Searcher {
        var buildSeconds: Double
        var indexBytes: Int
        var search: (UnsafePointer<Float>, Int, Int) -> [UInt64]
        /// Keeps objects (mapped files, indexes) alive for the closure.
        var owners: [AnyObject]
    }

    static func makeSearcher(base: VectorMatrix<Float>, configuration c: Configuration) throws(VectorIndexError) -> Searcher {
        let clock = ContinuousClock()
        switch c.quantization {
        case .none:
            let t0 = clock.now
            let index = try HNSWIndex(HNSWConfiguration(
                dimension: base.columns, metric: c.metric, m: c.m, efConstruction: c.efConstruction,
                seed: c.seed, initialCapacity: base.rows))
            try index.add(rows: base.values, labels: (0..<base.rows).map { UInt64($0) }, threads: c.buildThreads)
            let build = seconds(clock.now - t0)
            return Searcher(buildSeconds: build, indexBytes: index.memoryBytes, search: { q, k, ef in
                index.search(unchecked: q, k: k, ef: ef).map(\.label)
            }, owners: [index])
        case .int8:
            let values = normalizedRows(base, c.metric)
            let full = c.rescore ? try fullVectorsOnDisk(values, dimension: base.columns, c) : nil
            let t0 = clock.now
            let sq = try ScalarQuantizer(dimension: base.columns, training: values)
            let index = try HNSWIndex(HNSWConfiguration(
                dimension: base.columns, metric: c.metric, m: c.m, efConstruction: c.efConstruction,
                seed: c.seed, initialCapacity: base.rows), quantizer: sq)
            try index.add(rows: values, labels: (0..<base.rows).map { UInt64($0) }, threads: c.buildThreads)
            let build = seconds(clock.now - t0)
            guard let full else {
                return Searcher(buildSeconds: build, indexBytes: index.memoryBytes, search: { q, k, ef in
                    index.search(unchecked: q, k: k, ef: ef).map(\.label)
                }, owners: [index])
            }
            return Searcher(buildSeconds: build, indexBytes: index.memoryBytes, search: { q, k, ef in
                index.search(unchecked: q, k: k, ef: ef, rescoreWith: full).map(\.label)
            }, owners: [index, full])
        case .binary, .pq:
            let values = normalizedRows(base, c.metric)
            let full = try fullVectorsOnDisk(values, dimension: base.columns, c)
            let t0 = clock.now
            let codec: QuantizedFlatIndex.Codec
            var rng = SplitMix64(seed: c.seed)
            switch c.quantization {
            case .binary: codec = .binary(try BinaryQuantizer(dimension: base.columns, training: values))
            case .pq:
                let sub = c.pqSubspaces ?? (base.columns % 8 == 0 ? base.columns / 8 : base.columns)
                let sample = Array(values.prefix(min(base.rows, 10_000) * base.columns))
                codec = .product(try ProductQuantizer(dimension: base.columns, subspaces: sub, training: sample, iterations: 12, centroids: c.pqCentroids, using: &rng))
            default: throw VectorIndexError(.invalidArgument, "unreachable quantization")
            }
            let index = try QuantizedFlatIndex(values: values, dimension: base.columns, metric: c.metric, codec: codec, full: full)
            let build = seconds(clock.now - t0)
            let over = c.oversample
            return Searcher(buildSeconds: build, indexBytes: index.memoryBytes, search: { q, k, ef in
                index.search(unchecked: q, k: k, candidates: ef * over).map(\.label)
            }, owners: [index])
        }
    }
}
