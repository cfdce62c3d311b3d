import Dispatch
import Foundation
import Testing
@testable import VectorIndex

@Suite struct HNSWIndexTests {
    static let d = 16
    static let n = 1200

    /// Inner-product data is unit length (as embeddings are): maximum inner product on
    /// unnormalised data is not a metric search and HNSW (ours or hnswlib) loses recall there.
    static func build(metric: DistanceMetric, n: Int = n, seed: UInt64 = 7, capacity: Int = 64, threads: Int = 1, efConstruction: Int = 64) throws -> (HNSWIndex, [Float]) {
        var data = TestData.clustered(n: n, d: d, seed: seed)
        if metric == .innerProduct { data = TestData.normalizedRows(data, d: d) }
        let index = try HNSWIndex(HNSWConfiguration(dimension: d, metric: metric, m: 8, efConstruction: efConstruction, efSearch: 32, initialCapacity: capacity))
        try index.add(rows: data, labels: (0..<n).map { UInt64($0) }, threads: threads)
        return (index, data)
    }

    static func meanRecall(_ index: HNSWIndex, _ data: [Float], metric: DistanceMetric, ef: Int, queries: Int = 40, allowed: @escaping (Int) -> Bool = { _ in true }) throws -> Double {
        let qs = TestData.clustered(n: queries, d: d, seed: 1234)
        var total = 0.0
        for qi in 0..<queries {
            let q = TestData.row(qs, qi, d)
            let truth = TestData.bruteForce(data, d: d, query: q, k: 10, metric: metric, allowed: allowed)
            let filter: ((UInt64) -> Bool)? = { allowed(Int($0)) }
            let got = try index.search(q, k: 10, ef: ef, filter: filter).map(\.label)
            #expect(got.allSatisfy { allowed(Int($0)) })
            total += TestData.recall(got, truth)
        }
        return total / Double(queries)
    }

    @Test(arguments: DistanceMetric.allCases)
    func recallAgainstBruteForce(metric: DistanceMetric) throws {
        let (index, data) = try Self.build(metric: metric)
        #expect(index.count == Self.n)
        let r = try Self.meanRecall(index, data, metric: metric, ef: 64)
        #expect(r >= 0.95, "recall@10 \(r)")
        // Higher ef never hurts much and reaches near-exact.
        #expect(try Self.meanRecall(index, data, metric: metric, ef: 200) >= 0.99)
    }

    @Test func resultsAreSortedAndDistancesExact() throws {
        let (index, data) = try Self.build(metric: .l2, n: 300)
        let q = TestData.row(data, 5, Self.d)
        let res = try index.search(q, k: 8)
        #expect(res.first?.label == 5)
        #expect(res.first!.distance < 1e-5)
        for (a, b) in zip(res, res.dropFirst()) { #expect(a.distance <= b.distance) }
        for r in res {
            let ref = TestData.referenceDistance(TestData.row(data, Int(r.label), Self.d), q, .l2)
            #expect(abs(ref - r.distance) < 1e-3)
        }
    }

    @Test func filteredSearchKeepsRecall() throws {
        let (index, data) = try Self.build(metric: .l2)
        let allowed: (Int) -> Bool = { $0 % 10 == 3 }
        let r = try Self.meanRecall(index, data, metric: .l2, ef: 64, allowed: allowed)
        #expect(r >= 0.9, "filtered recall@10 \(r)")
        // A very selective filter switches to an exact scan.
        let q = TestData.row(data, 17, Self.d)
        let few: Set<UInt64> = [3, 99, 500, 1001]
        let got = try index.search(q, k: 10, filter: { few.contains($0) }, exactBelow: 50).map(\.label)
        #expect(Set(got) == few)
    }

    @Test func deletesAreNeverReturnedAndRecallHolds() throws {
        let (index, data) = try Self.build(metric: .l2)
        let deleted: (Int) -> Bool = { $0 % 3 == 0 }
        for i in 0..<Self.n where deleted(i) { #expect(index.remove(label: UInt64(i))) }
        #expect(!index.remove(label: 0))
        #expect(index.count == Self.n - (Self.n + 2) / 3)
        #expect(index.tombstoneCount == (Self.n + 2) / 3)
        let live: (Int) -> Bool = { !deleted($0) }
        let qs = TestData.clustered(n: 30, d: Self.d, seed: 55)
        var total = 0.0
        for qi in 0..<30 {
            let q = TestData.row(qs, qi, Self.d)
            let got = try index.search(q, k: 10, ef: 64).map(\.label)
            #expect(got.allSatisfy { live(Int($0)) })
            total += TestData.recall(got, TestData.bruteForce(data, d: Self.d, query: q, k: 10, metric: .l2, allowed: live))
        }
        #expect(total / 30 >= 0.93, "recall after deletes \(total / 30)")

        let compact = try index.compacted()
        #expect(compact.count == index.count)
        #expect(compact.tombstoneCount == 0)
        #expect(compact.slotCount == index.count)
        #expect(try Self.meanRecall(compact, data, metric: .l2, ef: 64, allowed: live) >= 0.95)
    }

    @Test func upsertReplacesVector() throws {
        let (index, _) = try Self.build(metric: .l2, n: 200)
        let v = [Float](repeating: 9, count: Self.d)
        try index.add(v, label: 42)
        #expect(index.count == 200)
        #expect(index.vector(label: 42) == v)
        let hit = try index.search(v, k: 1)
        #expect(hit.first?.label == 42)
        #expect(hit.first!.distance < 1e-6)
    }

    @Test func badInputIsRejected() throws {
        let index = try HNSWIndex(HNSWConfiguration(dimension: 3, metric: .cosine))
        #expect(try index.search([1, 0, 0], k: 3).isEmpty)
        do { try index.add([1, 2], label: 1); Issue.record("accepted") } catch { #expect(error.code == .dimensionMismatch) }
        do { try index.add([1, .infinity, 2], label: 1); Issue.record("accepted") } catch { #expect(error.code == .invalidValue) }
        do { try index.add([0, 0, 0], label: 1); Issue.record("accepted") } catch { #expect(error.code == .invalidValue) }
        do { _ = try index.search([1, 0, 0], k: 0); Issue.record("accepted") } catch { #expect(error.code == .invalidArgument) }
        do { _ = try HNSWIndex(HNSWConfiguration(dimension: 3, metric: .l2, m: 1)); Issue.record("accepted") } catch { #expect(error.code == .invalidArgument) }
        #expect(index.count == 0)
    }

    /// A 2-thread build must be as good as a sequential build. HNSW recall depends on the
    /// insertion order, and a parallel build's order depends on scheduling: with
    /// efConstruction 64 on this data, sequential builds in other orders (or other seeds)
    /// range 0.94-0.985 at ef 64 (hnswlib alike), so that setting could not hold a fixed 0.95
    /// bar. With efConstruction 200 every order measured stays >= 0.985 (hnswlib: 40 seeds x
    /// orders), and the build is also compared with a sequential replay of the same vectors
    /// in the order the threads claimed slots (same levels, same order).
    @Test func concurrentInsertsFromTwoThreads() throws {
        let (index, data) = try Self.build(metric: .l2, capacity: 16, threads: 2, efConstruction: 200)
        #expect(index.count == Self.n)
        #expect(Set(index.labels).count == Self.n)
        let recall = try Self.meanRecall(index, data, metric: .l2, ef: 64)
        #expect(recall >= 0.95)
        let s = index.storage
        let order = (0..<Self.n).map { s.label($0) }
        var rows: [Float] = []
        for label in order { rows += TestData.row(data, Int(label), Self.d) }
        let replay = try HNSWIndex(index.configuration)
        try replay.add(rows: rows, labels: order)
        let oracle = try Self.meanRecall(replay, data, metric: .l2, ef: 64)
        #expect(recall >= oracle - 0.02, "parallel \(recall), sequential replay \(oracle)")
    }

    @Test func searchesRunWhileInsertingAndGrowing() throws {
        let d = Self.d, n = 1000
        let data = TestData.clustered(n: n, d: d, seed: 3)
        let index = try HNSWIndex(HNSWConfiguration(dimension: d, metric: .l2, m: 8, efConstruction: 48, initialCapacity: 16))
        for i in 0..<50 { try index.add(TestData.row(data, i, d), label: UInt64(i)) }
        let group = DispatchGroup()
        let failures = Counter()
        DispatchQueue.global().async(group: group) {
            for i in 50..<n { try? index.add(TestData.row(data, i, d), label: UInt64(i)) }
        }
        for t in 0..<2 {
            DispatchQueue.global().async(group: group) {
                for j in 0..<300 {
                    let q = TestData.row(data, (j * 7 + t) % 50, d)
                    let res = (try? index.search(q, k: 5, ef: 32)) ?? []
                    // Each query is a stored vector among the first 50: it must be found.
                    if res.first.map({ Int($0.label) }) != (j * 7 + t) % 50 || res.contains(where: { $0.label >= UInt64(n) }) {
                        failures.increment()
                    }
                }
            }
        }
        group.wait()
        #expect(failures.value == 0)
        #expect(index.count == n)
        #expect(try Self.meanRecall(index, data, metric: .l2, ef: 64) >= 0.95)
    }

    @Test func searchesRunWhileDeletingAndUpserting() throws {
        let (index, data) = try Self.build(metric: .l2, n: 800)
        // Deleted before any reader starts: must never be returned.
        for i in stride(from: 1, to: 800, by: 10) { index.remove(label: UInt64(i)) }
        let group = DispatchGroup()
        let failures = Counter()
        DispatchQueue.global().async(group: group) {
            for i in stride(from: 0, to: 800, by: 4) { index.remove(label: UInt64(i)) }
            for i in stride(from: 2, to: 800, by: 20) {
                try? index.add(TestData.row(data, i, Self.d).map { $0 + 0.01 }, label: UInt64(i))
            }
        }
        DispatchQueue.global().async(group: group) {
            for j in 0..<300 {
                let q = TestData.row(data, (j * 13) % 800, Self.d)
                let res = (try? index.search(q, k: 10, ef: 40)) ?? []
                if res.isEmpty || res.contains(where: { $0.label % 10 == 1 || $0.label >= 800 }) { failures.increment() }
            }
        }
        group.wait()
        #expect(failures.value == 0)
        let live: (Int) -> Bool = { $0 % 10 != 1 && $0 % 4 != 0 }
        #expect(index.count == (0..<800).filter(live).count)
        #expect(try Self.meanRecall(index, data, metric: .l2, ef: 64, allowed: live) >= 0.9)
    }

    @Test func levelsAreReproducibleForASeed() throws {
        let (a, _) = try Self.build(metric: .l2, n: 200)
        let (b, _) = try Self.build(metric: .l2, n: 200)
        let q = [Float](repeating: 0.1, count: Self.d)
        #expect(try a.search(q, k: 10) == b.search(q, k: 10))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLockish()
    private var count = 0
    func increment() { lock.run { count += 1 } }
    var value: Int { lock.run { count } }
}

import Synchronization
final class NSLockish: Sendable {
    private let m = Mutex(())
    func run<T>(_ body: () -> T) -> T { m.withLock { _ in body() } }
}

@Suite struct QuantizedHNSWTests {
    @Test(arguments: [DistanceMetric.l2, .innerProduct])
    func int8GraphWithExactRescoringKeepsRecall(metric: DistanceMetric) throws {
        let d = 24, n = 800
        var data = TestData.clustered(n: n, d: d, seed: 41)
        if metric == .innerProduct { data = TestData.normalizedRows(data, d: d) }
        let sq = try ScalarQuantizer(dimension: d, training: data)
        let index = try HNSWIndex(HNSWConfiguration(dimension: d, metric: metric, m: 8, efConstruction: 64, initialCapacity: 32), quantizer: sq)
        try index.add(rows: data, labels: (0..<n).map { UInt64($0) })
        // Only codes are stored: one byte per dimension.
        #expect(index.memoryBytes < n * (d * 4 + 200))
        let full = FullVectorSource(values: data, dimension: d)
        let qs = TestData.clustered(n: 30, d: d, seed: 42)
        var plain = 0.0, rescored = 0.0
        for qi in 0..<30 {
            var q = TestData.row(qs, qi, d)
            if metric == .innerProduct { Distance.normalize(&q) }
            let truth = TestData.bruteForce(data, d: d, query: q, k: 10, metric: metric)
            let codeRanked = try index.search(q, k: 10, ef: 64).map(\.label)
            plain += TestData.recall(codeRanked, truth)
            let r = q.withUnsafeBufferPointer { index.search(unchecked: $0.baseAddress!, k: 10, ef: 64, rescoreWith: full) }
            // Re-scoring only the code ranking's top k keeps exactly those labels, re-ordered
            // by exact distance.
            let topK = q.withUnsafeBufferPointer { index.search(unchecked: $0.baseAddress!, k: 10, ef: 64, rescoreWith: full, rescoreCount: 10) }
            #expect(Set(topK.map(\.label)) == Set(codeRanked))
            #expect(topK.map(\.distance) == topK.map(\.distance).sorted())
            // For inner product the default stops at the code-error bound: the same answer as
            // re-scoring every candidate.
            if metric == .innerProduct {
                let all = q.withUnsafeBufferPointer { index.search(unchecked: $0.baseAddress!, k: 10, ef: 64, rescoreWith: full, rescoreCount: 64) }
                #expect(r.map(\.label) == all.map(\.label))
            }
            rescored += TestData.recall(r.map(\.label), truth)
            for hit in r { #expect(abs(hit.distance - TestData.referenceDistance(TestData.row(data, Int(hit.label), d), q, metric)) < 1e-3) }
        }
        #expect(plain / 30 >= 0.85, "int8 recall \(plain / 30)")
        #expect(rescored / 30 >= 0.95, "re-scored recall \(rescored / 30)")
        // Deletes, decoding and a snapshot round trip keep working on codes.
        index.remove(label: 3)
        let decoded = try #require(index.vector(label: 4))
        for j in 0..<d { #expect(abs(decoded[j] - data[4 * d + j]) <= sq.scales[j] / 2 + 1e-5) }
        let dir = TestData.temporaryDirectory("sq8")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try index.write(to: dir + "/i.vix")
        let loaded = try HNSWIndex.read(from: dir + "/i.vix")
        #expect(loaded.quantizer == sq)
        let q = TestData.row(data, 10, d)
        #expect(try loaded.search(q, k: 5) == index.search(q, k: 5))
        #expect(try loaded.compacted().count == n - 1)
    }
}
