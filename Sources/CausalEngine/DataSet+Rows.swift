extension DataSet {
    /// Rows as vectors in the graph's node order (columns matched by name; missing → []).
    func rowsAsVectors(_ graph: DAG) -> [[Double]] {
        var idx: [Int] = []
        for name in graph.nodes {
            guard let i = names.firstIndex(of: name) else { return [] }
            idx.append(i)
        }
        return (0..<rowCount).map { r in idx.map { columns[$0][r] } }
    }
}
