extension DAG {
    /// d-separation test: are all nodes in `x` d-separated from all nodes in `y` given `z`?
    ///
    /// Implements the "reachable" (Bayes-ball) algorithm of Koller & Friedman,
    /// *Probabilistic Graphical Models*, Algorithm 3.1: collect the ancestors of `z`, then
    /// traverse active trails from `x` tracking the direction of arrival. O(V + E).
    public func isDSeparated(_ x: Set<Int>, _ y: Set<Int>, given z: Set<Int>) -> Bool {
        reachableByActiveTrail(from: x, given: z).isDisjoint(with: y)
    }

    /// Named form of `isDSeparated`.
    public func isDSeparated(_ x: [String], _ y: [String], given z: [String] = []) throws(CausalError) -> Bool {
        var xs = Set<Int>(), ys = Set<Int>(), zs = Set<Int>()
        for n in x { xs.insert(try index(of: n)) }
        for n in y { ys.insert(try index(of: n)) }
        for n in z { zs.insert(try index(of: n)) }
        return isDSeparated(xs, ys, given: zs)
    }

    /// Nodes reachable from `x` by an active trail given `z` (excluding nodes in `z`).
    func reachableByActiveTrail(from x: Set<Int>, given z: Set<Int>, skipEdgesOutOf cut: Int? = nil) -> Set<Int> {
        // Phase 1: z and its ancestors (colliders in this set are open).
        var zAncestors = z
        zAncestors.formUnion(ancestors(of: z))
        // Phase 2: traverse (node, arrivedFromChild) pairs.
        var visited = Set<[Int]>()
        var reachable = Set<Int>()
        var stack: [(Int, Bool)] = x.map { ($0, true) }
        func kids(_ v: Int) -> [Int] { v == cut ? [] : children(of: v) }
        func pars(_ v: Int) -> [Int] { parents(of: v).filter { $0 != cut } }
        while let (v, up) = stack.popLast() {
            if !visited.insert([v, up ? 1 : 0]).inserted { continue }
            let observed = z.contains(v)
            if !observed { reachable.insert(v) }
            if up {
                if !observed {
                    for p in pars(v) { stack.append((p, true)) }
                    for c in kids(v) { stack.append((c, false)) }
                }
            } else {
                if !observed { for c in kids(v) { stack.append((c, false)) } }
                if zAncestors.contains(v) { for p in pars(v) { stack.append((p, true)) } }
            }
        }
        return reachable
    }

    /// Back-door criterion (Pearl 2009, Def. 3.3.1): `adjustment` contains no descendant of
    /// `treatment`, and blocks every path between `treatment` and `outcome` that starts with
    /// an arrow into `treatment` (tested as d-separation after removing the edges out of
    /// `treatment`). O(V + E).
    public func isValidBackdoorSet(treatment: Int, outcome: Int, adjustment: Set<Int>) -> Bool {
        if adjustment.contains(treatment) || adjustment.contains(outcome) { return false }
        if !adjustment.isDisjoint(with: descendants(of: treatment)) { return false }
        let reach = reachableByActiveTrail(from: [treatment], given: adjustment, skipEdgesOutOf: treatment)
        return !reach.contains(outcome)
    }

    /// All valid back-door adjustment sets of size ≤ `maxSize`, smallest first (sets are
    /// sorted node-index arrays). Enumerates subsets of the non-descendants of the
    /// treatment: O(C(V, maxSize)·(V + E)); keep `maxSize` small on big graphs.
    public func backdoorAdjustmentSets(treatment: Int, outcome: Int, maxSize: Int = 3) -> [[Int]] {
        let forbidden = descendants(of: treatment).union([treatment, outcome])
        let candidates = (0..<count).filter { !forbidden.contains($0) }
        var result: [[Int]] = []
        func extend(_ start: Int, _ current: [Int], _ size: Int) {
            if current.count == size {
                if isValidBackdoorSet(treatment: treatment, outcome: outcome, adjustment: Set(current)) { result.append(current) }
                return
            }
            var i = start
            while i < candidates.count { extend(i + 1, current + [candidates[i]], size); i += 1 }
        }
        for size in 0...min(maxSize, candidates.count) { extend(0, [], size) }
        return result
    }

    /// A valid adjustment set: the parents of the treatment when the outcome is not among
    /// them (always valid then), otherwise the smallest enumerated set; nil if none exists.
    public func backdoorAdjustmentSet(treatment: Int, outcome: Int) -> [Int]? {
        let pa = parents(of: treatment).sorted()
        if !pa.contains(outcome), isValidBackdoorSet(treatment: treatment, outcome: outcome, adjustment: Set(pa)) { return pa }
        return backdoorAdjustmentSets(treatment: treatment, outcome: outcome, maxSize: min(count, 4)).first
    }
}
