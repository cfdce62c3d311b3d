import Testing
@testable import VectorIndex

@Suite struct FlatIndexTests {
    @Test(arguments: DistanceMetric.allCases)
    func searchMatchesSortedReferenceDistances(metric: DistanceMetric) throws {
        let d = 12, n = 300
        let data = TestData.clustered(n: n, d: d, seed: 1)
        var flat = FlatIndex(dimension: d, metric: metric)
        try flat.add(rows: data)
        #expect(flat.count == n)
        let queries = TestData.clustered(n: 10, d: d, seed: 2)
        for qi in 0..<10 {
            let q = TestData.row(queries, qi, d)
            let got = try flat.search(q, k: 5).map(\.label)
            let want = TestData.bruteForce(data, d: d, query: q, k: 5, metric: metric)
            #expect(TestData.recall(got, want) == 1)
        }
    }

    @Test func removeFilterAndErrors() throws {
        var flat = FlatIndex(dimension: 2, metric: .l2)
        try flat.add([0, 0], label: 10)
        try flat.add([1, 0], label: 11)
        try flat.add([5, 5], label: 12)
        #expect(try flat.search([0.9, 0], k: 1).first?.label == 11)
        let removed = flat.remove(label: 11)
        let removedAgain = flat.remove(label: 11)
        #expect(removed && !removedAgain)
        #expect(try flat.search([0.9, 0], k: 1).first?.label == 10)
        #expect(try flat.search([0.9, 0], k: 1, filter: { $0 == 12 }).first?.label == 12)
        #expect(flat.vector(label: 12) == [5, 5])
        do {
            try flat.add([1, 2, 3], label: 1)
            Issue.record("wrong dimension accepted")
        } catch {
            #expect(error.code == .dimensionMismatch)
        }
        do {
            try flat.add([.nan, 1], label: 1)
            Issue.record("NaN accepted")
        } catch {
            #expect(error.code == .invalidValue)
        }
        do {
            _ = try flat.search([1], k: 1)
            Issue.record("wrong dimension accepted")
        } catch {
            #expect(error.code == .dimensionMismatch)
        }
    }
}
