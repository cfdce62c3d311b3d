/// A directed acyclic graph over named nodes, optionally with edge weights.
///
/// Nodes are addressed by index (their position in `nodes`, e.g. the CSV column order) or
/// by name. Construction rejects cycles with an error that names one. Adjacency lists are
/// kept both ways, so `parents` / `children` are O(1); graph queries are O(V + E).
public struct DAG: Sendable, Hashable {
    /// One directed edge `from → to` with an optional weight (a linear coefficient).
    public struct Edge: Sendable, Hashable, Codable {
        public var from: Int
        public var to: Int
        public var weight: Double?
        public init(from: Int, to: Int, weight: Double? = nil) {
            self.from = from
            self.to = to
            self.weight = weight
        }
    }

    /// Node names, unique.
    public let nodes: [String]
    /// Edges, in insertion order, no duplicates.
    public private(set) var edges: [Edge]
    private var parentLists: [[Int]]
    private var childLists: [[Int]]

    /// - Throws: `CausalError` `.invalidArgument` for duplicate names or self-loops,
    ///   `.unknownNode` for an edge endpoint out of range, `.cycle` naming the cycle.
    public init(nodes: [String], edges: [Edge] = []) throws(CausalError) {
        guard Set(nodes).count == nodes.count else {
            throw CausalError(.invalidArgument, "node names must be unique: \(nodes)")
        }
        self.nodes = nodes
        self.edges = []
        parentLists = Array(repeating: [], count: nodes.count)
        childLists = Array(repeating: [], count: nodes.count)
        for e in edges {
            guard nodes.indices.contains(e.from), nodes.indices.contains(e.to) else {
                throw CausalError(.unknownNode, "edge \(e.from) -> \(e.to) refers to a node outside 0..<\(nodes.count)")
            }
            guard e.from != e.to else { throw CausalError(.invalidArgument, "self-loop on node '\(nodes[e.from])'") }
            if childLists[e.from].contains(e.to) { continue }
            self.edges.append(e)
            childLists[e.from].append(e.to)
            parentLists[e.to].append(e.from)
        }
        if let cycle = DAG.findCycle(count: nodes.count, children: childLists) {
            throw CausalError(.cycle, "the edges form a cycle: " + (cycle + [cycle[0]]).map { nodes[$0] }.joined(separator: " -> "))
        }
    }

    /// Builds a DAG from named edges.
    public init(nodes: [String], edges: [(String, String)]) throws(CausalError) {
        var list: [Edge] = []
        for (a, b) in edges {
            guard let i = nodes.firstIndex(of: a) else { throw CausalError(.unknownNode, "edge source '\(a)' is not a node") }
            guard let j = nodes.firstIndex(of: b) else { throw CausalError(.unknownNode, "edge target '\(b)' is not a node") }
            list.append(Edge(from: i, to: j))
        }
        try self.init(nodes: nodes, edges: list)
    }

    /// Builds a DAG from a weighted adjacency matrix: `adjacency[i, j] != 0` means i → j.
    public init(nodes: [String], adjacency: Matrix) throws(CausalError) {
        guard adjacency.rows == nodes.count, adjacency.cols == nodes.count else {
            throw CausalError(.invalidArgument, "adjacency is \(adjacency.rows)x\(adjacency.cols) but there are \(nodes.count) nodes")
        }
        var list: [Edge] = []
        for i in 0..<nodes.count { for j in 0..<nodes.count where adjacency[i, j] != 0 {
            list.append(Edge(from: i, to: j, weight: adjacency[i, j]))
        } }
        try self.init(nodes: nodes, edges: list)
    }

    public var count: Int { nodes.count }

    /// Index of a node name.
    public func index(of name: String) throws(CausalError) -> Int {
        guard let i = nodes.firstIndex(of: name) else { throw CausalError(.unknownNode, "unknown node '\(name)'; nodes are \(nodes)") }
        return i
    }

    public func parents(of i: Int) -> [Int] { parentLists[i] }
    public func children(of i: Int) -> [Int] { childLists[i] }
    public func hasEdge(_ i: Int, _ j: Int) -> Bool { childLists[i].contains(j) }

    /// Weight of edge i → j (nil when absent or unweighted).
    public func weight(_ i: Int, _ j: Int) -> Double? { edges.first { $0.from == i && $0.to == j }?.weight }

    /// Weighted adjacency matrix (1 for unweighted edges).
    public var adjacency: Matrix {
        var m = Matrix(rows: count, cols: count)
        for e in edges { m[e.from, e.to] = e.weight ?? 1 }
        return m
    }

    /// All ancestors of the given nodes (excluding the nodes themselves unless reachable).
    public func ancestors(of start: some Sequence<Int>) -> Set<Int> { reach(from: start, next: parentLists) }
    public func ancestors(of i: Int) -> Set<Int> { ancestors(of: [i]) }
    /// All descendants of the given nodes (excluding the nodes themselves).
    public func descendants(of start: some Sequence<Int>) -> Set<Int> { reach(from: start, next: childLists) }
    public func descendants(of i: Int) -> Set<Int> { descendants(of: [i]) }

    private func reach(from start: some Sequence<Int>, next: [[Int]]) -> Set<Int> {
        var seen = Set<Int>()
        var stack = Array(start).flatMap { next[$0] }
        while let v = stack.popLast() {
            if seen.insert(v).inserted { stack.append(contentsOf: next[v]) }
        }
        return seen
    }

    /// A topological order (Kahn's algorithm; ties broken by node index, so stable). O(V + E).
    public var topologicalOrder: [Int] {
        var indeg = parentLists.map(\.count)
        var ready = (0..<count).filter { indeg[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        while let v = ready.popLast() {
            order.append(v)
            for c in childLists[v].sorted(by: >) {
                indeg[c] -= 1
                if indeg[c] == 0 { ready.append(c); ready.sort(by: >) }
            }
        }
        return order
    }

    /// Returns one directed cycle (as a node index list) or nil if the graph is acyclic.
    /// Iterative DFS with colours, O(V + E).
    public static func findCycle(count: Int, children: [[Int]]) -> [Int]? {
        var color = [UInt8](repeating: 0, count: count)   // 0 white, 1 on stack, 2 done
        var parent = [Int](repeating: -1, count: count)
        for root in 0..<count where color[root] == 0 {
            var stack: [(Int, Int)] = [(root, 0)]
            color[root] = 1
            while !stack.isEmpty {
                let (v, k) = stack[stack.count - 1]
                if k < children[v].count {
                    stack[stack.count - 1].1 += 1
                    let w = children[v][k]
                    if color[w] == 0 {
                        color[w] = 1
                        parent[w] = v
                        stack.append((w, 0))
                    } else if color[w] == 1 {
                        var cycle = [v]
                        var u = v
                        while u != w { u = parent[u]; cycle.append(u) }
                        return cycle.reversed()
                    }
                } else {
                    color[v] = 2
                    stack.removeLast()
                }
            }
        }
        return nil
    }

    /// `true` when the weighted adjacency matrix (nonzero = edge) has a directed cycle.
    public static func hasCycle(_ adjacency: Matrix) -> Bool {
        let n = adjacency.rows
        let children = (0..<n).map { i in (0..<n).filter { adjacency[i, $0] != 0 } }
        return findCycle(count: n, children: children) != nil
    }
}
