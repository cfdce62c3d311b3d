import Synchronization

/// The memory of an ``HNSWIndex`` at one capacity, laid out as in hnswlib's `hnswalg.h`:
/// one allocation of `capacity` fixed-stride layer-0 records, each
///
///     [count: UInt32][flags: UInt32][links: maxM0 x UInt32][vector: d x Float or d x UInt8][label: UInt64]
///
/// plus, per node with level > 0, one block of `level` upper-layer records
/// `[count: UInt32][links: maxM x UInt32]`, a level per node and a spin lock per node.
/// Flags: bit 0 deleted (tombstone), bit 1 ready (vector and label written).
///
/// A storage is never resized: growth copies everything into a larger one and publishes it;
/// the old one is kept alive until the index dies, so a search that started on it finishes
/// on a consistent (older) graph without holding any lock.
final class HNSWStorage: @unchecked Sendable {
    let capacity: Int
    let stride: Int
    let linksOffset = 8
    let vectorOffset: Int
    let labelOffset: Int
    let upperStride: Int
    let level0: UnsafeMutableRawPointer
    let upper: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let levels: UnsafeMutablePointer<Int32>
    let locks: UnsafeMutablePointer<Atomic<UInt32>>

    static let deletedFlag: UInt32 = 1
    static let readyFlag: UInt32 = 2

    init(capacity: Int, vectorBytes: Int, maxM: Int, maxM0: Int) {
        self.capacity = capacity
        vectorOffset = (8 + 4 * maxM0 + 15) & ~15
        labelOffset = (vectorOffset + vectorBytes + 7) & ~7
        stride = (labelOffset + 8 + 15) & ~15
        upperStride = 4 + 4 * maxM
        level0 = .allocate(byteCount: capacity * stride, alignment: 64)
        level0.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * stride)
        upper = .allocate(capacity: capacity)
        upper.initialize(repeating: nil, count: capacity)
        levels = .allocate(capacity: capacity)
        levels.initialize(repeating: 0, count: capacity)
        locks = .allocate(capacity: capacity)
        for i in 0..<capacity { (locks + i).initialize(to: Atomic<UInt32>(0)) }
    }

    /// A copy with a larger capacity holding the first `count` nodes (upper blocks deep-copied).
    func grown(to newCapacity: Int, count: Int, vectorBytes: Int, maxM: Int, maxM0: Int) -> HNSWStorage {
        let s = HNSWStorage(capacity: newCapacity, vectorBytes: vectorBytes, maxM: maxM, maxM0: maxM0)
        s.level0.copyMemory(from: level0, byteCount: count * stride)
        for i in 0..<count {
            let l = Int(levels[i])
            s.levels[i] = Int32(l)
            if l > 0, let b = upper[i] {
                let nb = UnsafeMutableRawPointer.allocate(byteCount: l * upperStride, alignment: 16)
                nb.copyMemory(from: b, byteCount: l * upperStride)
                s.upper[i] = nb
            }
        }
        return s
    }

    deinit {
        for i in 0..<capacity { upper[i]?.deallocate() }
        upper.deallocate()
        levels.deallocate()
        (locks as UnsafeMutablePointer<Atomic<UInt32>>).deinitialize(count: capacity)
        locks.deallocate()
        level0.deallocate()
    }

    // MARK: accessors (all O(1))

    @inline(__always) func node(_ id: Int) -> UnsafeMutableRawPointer { level0 + id &* stride }
    /// The stored vector record of `id` (floats or int8 codes, per the index encoding).
    @inline(__always) func record(_ id: Int) -> UnsafeMutableRawPointer {
        level0 + (id &* stride &+ vectorOffset)
    }
    /// The stored float vector of `id` (float-encoded indexes only).
    @inline(__always) func vector(_ id: Int) -> UnsafeMutablePointer<Float> {
        (level0 + (id &* stride &+ vectorOffset)).assumingMemoryBound(to: Float.self)
    }
    @inline(__always) func label(_ id: Int) -> UInt64 {
        (level0 + (id &* stride &+ labelOffset)).load(as: UInt64.self)
    }
    @inline(__always) func flags(_ id: Int) -> UInt32 {
        (level0 + (id &* stride &+ 4)).load(as: UInt32.self)
    }
    @inline(__always) func setFlags(_ id: Int, _ value: UInt32) {
        (level0 + (id &* stride &+ 4)).storeBytes(of: value, as: UInt32.self)
    }
    @inline(__always) func isDeleted(_ id: Int) -> Bool { flags(id) & Self.deletedFlag != 0 }

    /// The link record `[count][links...]` of `id` on `level`.
    @inline(__always) func linkList(_ id: Int, level: Int) -> UnsafeMutablePointer<UInt32> {
        if level == 0 { return (level0 + id &* stride).assumingMemoryBound(to: UInt32.self) }
        return (upper[id]! + (level &- 1) &* upperStride).assumingMemoryBound(to: UInt32.self)
    }

    /// Replaces the links of `id` on `level`: links first, then the count, so that a
    /// concurrent reader sees valid ids whatever it interleaves with.
    @inline(__always) func setLinks(_ id: Int, level: Int, _ links: UnsafeBufferPointer<UInt32>) {
        let list = linkList(id, level: level)
        let link0 = level == 0 ? list + 2 : list + 1
        for (j, x) in links.enumerated() { link0[j] = x }
        list.pointee = UInt32(links.count)
    }

    @inline(__always) func links(_ id: Int, level: Int) -> UnsafeBufferPointer<UInt32> {
        let list = linkList(id, level: level)
        let n = Int(list.pointee)
        return UnsafeBufferPointer(start: level == 0 ? list + 2 : list + 1, count: n)
    }

    func lock(_ id: Int) {
        while !locks[id].compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
            while locks[id].load(ordering: .relaxed) != 0 {}
        }
    }

    func unlock(_ id: Int) { locks[id].store(0, ordering: .releasing) }

    /// Bytes this storage allocates for `count` nodes (layer-0 records, upper blocks, levels, locks).
    func memoryBytes(count: Int) -> Int {
        var b = capacity * (stride + 8 + 4 + 4)
        for i in 0..<count where levels[i] > 0 { b += Int(levels[i]) * upperStride }
        return b
    }
}
