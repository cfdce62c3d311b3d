import Foundation
import StatsKit

/// The PC algorithm (Spirtes, Glymour & Scheines 2000) in its order-independent "stable"
/// form (Colombo & Maathuis 2014), with Fisher-z conditional-independence tests for
/// Gaussian data, v-structure orientation and Meek's rules R1–R3 (Meek 1995).
///
/// The result is a CPDAG (some edges may stay undirected: the data cannot orient them).
/// Complexity: O(d² · C(maxDegree, ℓ)) tests, each a k×k solve with k = ℓ + 2.
public struct PC: Sendable {
    /// Significance level of each independence test (default 0.01).
    public var alpha = 0.01
    /// Maximum conditioning-set size (nil = unbounded).
    public var maxConditioningSize: Int?
    /// Background knowledge.
    public var prior = PriorKnowledge()

    public init(alpha: Double = 0.01, maxConditioningSize: Int? = nil, prior: PriorKnowledge = PriorKnowledge()) {
        self.alpha = alpha
        self.maxConditioningSize = maxConditioningSize
        self.prior = prior
    }

    /// A learned CPDAG.
    public struct Result: Sendable {
        public let count: Int
        /// `directed[i][j]`: an oriented edge i → j.
        public var directed: [[Bool]]
        /// `undirected[i][j] == undirected[j][i]`: an edge i — j of unknown direction.
        public var undirected: [[Bool]]
        /// Separating sets found for removed edges, keyed by the pair (i < j).
        public var separatingSets: [PriorKnowledge.Pair: [Int]]
        /// Number of conditional-independence tests run.
        public var testsRun: Int
        /// Wall-clock seconds.
        public var seconds: Double

        /// 1 for i → j; −1 at (i, j), i < j, for an undirected edge (the CPDAG encoding of
        /// the NOTEARS evaluation code); 0 otherwise.
        public var adjacency: Matrix {
            var m = Matrix(rows: count, cols: count)
            for i in 0..<count {
                for j in 0..<count {
                    if directed[i][j] { m[i, j] = 1 } else if undirected[i][j] && i < j { m[i, j] = -1 }
                }
            }
            return m
        }

        /// A DAG in the equivalence class: orients undirected edges one at a time (never
        /// creating a cycle) and re-applies Meek's rules after each (Meek 1995 extension).
        public func dag(names: [String]) throws(CausalError) -> DAG {
            var r = self
            while true {
                var pick: (Int, Int)?
                outer: for i in 0..<count { for j in (i + 1)..<max(i + 1, count) where r.undirected[i][j] { pick = (i, j); break outer } }
                guard let (i, j) = pick else { break }
                r.undirected[i][j] = false; r.undirected[j][i] = false
                r.directed[i][j] = true
                if r.hasCycle() { r.directed[i][j] = false; r.directed[j][i] = true }
                PC.applyMeekRules(&r)
            }
            var edges: [DAG.Edge] = []
            for i in 0..<count { for j in 0..<count where r.directed[i][j] { edges.append(DAG.Edge(from: i, to: j)) } }
            return try DAG(nodes: names, edges: edges)
        }

        func hasCycle() -> Bool {
            DAG.findCycle(count: count, children: (0..<count).map { i in (0..<count).filter { directed[i][$0] } }) != nil
        }

        func adjacent(_ i: Int, _ j: Int) -> Bool { directed[i][j] || directed[j][i] || undirected[i][j] }
    }

    /// Learns a CPDAG from data.
    public func fit(_ data: DataSet) throws(CausalError) -> Result {
        guard data.rowCount > 3 else { throw CausalError(.invalidData, "PC needs more than 3 rows, got \(data.rowCount)") }
        guard alpha > 0 && alpha < 1 else { throw CausalError(.invalidArgument, "alpha must lie in (0, 1), got \(alpha)") }
        return try fit(correlation: data.correlation, sampleSize: data.rowCount)
    }

    /// Learns a CPDAG from a correlation matrix and the sample size.
    public func fit(correlation c: Matrix, sampleSize n: Int) throws(CausalError) -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        let d = c.rows
        try prior.validate(nodeCount: d)
        var adj = [[Bool]](repeating: [Bool](repeating: true, count: d), count: d)
        for i in 0..<d {
            adj[i][i] = false
            for j in 0..<d where i != j && prior.isForbidden(i, j) && prior.isForbidden(j, i) { adj[i][j] = false }
        }
        var sepsets: [PriorKnowledge.Pair: [Int]] = [:]
        var tests = 0
        var level = 0
        while true {
            let snapshot = adj   // PC-stable: neighbourhoods frozen per level
            var anyCandidate = false
            for i in 0..<d {
                for j in 0..<d where i != j && adj[i][j] {
                    if prior.isRequired(i, j) || prior.isRequired(j, i) { continue }
                    let neighbours = (0..<d).filter { snapshot[i][$0] && $0 != j }
                    if neighbours.count < level { continue }
                    anyCandidate = true
                    var removed = false
                    forEachSubset(of: neighbours, size: level) { s in
                        tests += 1
                        let p = PC.fisherZPValue(c, i, j, s, n)
                        if p > alpha {
                            adj[i][j] = false; adj[j][i] = false
                            sepsets[PriorKnowledge.Pair(min(i, j), max(i, j))] = s
                            removed = true
                            return false
                        }
                        return true
                    }
                    _ = removed
                }
            }
            level += 1
            if !anyCandidate { break }
            if let m = maxConditioningSize, level > m { break }
        }
        // Orientation.
        var r = Result(count: d, directed: Array(repeating: Array(repeating: false, count: d), count: d),
                       undirected: adj, separatingSets: sepsets, testsRun: tests, seconds: 0)
        func orient(_ a: Int, _ b: Int) {
            r.undirected[a][b] = false; r.undirected[b][a] = false
            r.directed[a][b] = true; r.directed[b][a] = false
        }
        for i in 0..<d { for j in 0..<d where adj[i][j] && (prior.isRequired(i, j) || prior.isForbidden(j, i)) && !prior.isForbidden(i, j) {
            orient(i, j)
        } }
        // V-structures i → k ← j for non-adjacent i, j with k not in sepset(i, j).
        for k in 0..<d {
            let nb = (0..<d).filter { adj[k][$0] }
            for a in 0..<nb.count {
                for b in (a + 1)..<max(a + 1, nb.count) {
                    let i = nb[a], j = nb[b]
                    if adj[i][j] { continue }
                    let sep = sepsets[PriorKnowledge.Pair(min(i, j), max(i, j))] ?? []
                    if sep.contains(k) { continue }
                    if prior.isForbidden(i, k) || prior.isForbidden(j, k) { continue }
                    if r.directed[k][i] || r.directed[k][j] { continue }   // keep earlier/prior orientations
                    orient(i, k)
                    orient(j, k)
                }
            }
        }
        PC.applyMeekRules(&r)
        if let m = prior.maxParents {
            for j in 0..<d {
                let parents = (0..<d).filter { r.directed[$0][j] }
                if parents.count <= m { continue }
                let ranked = parents.sorted { a, b in
                    if prior.isRequired(a, j) != prior.isRequired(b, j) { return prior.isRequired(a, j) }
                    return abs(c[a, j]) > abs(c[b, j])
                }
                for p in ranked.dropFirst(m) where !prior.isRequired(p, j) { r.directed[p][j] = false }
            }
        }
        r.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return r
    }

    /// Meek's rules R1–R3 applied to a fixed point.
    static func applyMeekRules(_ r: inout Result) {
        let d = r.count
        var changed = true
        while changed {
            changed = false
            for a in 0..<d {
                for b in 0..<d where r.undirected[a][b] {
                    var orientAB = false
                    for c in 0..<d where c != a && c != b {
                        // R1: c → a — b, c not adjacent to b  ⇒ a → b.
                        if r.directed[c][a] && !r.adjacent(c, b) { orientAB = true; break }
                        // R2: a → c → b and a — b  ⇒ a → b.
                        if r.directed[a][c] && r.directed[c][b] { orientAB = true; break }
                    }
                    if !orientAB {
                        // R3: a — c → b, a — e → b, c, e non-adjacent  ⇒ a → b.
                        let cs = (0..<d).filter { r.undirected[a][$0] && r.directed[$0][b] }
                        search: for x in 0..<cs.count { for y in (x + 1)..<max(x + 1, cs.count) where !r.adjacent(cs[x], cs[y]) {
                            orientAB = true; break search
                        } }
                    }
                    if orientAB {
                        r.undirected[a][b] = false; r.undirected[b][a] = false
                        r.directed[a][b] = true
                        changed = true
                    }
                }
            }
        }
    }

    /// Fisher-z p-value of the partial correlation ρ(i, j | s):
    /// z = ½·ln((1+ρ)/(1−ρ)), statistic √(n − |s| − 3)·|z|, two-sided normal tail.
    /// The partial correlation comes from the inverse of the correlation submatrix.
    public static func fisherZPValue(_ c: Matrix, _ i: Int, _ j: Int, _ s: [Int], _ n: Int) -> Double {
        let rho = partialCorrelation(c, i, j, s)
        let r = min(max(rho, -0.9999999), 0.9999999)
        let z = 0.5 * log((1 + r) / (1 - r))
        let dof = Double(n - s.count - 3)
        if dof <= 0 { return 1 }
        let stat = dof.squareRoot() * abs(z)
        return 2 * Normal.standardCDF(-stat)
    }

    /// Partial correlation of i and j given s, −P₀₁/√(P₀₀P₁₁) with P the inverse of the
    /// correlation submatrix over [i, j] + s.
    public static func partialCorrelation(_ c: Matrix, _ i: Int, _ j: Int, _ s: [Int]) -> Double {
        if s.isEmpty { return c[i, j] }
        let idx = [i, j] + s
        let k = idx.count
        var sub = Matrix(rows: k, cols: k)
        for a in 0..<k { for b in 0..<k { sub[a, b] = c[idx[a], idx[b]] } }
        var rhs = Matrix(rows: k, cols: 2)
        rhs[0, 0] = 1; rhs[1, 1] = 1
        guard let p = sub.solve(rhs) else { return 0 }
        let denom = (p[0, 0] * p[1, 1]).squareRoot()
        return denom > 0 ? -p[0, 1] / denom : 0
    }
}

/// Calls `body` with each `size`-subset of `items` (lexicographic) until it returns false.
func forEachSubset(of items: [Int], size: Int, _ body: ([Int]) -> Bool) {
    if size > items.count { return }
    var idx = Array(0..<size)
    while true {
        if !body(idx.map { items[$0] }) { return }
        var k = size - 1
        while k >= 0 && idx[k] == items.count - size + k { k -= 1 }
        if k < 0 { return }
        idx[k] += 1
        for m in (k + 1)..<max(k + 1, size) { idx[m] = idx[m - 1] + 1 }
    }
}
