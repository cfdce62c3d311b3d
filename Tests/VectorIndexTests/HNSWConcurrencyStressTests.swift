import Dispatch
import Synchronization
import Testing
@testable import VectorIndex

/// Many-thread builds and upserts checked against structural invariants of the graph and
/// against a single-threaded build of the same data (the oracle). Small sizes keep this fast.
@Suite struct HNSWConcurrencyStressTests {
    static let d = 16

    static func config(seed: UInt64, m: Int = 8) -> HNSWConfiguration {
        var c = HNSWConfiguration(dimension: d, metric: .l2, m: m, efConstruction: 64, efSearch: 32, initialCapacity: 16)
        c.seed = seed
        return c
    }

    /// Structural problems of a quiescent index (empty when none): link ids out of range,
    /// self or duplicate links, an empty out-list on a layer that holds other nodes (a node a
    /// lost race left unlinked there: no search can ever reach it on that layer; not checked
    /// with deletes, whose repairs may legitimately empty a list), an entry
    /// point that is not on the top layer, or tombstone flags that disagree with the label map.
    static func graphProblems(_ index: HNSWIndex, withDeletes: Bool = false) -> [String] {
        let s = index.storage
        let n = index.slotCount
        guard let ep = index.entryPoint() else { return n == 0 ? [] : ["no entry point for \(n) nodes"] }
        var problems: [String] = []
        let top = (0..<n).map { Int(s.levels[$0]) }.max() ?? 0
        if ep.level != top || Int(s.levels[ep.id]) != top { problems.append("entry \(ep) but top level \(top)") }
        let live = index.slots.withLock { Dictionary(uniqueKeysWithValues: $0.idOfLabel.map { (Int($0.value), $0.key) }) }
        for id in 0..<n {
            if (live[id] != nil) == s.isDeleted(id) { problems.append("slot \(id): deleted flag \(s.isDeleted(id)) but live \(live[id] != nil)") }
            if s.flags(id) & HNSWStorage.readyFlag == 0 { problems.append("slot \(id) not ready") }
        }
        for level in 0...top {
            let members = (0..<n).filter { Int(s.levels[$0]) >= level }
            for id in members {
                let list = Array(s.links(id, level: level))
                if list.contains(where: { Int($0) >= n }) { problems.append("slot \(id) layer \(level): link out of range") }
                if list.contains(UInt32(id)) || Set(list).count != list.count { problems.append("slot \(id) layer \(level): self or duplicate link") }
                if !withDeletes && members.count > 1 && list.isEmpty { problems.append("slot \(id) layer \(level): no links among \(members.count) nodes") }
            }
        }
        return problems
    }

    static func recall(_ index: HNSWIndex, _ data: [Float], queries: [Float]) throws -> Double {
        let nq = queries.count / d
        var total = 0.0
        for qi in 0..<nq {
            let q = TestData.row(queries, qi, d)
            let truth = TestData.bruteForce(data, d: d, query: q, k: 10, metric: .l2)
            total += TestData.recall(try index.search(q, k: 10, ef: 64).map(\.label), truth)
        }
        return total / Double(nq)
    }

    /// Six inserting threads (more than the cores, so threads are preempted mid-insert) into
    /// an index that starts at capacity 16 (several growths). Every build must be structurally
    /// sound, and its recall must match a single-threaded build of the same data and seed
    /// (same levels: a node's level is a function of seed and label, not of arrival order).
    @Test(arguments: [UInt64(1), 2, 3])
    func manyThreadBuildsMatchSingleThreadBuild(seed: UInt64) throws {
        let n = 500
        let data = TestData.clustered(n: n, d: Self.d, seed: seed &+ 20)
        let queries = TestData.clustered(n: 20, d: Self.d, seed: seed &+ 900)
        let labels = (0..<n).map { UInt64($0) }
        let sequential = try HNSWIndex(Self.config(seed: seed))
        try sequential.add(rows: data, labels: labels)
        #expect(Self.graphProblems(sequential).isEmpty)
        let oracle = try Self.recall(sequential, data, queries: queries)
        // Small parallel builds with M = 2 (half the nodes on layer >= 1, a dozen layers) raise
        // the top level often while other threads insert: two racing raises used to leave a
        // node without links on its upper layers (caught now and then, not every run).
        for round in 0..<12 {
            let small = try HNSWIndex(Self.config(seed: seed &* 100 &+ UInt64(round), m: 2))
            try small.add(rows: Array(data[0 ..< 60 * Self.d]), labels: Array(labels[0..<60]), threads: 6)
            let problems = Self.graphProblems(small)
            #expect(problems.isEmpty, "round \(round): \(problems.prefix(5))")
        }
        let parallel = try HNSWIndex(Self.config(seed: seed))
        try parallel.add(rows: data, labels: labels, threads: 6)
        #expect(parallel.count == n)
        let problems = Self.graphProblems(parallel)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let s = parallel.storage
        let wrongLevels = (0..<n).filter { Int(s.levels[$0]) != parallel.randomLevel(label: s.label($0)) }
        #expect(wrongLevels.isEmpty, "\(wrongLevels.count) nodes with a level not drawn from their label")
        let r = try Self.recall(parallel, data, queries: queries)
        #expect(r >= oracle - 0.05, "parallel recall \(r), single-thread \(oracle)")
    }

    /// Four threads upsert the same 16 labels over and over (each upsert tombstones the
    /// previous slot of its label while other threads are still linking theirs). Afterwards
    /// exactly one slot per label is live and searches never return a label twice.
    @Test func concurrentUpsertsOfTheSameLabelsLeaveOneLiveSlotEach() throws {
        let labelsCount = 16, perThread = 60, threads = 4
        let index = try HNSWIndex(Self.config(seed: 5))
        let data = TestData.clustered(n: threads * perThread, d: Self.d, seed: 77)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for j in 0..<perThread {
                let row = TestData.row(data, t * perThread + j, Self.d)
                try? index.add(row, label: UInt64((j * 7 + t) % labelsCount))
            }
        }
        #expect(index.count == labelsCount)
        #expect(index.slotCount == threads * perThread)
        let problems = Self.graphProblems(index, withDeletes: true)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        for qi in 0..<10 {
            let got = try index.search(TestData.row(data, qi * 13, Self.d), k: labelsCount, ef: 64).map(\.label)
            #expect(Set(got).count == got.count, "duplicate labels \(got)")
        }
    }
}
