import StatsKit

extension StructuralCausalModel {
    /// Propagates a full noise vector through the mechanisms in topological order, applying
    /// interventions. `noise[j]` is U_j. Returns the variable vector.
    func propagate(noise: [Double], interventions: [Int: Intervention]) -> [Double] {
        var x = [Double](repeating: 0, count: graph.count)
        for j in order {
            let natural = mechanisms[j].predict(x) + noise[j]
            x[j] = interventions[j]?.apply(natural: natural) ?? natural
        }
        return x
    }

    /// Draws `n` samples (observational when `interventions` is empty, otherwise from the
    /// interventional distribution). Columns are named by the graph's nodes. O(n · Σ|pa|).
    public func sample(_ n: Int, interventions: [Intervention] = [],
                       using rng: inout some RandomNumberGenerator) throws(CausalError) -> DataSet {
        let map = try interventionMap(interventions)
        var cols = [[Double]](repeating: [Double](repeating: 0, count: n), count: graph.count)
        var u = [Double](repeating: 0, count: graph.count)
        for i in 0..<n {
            for j in 0..<graph.count { u[j] = drawNoise(j, &rng) }
            let x = propagate(noise: u, interventions: map)
            for j in 0..<graph.count { cols[j][i] = x[j] }
        }
        return try DataSet(names: graph.nodes, columns: cols)
    }

    /// Abduction: the noise vector U = X − f(pa) that explains an observed unit.
    public func abduct(_ row: [Double]) -> [Double] {
        (0..<graph.count).map { row[$0] - mechanisms[$0].predict(row) }
    }

    /// Counterfactual samples: for each observed unit (row of `observed`, columns matched by
    /// name), abduct its noise, apply the interventions, predict with the same noise.
    /// Exact for additive-noise mechanisms. O(n · Σ|pa|).
    public func counterfactual(_ observed: DataSet, interventions: [Intervention]) throws(CausalError) -> DataSet {
        let map = try interventionMap(interventions)
        var idx: [Int] = []
        for name in graph.nodes { idx.append(try observed.index(of: name)) }
        let n = observed.rowCount
        var cols = [[Double]](repeating: [Double](repeating: 0, count: n), count: graph.count)
        var row = [Double](repeating: 0, count: graph.count)
        for i in 0..<n {
            for j in 0..<graph.count { row[j] = observed.columns[idx[j]][i] }
            let x = propagate(noise: abduct(row), interventions: map)
            for j in 0..<graph.count { cols[j][i] = x[j] }
        }
        return try DataSet(names: graph.nodes, columns: cols)
    }

    /// One counterfactual unit (row in node order).
    public func counterfactual(row: [Double], interventions: [Intervention]) throws(CausalError) -> [Double] {
        guard row.count == graph.count else { throw CausalError(.invalidData, "row has \(row.count) values, the graph \(graph.count) nodes") }
        return propagate(noise: abduct(row), interventions: try interventionMap(interventions))
    }

    func interventionMap(_ list: [Intervention]) throws(CausalError) -> [Int: Intervention] {
        var map: [Int: Intervention] = [:]
        for iv in list {
            guard (0..<graph.count).contains(iv.node) else { throw CausalError(.unknownNode, "intervention on node index \(iv.node) outside 0..<\(graph.count)") }
            guard map[iv.node] == nil else { throw CausalError(.invalidArgument, "two interventions on '\(graph.nodes[iv.node])'") }
            map[iv.node] = iv
        }
        return map
    }

    /// E[X_target | do(interventions)] by propagating the noise means (exact for linear
    /// mechanisms: f is affine and E[U] = 0; for polynomial mechanisms use `sample`).
    public func linearInterventionalMean(of target: Int, interventions: [Intervention]) throws(CausalError) -> Double {
        let noiseMeans = mechanisms.map { $0.residuals.isEmpty ? 0 : $0.residuals.reduce(0, +) / Double($0.residuals.count) }
        return propagate(noise: noiseMeans, interventions: try interventionMap(interventions))[target]
    }
}
