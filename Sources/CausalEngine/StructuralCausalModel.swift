import StatsKit

/// A structural causal model on a DAG: each node X_j = f_j(pa_j) + U_j (additive noise).
///
/// Three mechanism families, fitted per node on its parents:
/// - `.linearGaussian`: f linear (least squares), U ~ N(0, σ²_j) with σ_j the residual
///   standard deviation;
/// - `.additiveNoise(degree:)`: f a polynomial of the given degree in each parent (no
///   cross terms, least squares), U drawn from the node's empirical residuals (no
///   distributional shape assumed);
/// - `.neural(hidden:)`: f a small MLP on TensorCore (`NeuralMechanism`), for relations no
///   polynomial fits (saturation, thresholds); U from the empirical residuals.
/// Noise is invertible (U = X − f(pa)), which enables exact abduction for counterfactuals
/// (Pearl 2009, §7.1: abduction, action, prediction).
public struct StructuralCausalModel: Sendable {
    /// The mechanism family.
    public enum Kind: Sendable, Hashable {
        case linearGaussian
        case additiveNoise(degree: Int)
        case neural(hidden: Int)
        var degree: Int { if case .additiveNoise(let p) = self { return p } else { return 1 } }
        /// Whether noise is drawn from the empirical residuals (else Gaussian).
        var empiricalNoise: Bool { if case .linearGaussian = self { return false } else { return true } }
    }

    /// One node's fitted mechanism f_j and noise model.
    public struct Mechanism: Sendable, Hashable {
        public let node: Int
        public let parents: [Int]
        public let degree: Int
        public let intercept: Double
        /// Coefficients, parent-major: for parent k, powers 1…degree.
        public let coefficients: [Double]
        /// Residual standard deviation σ_j.
        public let noiseSD: Double
        /// Empirical residuals (the noise distribution of additive-noise models).
        public let residuals: [Double]
        /// The learned network of a `.neural` mechanism (then `coefficients` are unused).
        public let network: NeuralMechanism?

        public init(node: Int, parents: [Int], degree: Int, intercept: Double, coefficients: [Double], noiseSD: Double,
                    residuals: [Double], network: NeuralMechanism? = nil) {
            self.node = node
            self.parents = parents
            self.degree = degree
            self.intercept = intercept
            self.coefficients = coefficients
            self.noiseSD = noiseSD
            self.residuals = residuals
            self.network = network
        }

        /// f_j evaluated at the full variable vector `x` (only parent entries are read).
        @inlinable public func predict(_ x: [Double]) -> Double {
            if let network { return network.predict(parents: parents.map { x[$0] }) }
            var y = intercept
            var k = 0
            for p in parents {
                var power = 1.0
                for _ in 0..<degree { power *= x[p]; y += coefficients[k] * power; k += 1 }
            }
            return y
        }

        /// The linear coefficient of a parent (degree-1 term), or 0.
        public func linearCoefficient(of parent: Int) -> Double {
            guard let k = parents.firstIndex(of: parent) else { return 0 }
            return coefficients[k * degree]
        }
    }

    public let graph: DAG
    public let kind: Kind
    public let mechanisms: [Mechanism]
    let order: [Int]

    /// Builds a model from given mechanisms (one per node, indexed by node).
    public init(graph: DAG, kind: Kind, mechanisms: [Mechanism]) throws(CausalError) {
        guard mechanisms.count == graph.count, mechanisms.enumerated().allSatisfy({ $0.offset == $0.element.node }) else {
            throw CausalError(.notFitted, "need one mechanism per node in node order (\(graph.count) nodes, \(mechanisms.count) mechanisms)")
        }
        for m in mechanisms where Set(m.parents) != Set(graph.parents(of: m.node)) {
            throw CausalError(.invalidArgument, "mechanism of '\(graph.nodes[m.node])' uses parents \(m.parents) but the graph has \(graph.parents(of: m.node))")
        }
        self.graph = graph
        self.kind = kind
        self.mechanisms = mechanisms
        self.order = graph.topologicalOrder
    }

    /// Fits every node's mechanism by least squares on its parents. Data columns are matched
    /// to graph nodes by name. O(n · Σ_j (p_j·degree)²).
    public static func fit(graph: DAG, data: DataSet, kind: Kind = .linearGaussian) throws(CausalError) -> StructuralCausalModel {
        let degree = kind.degree
        guard degree >= 1 && degree <= 5 else { throw CausalError(.invalidArgument, "additive-noise degree must be in 1...5, got \(degree)") }
        if case .neural(let hidden) = kind, !(1...256).contains(hidden) {
            throw CausalError(.invalidArgument, "neural mechanism hidden size must be in 1...256, got \(hidden)")
        }
        var cols: [[Double]] = []
        for name in graph.nodes { cols.append(data.columns[try data.index(of: name)]) }
        let n = data.rowCount
        guard n >= 3 else { throw CausalError(.invalidData, "fitting an SCM needs at least 3 rows, got \(n)") }
        var mechs: [Mechanism] = []
        for j in 0..<graph.count {
            let parents = graph.parents(of: j).sorted()
            let p = parents.count * degree + 1
            // Normal equations (FᵀF + εI) β = Fᵀy with features [1, x_k, x_k², ...].
            var ftf = Matrix(rows: p, cols: p), fty = Matrix(rows: p, cols: 1)
            var feat = [Double](repeating: 0, count: p)
            for i in 0..<n {
                feat[0] = 1
                var k = 1
                for q in parents { var pw = 1.0; for _ in 0..<degree { pw *= cols[q][i]; feat[k] = pw; k += 1 } }
                for a in 0..<p {
                    fty.values[a] += feat[a] * cols[j][i]
                    for b in a..<p { ftf.values[a * p + b] += feat[a] * feat[b] }
                }
            }
            for a in 0..<p { for b in 0..<a { ftf.values[a * p + b] = ftf.values[b * p + a] } ; ftf.values[a * p + a] *= 1 + 1e-12 }
            guard let beta = ftf.solve(fty) else {
                throw CausalError(.invalidData, "the parents of '\(graph.nodes[j])' are collinear; cannot fit its mechanism")
            }
            var network: NeuralMechanism?
            if case .neural(let hidden) = kind, !parents.isEmpty {
                let x = (0..<(n * parents.count)).map { cols[parents[$0 % parents.count]][$0 / parents.count] }
                network = NeuralMechanism.fit(x: x, y: cols[j], inputs: parents.count, hidden: hidden, seed: UInt64(j))
            }
            let mech0 = Mechanism(node: j, parents: parents, degree: degree, intercept: beta.values[0],
                                  coefficients: Array(beta.values[1...]), noiseSD: 0, residuals: [], network: network)
            var res = [Double](repeating: 0, count: n)
            var x = [Double](repeating: 0, count: graph.count)
            for i in 0..<n {
                for q in parents { x[q] = cols[q][i] }
                res[i] = cols[j][i] - mech0.predict(x)
            }
            let dof = Double(max(1, n - p))
            let sd = (res.reduce(0) { $0 + $1 * $1 } / dof).squareRoot()
            mechs.append(Mechanism(node: j, parents: parents, degree: degree, intercept: mech0.intercept,
                                   coefficients: mech0.coefficients, noiseSD: sd, residuals: res, network: network))
        }
        return try StructuralCausalModel(graph: graph, kind: kind, mechanisms: mechs)
    }

    /// Draws one noise value for node j.
    func drawNoise(_ j: Int, _ rng: inout some RandomNumberGenerator) -> Double {
        let m = mechanisms[j]
        guard kind.empiricalNoise else { return m.noiseSD * rng.nextGaussian() }
        return m.residuals.isEmpty ? 0 : m.residuals[Int(rng.next() % UInt64(m.residuals.count))]
    }
}
