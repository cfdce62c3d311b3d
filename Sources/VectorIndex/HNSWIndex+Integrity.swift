import Synchronization

extension HNSWIndex {
    /// Live labels that no search can reach: those not connected to the entry point through
    /// layer-0 links (tombstoned nodes count as waypoints, as in search). Empty for a healthy
    /// graph. Call it while no insert or delete runs (``VectorStore`` holds its writer lock).
    /// - Complexity: O(n * M), one breadth-first walk over layer 0.
    public func unreachableLabels() -> [UInt64] {
        let s = storage
        let n = slots.withLock { $0.count }
        guard let start = entryPoint() else { return [] }
        var seen = [Bool](repeating: false, count: n)
        var queue = [start.id]
        seen[start.id] = true
        while let id = queue.popLast() {
            for next in s.links(id, level: 0) where Int(next) < n && !seen[Int(next)] {
                seen[Int(next)] = true
                queue.append(Int(next))
            }
        }
        return (0..<n).filter { !seen[$0] && !s.isDeleted($0) }.map { s.label($0) }
    }
}
