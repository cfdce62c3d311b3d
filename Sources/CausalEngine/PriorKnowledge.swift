/// Background knowledge that constrains structure learning.
///
/// - `required`: edges that must be in the result (NOTEARS: exempt from the L1 penalty and
///   the threshold, reverse edge forbidden; PC: never removed, oriented as given).
/// - `forbidden`: edges that must not be in the result (NOTEARS: bounded to 0; PC: removed).
/// - `tiers`: a rank per node; an edge from a later tier to an earlier one is forbidden
///   (e.g. configuration = 0, load = 1, KPIs = 2). Nodes without a tier are unconstrained.
/// - `maxParents`: at most this many parents per node, keeping the strongest
///   (largest |weight|; required edges always kept).
public struct PriorKnowledge: Sendable, Hashable {
    public var required: Set<Pair>
    public var forbidden: Set<Pair>
    public var tiers: [Int: Int]
    public var maxParents: Int?

    /// An ordered node pair `from → to`, by index.
    public struct Pair: Sendable, Hashable, Codable {
        public var from: Int
        public var to: Int
        public init(_ from: Int, _ to: Int) { self.from = from; self.to = to }
    }

    public init(required: Set<Pair> = [], forbidden: Set<Pair> = [], tiers: [Int: Int] = [:], maxParents: Int? = nil) {
        self.required = required
        self.forbidden = forbidden
        self.tiers = tiers
        self.maxParents = maxParents
    }

    /// Builds prior knowledge from node names (resolved against `names`).
    public init(names: [String], required: [(String, String)] = [], forbidden: [(String, String)] = [],
                tiers: [String: Int] = [:], maxParents: Int? = nil) throws(CausalError) {
        func idx(_ n: String) throws(CausalError) -> Int {
            guard let i = names.firstIndex(of: n) else { throw CausalError(.unknownNode, "prior knowledge names unknown node '\(n)'") }
            return i
        }
        var req = Set<Pair>(), forb = Set<Pair>(), t = [Int: Int]()
        for (a, b) in required { req.insert(Pair(try idx(a), try idx(b))) }
        for (a, b) in forbidden { forb.insert(Pair(try idx(a), try idx(b))) }
        for (n, k) in tiers { t[try idx(n)] = k }
        self.init(required: req, forbidden: forb, tiers: t, maxParents: maxParents)
    }

    /// Checks consistency against `d` nodes: indices in range, no edge both required and
    /// forbidden, no required edge against the tiers, required edges acyclic.
    public func validate(nodeCount d: Int) throws(CausalError) {
        for p in required.union(forbidden) where !(0..<d).contains(p.from) || !(0..<d).contains(p.to) || p.from == p.to {
            throw CausalError(.invalidArgument, "prior knowledge edge \(p.from) -> \(p.to) is not a valid pair of distinct nodes in 0..<\(d)")
        }
        for p in required where isForbidden(p.from, p.to) {
            throw CausalError(.invalidArgument, "edge \(p.from) -> \(p.to) is both required and forbidden (explicitly or by tiers)")
        }
        if let m = maxParents, m < 0 { throw CausalError(.invalidArgument, "max_parents must be >= 0, got \(m)") }
        var children = [[Int]](repeating: [], count: d)
        for p in required { children[p.from].append(p.to) }
        if DAG.findCycle(count: d, children: children) != nil {
            throw CausalError(.cycle, "the required edges form a cycle")
        }
    }

    /// `true` when `i → j` is excluded explicitly, by tiers, or as the reverse of a required edge.
    public func isForbidden(_ i: Int, _ j: Int) -> Bool {
        if forbidden.contains(Pair(i, j)) { return true }
        if let ti = tiers[i], let tj = tiers[j], ti > tj { return true }
        if required.contains(Pair(j, i)) { return true }
        return false
    }

    public func isRequired(_ i: Int, _ j: Int) -> Bool { required.contains(Pair(i, j)) }

    /// Applies `maxParents` to a weighted adjacency matrix (keeps the largest |weights|,
    /// required edges first) and zeroes forbidden entries.
    public func prune(_ w: Matrix) -> Matrix {
        var w = w
        let d = w.rows
        for i in 0..<d { for j in 0..<d where isForbidden(i, j) && !isRequired(i, j) { w[i, j] = 0 } }
        guard let m = maxParents else { return w }
        for j in 0..<d {
            let parents = (0..<d).filter { w[$0, j] != 0 }
            if parents.count <= m { continue }
            let ranked = parents.sorted { a, b in
                let ra = isRequired(a, j), rb = isRequired(b, j)
                if ra != rb { return ra }
                return abs(w[a, j]) > abs(w[b, j])
            }
            for p in ranked.dropFirst(m) where !isRequired(p, j) { w[p, j] = 0 }
        }
        return w
    }
}
