/// Per-search working memory: the visited set (one `UInt16` generation tag per slot, reset
/// in O(1) by bumping the generation, as hnswlib's `VisitedList`) and the two heaps.
/// One scratch serves one search at a time; ``HNSWIndex`` keeps a pool of them.
final class SearchScratch: @unchecked Sendable {
    private(set) var tags: UnsafeMutablePointer<UInt16>
    private(set) var capacity: Int
    private(set) var generation: UInt16 = 0
    var candidates = NeighborHeap(capacity: 256)
    var top = NeighborHeap(capacity: 256)
    private var pendingIDs = UnsafeMutablePointer<UInt32>.allocate(capacity: 64)
    private var pendingCapacity = 64

    /// A buffer of at least `n` ids (neighbours gathered before their distances).
    @inline(__always) func pending(_ n: Int) -> UnsafeMutablePointer<UInt32> {
        if n > pendingCapacity {
            pendingIDs.deallocate()
            pendingIDs = .allocate(capacity: n)
            pendingCapacity = n
        }
        return pendingIDs
    }

    init(capacity: Int) {
        self.capacity = capacity
        tags = .allocate(capacity: capacity)
        tags.initialize(repeating: 0, count: capacity)
    }

    deinit {
        tags.deallocate()
        pendingIDs.deallocate()
    }

    /// Starts a new search over `capacity` slots; returns the tag meaning "visited".
    @inline(__always)
    func begin(capacity needed: Int) -> UInt16 {
        if needed > capacity {
            tags.deallocate()
            capacity = max(needed, capacity * 2)
            tags = .allocate(capacity: capacity)
            tags.initialize(repeating: 0, count: capacity)
            generation = 0
        }
        generation &+= 1
        if generation == 0 {
            tags.update(repeating: 0, count: capacity)
            generation = 1
        }
        candidates.removeAll()
        top.removeAll()
        return generation
    }
}
