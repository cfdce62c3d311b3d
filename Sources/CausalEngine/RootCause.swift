import StatsKit

/// Root-cause attribution on a fitted structural causal model.
///
/// - Anomaly: for one anomalous observation, the target's deviation from its value under
///   typical noise (all noises at 0 = the mechanisms' means) is split among the nodes by
///   Shapley values over "which nodes keep their observed (abducted) noise"
///   (noise-contribution attribution, Budhathoki et al. 2022, "Causal structure-based root
///   cause analysis of outliers"). For linear models the contributions are exactly the
///   total effect of each node on the target times its noise, and they sum to the deviation.
/// - Shift: the change of the target's mean between a reference and a current period is
///   split among nodes by Shapley values over "which nodes use the current period's
///   mechanism and noise" (Budhathoki et al. 2021, "Why did the distribution change?"),
///   estimated by Monte-Carlo with common random numbers.
///
/// Shapley values are exact (all 2^k coalitions) for k ≤ `exactLimit` relevant nodes (the
/// target and its ancestors), otherwise estimated from `permutations` seeded permutations.
public struct RootCauseAnalyzer: Sendable {
    /// One node's share.
    public struct Attribution: Sendable, Hashable, Codable {
        public var node: String
        /// Contribution to the target's change, in target units (signed).
        public var contribution: Double
        /// |contribution| / Σ|contributions|.
        public var share: Double
        /// Standardised noise |U_j| / σ_j of the node in the observation (anomaly mode), or the
        /// standardised mean shift of its noise between periods (shift mode).
        public var noiseScore: Double
    }

    public var exactLimit = 10
    public var permutations = 200
    public var samples = 4000

    public init(exactLimit: Int = 10, permutations: Int = 200, samples: Int = 4000) {
        self.exactLimit = exactLimit
        self.permutations = permutations
        self.samples = samples
    }

    /// Attributes the target's value in `observation` (node order) to node noises, ranked
    /// by |contribution| descending.
    public func attributeAnomaly(model: StructuralCausalModel, observation: [Double], target: String,
                                 using rng: inout some RandomNumberGenerator) throws(CausalError) -> [Attribution] {
        let t = try model.graph.index(of: target)
        guard observation.count == model.graph.count else {
            throw CausalError(.invalidData, "observation has \(observation.count) values, the model \(model.graph.count) nodes")
        }
        let players = ([t] + model.graph.ancestors(of: t)).sorted()
        let u = model.abduct(observation)
        let noiseMeans = model.mechanisms.map { m in m.residuals.isEmpty ? 0 : m.residuals.reduce(0, +) / Double(m.residuals.count) }
        func value(_ coalition: [Bool]) -> Double {
            var noise = noiseMeans
            for (k, p) in players.enumerated() where coalition[k] { noise[p] = u[p] }
            return model.propagate(noise: noise, interventions: [:])[t]
        }
        let phi = shapley(players: players.count, value: value, rng: &rng)
        return rank(players: players, phi: phi, model: model) { j in
            let sd = model.mechanisms[j].noiseSD
            return sd > 0 ? abs(u[j] - noiseMeans[j]) / sd : 0
        }
    }

    /// Attributes the change of the target's mean from `reference` to `current` to nodes
    /// whose mechanism or noise changed. Both models are fitted on `graph` with `kind`.
    public func attributeShift(graph: DAG, reference: DataSet, current: DataSet, target: String,
                               kind: StructuralCausalModel.Kind = .additiveNoise(degree: 1),
                               using rng: inout some RandomNumberGenerator) throws(CausalError) -> [Attribution] {
        let t = try graph.index(of: target)
        let ref = try StructuralCausalModel.fit(graph: graph, data: reference, kind: kind)
        let cur = try StructuralCausalModel.fit(graph: graph, data: current, kind: kind)
        let players = ([t] + graph.ancestors(of: t)).sorted()
        let d = graph.count
        // Common random numbers: one uniform per (sample, node) reused by every coalition.
        let draws = (0..<(samples * d)).map { _ in rng.nextUniform() }
        let gaussians = (0..<(samples * d)).map { _ in rng.nextGaussian() }
        func noise(_ m: StructuralCausalModel.Mechanism, _ model: StructuralCausalModel, _ k: Int) -> Double {
            guard model.kind.empiricalNoise else { return m.noiseSD * gaussians[k] }
            return m.residuals.isEmpty ? 0 : m.residuals[min(m.residuals.count - 1, Int(draws[k] * Double(m.residuals.count)))]
        }
        let order = graph.topologicalOrder
        func value(_ coalition: [Bool]) -> Double {
            var useCurrent = [Bool](repeating: false, count: d)
            for (k, p) in players.enumerated() where coalition[k] { useCurrent[p] = true }
            var total = 0.0
            var x = [Double](repeating: 0, count: d)
            for i in 0..<samples {
                for j in order {
                    let model = useCurrent[j] ? cur : ref
                    let m = model.mechanisms[j]
                    x[j] = m.predict(x) + noise(m, model, i * d + j)
                }
                total += x[t]
            }
            return total / Double(samples)
        }
        let phi = shapley(players: players.count, value: value, rng: &rng)
        return rank(players: players, phi: phi, model: ref) { j in
            let a = ref.mechanisms[j], b = cur.mechanisms[j]
            let mA = a.residuals.reduce(0, +) / Double(max(1, a.residuals.count))
            let mB = b.residuals.reduce(0, +) / Double(max(1, b.residuals.count))
            // Mean change of node j's own mechanism (at the reference parents) plus its noise
            // mean change, in reference σ units.
            let predShift = meanMechanismShift(j, ref: a, cur: b, data: reference, graph: graph)
            return a.noiseSD > 0 ? abs(predShift + mB - mA) / a.noiseSD : 0
        }
    }

    private func meanMechanismShift(_ j: Int, ref: StructuralCausalModel.Mechanism, cur: StructuralCausalModel.Mechanism,
                                    data: DataSet, graph: DAG) -> Double {
        let rows = data.rowsAsVectors(graph)
        if rows.isEmpty { return 0 }
        return rows.reduce(0) { $0 + cur.predict($1) - ref.predict($1) } / Double(rows.count)
    }

    /// Shapley values of a set function over `players` players.
    func shapley(players k: Int, value: ([Bool]) -> Double, rng: inout some RandomNumberGenerator) -> [Double] {
        var phi = [Double](repeating: 0, count: k)
        if k <= exactLimit {
            // Exact: φ_i = Σ_S |S|!(k−|S|−1)!/k! · (v(S ∪ i) − v(S)).
            var cache = [Double](repeating: 0, count: 1 << k)
            for mask in 0..<(1 << k) { cache[mask] = value((0..<k).map { mask & (1 << $0) != 0 }) }
            var fact = [1.0]
            for i in 1...max(1, k) { fact.append(fact[i - 1] * Double(i)) }
            for i in 0..<k {
                for mask in 0..<(1 << k) where mask & (1 << i) == 0 {
                    let s = mask.nonzeroBitCount
                    phi[i] += fact[s] * fact[k - s - 1] / fact[k] * (cache[mask | (1 << i)] - cache[mask])
                }
            }
            return phi
        }
        for _ in 0..<permutations {
            var perm = Array(0..<k)
            perm.shuffle(using: &rng)
            var coalition = [Bool](repeating: false, count: k)
            var prev = value(coalition)
            for p in perm {
                coalition[p] = true
                let v = value(coalition)
                phi[p] += v - prev
                prev = v
            }
        }
        return phi.map { $0 / Double(permutations) }
    }

    private func rank(players: [Int], phi: [Double], model: StructuralCausalModel,
                      score: (Int) -> Double) -> [Attribution] {
        let total = phi.reduce(0) { $0 + abs($1) }
        return zip(players, phi).map { j, c in
            Attribution(node: model.graph.nodes[j], contribution: c, share: total > 0 ? abs(c) / total : 0, noiseScore: score(j))
        }.sorted { abs($0.contribution) > abs($1.contribution) }
    }
}
