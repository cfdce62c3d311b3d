import Foundation

extension HypothesisTests {
    /// Mann–Whitney U test (scipy `mannwhitneyu` with `method="auto"`,
    /// `use_continuity=True`). The returned statistic is U₁, the U of the first sample `x`.
    ///
    /// The p-value is exact (permutation distribution by dynamic programming) when either
    /// sample has at most 8 values and there are no ties; otherwise the normal
    /// approximation with tie correction and continuity correction is used.
    /// Complexity O((n₁+n₂) log(n₁+n₂)) plus O(n₁·n₂·min(n₁,n₂)) for the exact case.
    public static func mannWhitneyU(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided) throws(StatsError) -> TestResult {
        try require(!x.isEmpty && !y.isEmpty, "Mann-Whitney U needs two non-empty samples (n_x=\(x.count), n_y=\(y.count))")
        try require((x + y).allSatisfy { !$0.isNaN }, "Mann-Whitney U samples must not contain NaN")
        let n1 = x.count, n2 = y.count, n = n1 + n2
        let (ranks, tieSizes) = averageRanks(x + y)
        let r1 = ranks[0..<n1].reduce(0, +)
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let (u, factor): (Double, Double)
        switch alternative {
        case .greater: (u, factor) = (u1, 1)
        case .less: (u, factor) = (u2, 1)
        case .twoSided: (u, factor) = (max(u1, u2), 2)
        }
        let hasTies = tieSizes.contains { $0 > 1 }
        var p: Double
        if (n1 <= 8 || n2 <= 8) && !hasTies {
            p = exactUSurvival(Int(u.rounded()), n1, n2)
        } else {
            let mu = Double(n1 * n2) / 2
            let tieTerm = tieSizes.reduce(0.0) { $0 + Double($1) * Double($1) * Double($1) - Double($1) }
            let s = (Double(n1 * n2) / 12 * (Double(n + 1) - tieTerm / Double(n * (n - 1)))).squareRoot()
            let z = (u - mu - 0.5) / s
            p = Normal.standardCDF(-z)
        }
        p = min(1, max(0, p * factor))
        return TestResult(statistic: u1, pValue: p)
    }

    /// Average ranks (1-based) and the sizes of the tie groups.
    static func averageRanks(_ values: [Double]) -> ([Double], [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var ties: [Int] = []
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let avg = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = avg }
            ties.append(j - i + 1)
            i = j + 1
        }
        return (ranks, ties)
    }

    /// P(U ≥ u) under H0 for sample sizes n1, n2 without ties, from the count of
    /// arrangements f(m, n, u) = f(m−1, n, u−n) + f(m, n−1, u).
    static func exactUSurvival(_ u: Int, _ n1: Int, _ n2: Int) -> Double {
        let maxU = n1 * n2
        if u <= 0 { return 1 }
        if u > maxU { return 0 }
        // counts[j][v]: arrangements of i values of sample 1 and j of sample 2 with U = v,
        // iterating i from 0 to n1 (Double counts: binomials up to C(16+, 8) are exact).
        var prev = [[Double]](repeating: [1], count: n2 + 1)   // i = 0: U = 0 only
        for i in 1...max(n1, 1) where n1 >= 1 {
            var cur = [[Double]](repeating: [], count: n2 + 1)
            cur[0] = [1]                                        // j = 0: U = 0
            for j in 1...max(n2, 1) where n2 >= 1 {
                let size = i * j + 1
                var row = [Double](repeating: 0, count: size)
                // Largest value from sample 1 (beats all j of sample 2): U shifts by j.
                for (v, c) in prev[j].enumerated() where v + j < size { row[v + j] += c }
                // Largest value from sample 2: contributes 0.
                for (v, c) in cur[j - 1].enumerated() where v < size { row[v] += c }
                cur[j] = row
            }
            prev = cur
        }
        let dist = prev[n2]
        let total = dist.reduce(0, +)
        var tail = 0.0
        for v in u...maxU where v < dist.count { tail += dist[v] }
        return tail / total
    }
}
