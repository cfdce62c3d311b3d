/// One hit of a search: the caller's label and its distance to the query under the index
/// metric (smaller is closer; see ``DistanceMetric``).
public struct SearchResult: Sendable, Hashable, Codable {
    public var label: UInt64
    public var distance: Float

    public init(label: UInt64, distance: Float) {
        self.label = label
        self.distance = distance
    }
}

/// A (distance, internal id) pair as kept in the search heaps.
@usableFromInline
struct Neighbor: Sendable {
    @usableFromInline var distance: Float
    @usableFromInline var id: UInt32
    @inlinable init(_ distance: Float, _ id: UInt32) {
        self.distance = distance
        self.id = id
    }
}

/// A binary max-heap of ``Neighbor`` keyed by distance (the farthest on top). A min-heap is
/// the same heap over negated distances, as in hnswlib's candidate set.
@usableFromInline
struct NeighborHeap: Sendable {
    @usableFromInline var storage: ContiguousArray<Neighbor>

    @inlinable init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    @inlinable var count: Int { storage.count }
    @inlinable var isEmpty: Bool { storage.isEmpty }
    @inlinable var top: Neighbor { storage[0] }
    @inlinable mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    @inlinable @inline(__always)
    mutating func push(_ n: Neighbor) {
        storage.append(n)
        storage.withUnsafeMutableBufferPointer { h in
            var i = h.count &- 1
            let x = h[i]
            while i > 0 {
                let p = (i &- 1) >> 1
                if h[p].distance >= x.distance { break }
                h[i] = h[p]
                i = p
            }
            h[i] = x
        }
    }

    @inlinable @inline(__always)
    @discardableResult
    mutating func pop() -> Neighbor {
        let topValue = storage[0]
        let last = storage.removeLast()
        if storage.isEmpty { return topValue }
        storage.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                var c = 2 &* i &+ 1
                if c >= n { break }
                if c &+ 1 < n && h[c &+ 1].distance > h[c].distance { c &+= 1 }
                if h[c].distance <= last.distance { break }
                h[i] = h[c]
                i = c
            }
            h[i] = last
        }
        return topValue
    }

    /// Pops everything; returns the elements sorted nearest first.
    @inlinable mutating func drainSortedAscending() -> [Neighbor] {
        var out = [Neighbor](repeating: Neighbor(0, 0), count: count)
        var i = count - 1
        while !isEmpty {
            out[i] = pop()
            i -= 1
        }
        return out
    }
}
