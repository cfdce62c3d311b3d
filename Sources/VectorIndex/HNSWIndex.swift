import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Hierarchical Navigable Small World graph index (Malkov & Yashunin, TPAMI 2018),
/// following the design of hnswlib's `hnswalg.h`: vectors and layer-0 links at a fixed stride
/// in one allocation, a generation-tagged visited set, the neighbour-selection heuristic
/// (Algorithm 4 of the paper), levels drawn with `mL = 1 / ln(M)`.
///
/// Labels are caller-chosen `UInt64`s (string ids are mapped to labels by ``VectorStore``).
///
/// Vectors are stored as float32, or, when created with a ``ScalarQuantizer``, only as
/// per-dimension int8 codes (4x less memory and memory traffic; FAISS's `IndexHNSWSQ`);
/// ``search(unchecked:k:ef:rescoreWith:)`` then re-scores the final candidates exactly from
/// full vectors that may stay on disk.
///
/// ## Concurrency
/// Any number of threads may search while others insert or delete:
/// - **Searches take no lock.** They load the entry word, then the current storage, with
///   atomic acquires, read link lists without locking (a writer stores the links before the
///   count, and every id it stores names a node whose vector is already written), and get
///   their scratch memory from a pool (a mutex held only to pop or push one object).
/// - **Writers** (insert, delete) share a read-write lock in read mode and lock one node at a
///   time (a per-node spin lock) while reading or rewriting its links, never two at once, so
///   they cannot deadlock. A new node's header (level, upper-layer block) is written under its
///   own lock; its ready flag and any tombstone flag are set under the slots mutex.
/// - **The entry point** (node and top level) is one atomic 64-bit word, written only under
///   `entryMutex`: an insert whose level exceeds the current top holds that mutex for its whole
///   linking (hnswlib's `global` lock), so raises are serialised; other inserts never take it.
/// - Only a capacity growth takes the read-write lock in write mode (no insert is then in
///   flight); it copies the graph into a storage twice as large and publishes it. The old
///   storage stays allocated until the index is released, so a search that began on it ends on
///   a consistent, slightly older graph.
/// - A node's level is a function of the seed and its **label**, not of the slot a thread
///   happens to claim, so a parallel build has the same layers as a sequential one.
///
/// Complexity: insert O(efConstruction * M * log n) distance evaluations, search O(ef * M * log n).
public final class HNSWIndex: @unchecked Sendable {
    public let configuration: HNSWConfiguration
    public var dimension: Int { configuration.dimension }
    public var metric: DistanceMetric { configuration.metric }
    let maxM: Int
    let maxM0: Int
    let levelMultiplier: Double
    /// Set when records are int8 codes.
    public let quantizer: ScalarQuantizer?
    /// Bytes of one stored vector record.
    let vectorBytes: Int
    /// Quantizer mins, scales, scales squared (3 d floats), stable for the index lifetime.
    let sqParams: UnsafeMutablePointer<Float>?

    /// All storages ever published (the last is current); guarded by `growthLock` for writes.
    var storages: [HNSWStorage]
    /// Opaque pointer bits of the current storage.
    let currentStorage: Atomic<UInt>
    /// (top level + 1) << 32 | entry id; 0 when empty.
    let entry = Atomic<UInt64>(0)
    let growthLock = ReadWriteLock()

    struct Slots {
        var count = 0
        var idOfLabel: [UInt64: UInt32] = [:]
        var deletedCount = 0
    }
    let slots = Mutex(Slots())
    let entryMutex = Mutex(())
    let deletedCount = Atomic<Int>(0)
    let scratchPool = Mutex<[SearchScratch]>([])

    /// Creates an empty index. With `quantizer`, vectors are kept only as its int8 codes.
    public init(_ configuration: HNSWConfiguration, quantizer: ScalarQuantizer? = nil) throws(VectorIndexError) {
        let c = try configuration.validated()
        if let quantizer, quantizer.dimension != c.dimension {
            throw VectorIndexError(.dimensionMismatch, "quantizer dimension \(quantizer.dimension), index dimension \(c.dimension)")
        }
        self.configuration = c
        self.quantizer = quantizer
        maxM = c.m
        maxM0 = 2 * c.m
        levelMultiplier = 1 / log(Double(c.m))
        if let quantizer {
            vectorBytes = c.dimension
            let p = UnsafeMutablePointer<Float>.allocate(capacity: 3 * c.dimension)
            for j in 0..<c.dimension {
                p[j] = quantizer.mins[j]
                p[c.dimension + j] = quantizer.scales[j]
                p[2 * c.dimension + j] = quantizer.scales[j] * quantizer.scales[j]
            }
            sqParams = p
        } else {
            vectorBytes = 4 * c.dimension
            sqParams = nil
        }
        let s = HNSWStorage(capacity: c.initialCapacity, vectorBytes: vectorBytes, maxM: maxM, maxM0: maxM0)
        storages = [s]
        currentStorage = Atomic(UInt(bitPattern: Unmanaged.passUnretained(s).toOpaque()))
    }

    deinit { sqParams?.deallocate() }

    /// The storage searches should read (acquire load; never freed before the index).
    @inline(__always) var storage: HNSWStorage {
        let bits = currentStorage.load(ordering: .acquiring)
        return Unmanaged<HNSWStorage>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).takeUnretainedValue()
    }

    /// Number of live (not deleted) vectors.
    public var count: Int { slots.withLock { $0.count - $0.deletedCount } }

    /// Number of slots in use, including tombstones.
    public var slotCount: Int { slots.withLock { $0.count } }

    /// Number of tombstoned slots waiting for ``compacted()``.
    public var tombstoneCount: Int { slots.withLock { $0.deletedCount } }

    /// Whether `label` is present (and not deleted).
    public func contains(label: UInt64) -> Bool { slots.withLock { $0.idOfLabel[label] != nil } }

    /// Live labels, in slot order.
    public var labels: [UInt64] {
        let ids = slots.withLock { Array($0.idOfLabel.values) }.sorted()
        let s = storage
        return ids.map { s.label(Int($0)) }
    }

    /// The stored vector of `label` (normalised when the metric is cosine; decoded from its
    /// int8 code when quantized), or nil.
    public func vector(label: UInt64) -> [Float]? {
        guard let id = slots.withLock({ $0.idOfLabel[label] }) else { return nil }
        return storedVector(storage, Int(id))
    }

    func storedVector(_ s: HNSWStorage, _ id: Int) -> [Float] {
        if let quantizer {
            return quantizer.decode(Array(UnsafeBufferPointer(start: s.record(id).assumingMemoryBound(to: UInt8.self), count: dimension)))
        }
        return Array(UnsafeBufferPointer(start: s.vector(id), count: dimension))
    }

    /// Writes the record of float vector `v` (copy, or int8 code).
    func writeRecord(_ s: HNSWStorage, _ id: Int, _ v: UnsafePointer<Float>) {
        if let quantizer {
            let out = s.record(id).assumingMemoryBound(to: UInt8.self)
            for j in 0..<dimension {
                let c = ((v[j] - quantizer.mins[j]) / quantizer.scales[j]).rounded()
                out[j] = UInt8(max(0, min(255, c)))
            }
        } else {
            s.vector(id).update(from: v, count: dimension)
        }
    }

    /// Floats of a prepared query for this index's space (`d`, or the int8 inner-product form).
    var preparedCount: Int { quantizer != nil && metric != .l2 ? SQ8IPSpace.preparedCount(dimension) : dimension }

    /// Fills `out` (``preparedCount`` floats) with the query as the graph space wants it.
    @inline(__always)
    func prepareQuery(_ q: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let d = dimension
        guard let p = sqParams else {
            out.update(from: q, count: d)
            return
        }
        if metric == .l2 {
            for j in 0..<d { out[j] = (q[j] - p[j]) / p[d + j] }
        } else {
            var c: Float = 0
            for j in 0..<d {
                out[j] = q[j] * p[d + j]
                c += q[j] * p[j]
            }
            out[d] = c
            SQ8IPSpace.quantizeWeights(out, d)
        }
    }

    /// Bytes the index holds in memory: layer-0 records (links, vectors, labels), upper-layer
    /// links, levels and locks of the current storage, plus the label map (estimated at
    /// 16 bytes per entry). Retired storages from past growths are not counted.
    public var memoryBytes: Int {
        growthLock.withReadLock {
            let n = slots.withLock { $0.count }
            return storage.memoryBytes(count: n) + n * 16
        }
    }

    @inline(__always) func entryPoint() -> (id: Int, level: Int)? {
        let e = entry.load(ordering: .acquiring)
        if e == 0 { return nil }
        return (Int(e & 0xFFFF_FFFF), Int(e >> 32) - 1)
    }

    /// The level of a node: a pure function of the seed and its label (`-ln(U) * mL`), so
    /// builds are reproducible whatever order threads claim slots in (with slot-based draws a
    /// parallel build gave each vector another level on every run, and recall varied with it).
    func randomLevel(label: UInt64) -> Int {
        let bits = SplitMix64.mix(configuration.seed &+ label &* 0x2545_F491_4F6C_DD1D)
        let u = (Double(bits >> 11) + 1) / 9_007_199_254_740_993.0
        return min(Int(-log(u) * levelMultiplier), 30)
    }

    func takeScratch(capacity: Int) -> SearchScratch {
        if let s = scratchPool.withLock({ $0.popLast() }) { return s }
        return SearchScratch(capacity: capacity)
    }

    func returnScratch(_ s: SearchScratch) {
        scratchPool.withLock { $0.append(s) }
    }

    /// Prepares a query: validates, and normalises it for the cosine metric.
    func prepared(_ query: [Float], what: String = "query") throws(VectorIndexError) -> [Float] {
        try validate(query, dimension: dimension, what: what)
        var q = query
        if metric.normalizes, !Distance.normalize(&q) {
            throw VectorIndexError(.invalidValue, "zero \(what) has no direction for the cosine metric")
        }
        return q
    }
}

