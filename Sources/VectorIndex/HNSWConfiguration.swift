/// Parameters of an ``HNSWIndex`` (Malkov & Yashunin, "Efficient and robust approximate
/// nearest neighbor search using Hierarchical Navigable Small World graphs", TPAMI 2018;
/// names follow hnswlib's `ALGO_PARAMS.md`).
public struct HNSWConfiguration: Sendable, Codable, Hashable {
    /// Vector length.
    public var dimension: Int
    /// Distance the graph is built and searched with.
    public var metric: DistanceMetric
    /// Links per node on layers above 0; layer 0 keeps `2 * m`. Higher M: better recall at
    /// high dimension, more memory (`8 * m` bytes per node on layer 0) and slower build. 12-48 is usual.
    public var m: Int
    /// Size of the dynamic candidate list while inserting. Higher: better graph, slower build.
    public var efConstruction: Int
    /// Default size of the dynamic candidate list while searching (raised to k when smaller).
    public var efSearch: Int
    /// Seed of the level draws (levels are a pure function of seed and slot, so builds are reproducible).
    public var seed: UInt64
    /// Slots allocated up front; the index doubles it when full.
    public var initialCapacity: Int

    public init(
        dimension: Int, metric: DistanceMetric, m: Int = 16, efConstruction: Int = 200,
        efSearch: Int = 64, seed: UInt64 = 100, initialCapacity: Int = 1024
    ) {
        self.dimension = dimension
        self.metric = metric
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
        self.initialCapacity = initialCapacity
    }

    func validated() throws(VectorIndexError) -> HNSWConfiguration {
        guard dimension > 0 else { throw VectorIndexError(.invalidArgument, "dimension must be positive, got \(dimension)") }
        guard m >= 2 && m <= 1024 else { throw VectorIndexError(.invalidArgument, "M must be in 2...1024, got \(m)") }
        guard efConstruction >= 1 else { throw VectorIndexError(.invalidArgument, "ef_construction must be positive, got \(efConstruction)") }
        guard efSearch >= 1 else { throw VectorIndexError(.invalidArgument, "ef_search must be positive, got \(efSearch)") }
        var c = self
        c.initialCapacity = max(16, initialCapacity)
        return c
    }
}
