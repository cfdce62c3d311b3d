import CausalEngine
import Randomness
import Foundation

/// The causal service: discovery, interventions, counterfactuals and effect estimates on
/// tabular data, for the REST API and the CLI. Stateless; every call is handed its data.
public struct CausalService: Sendable {
    public init() {}

    /// A learned graph in the shape the API and CLI print: `adjacency[i][j] != 0` means
    /// column i causes column j.
    public struct Discovery: Codable, Sendable, Equatable {
        public struct Edge: Codable, Sendable, Equatable {
            public var from: String
            public var to: String
            public var weight: Double
        }
        public var columns: [String]
        public var adjacency: [[Double]]
        public var edges: [Edge]
        public var seconds: Double
    }

    public enum Method: String, Sendable, CaseIterable {
        case notears, pc
    }

    /// Learns the graph of `data` with NOTEARS (weights) or PC (1 for directed edges, -1 for
    /// undirected ones, as the NOTEARS evaluation code encodes a CPDAG).
    public func discover(_ data: DataSet, method: Method = .notears, lambda1: Double = 0.1, wThreshold: Double = 0.3, prior: PriorKnowledge = PriorKnowledge()) throws -> Discovery {
        let (matrix, seconds): (Matrix, Double)
        switch method {
        case .pc:
            let fit = try PC(prior: prior).fit(data)
            (matrix, seconds) = (fit.adjacency, fit.seconds)
        case .notears:
            let fit = try NOTEARS(lambda1: lambda1, wThreshold: wThreshold, prior: prior).fit(data)
            (matrix, seconds) = (fit.weights, fit.seconds)
        }
        let n = data.names.count
        let adjacency = (0..<n).map { i in (0..<n).map { j in matrix[i, j] } }
        var edges: [Discovery.Edge] = []
        for i in 0..<n {
            for j in 0..<n where adjacency[i][j] != 0 {
                edges.append(Discovery.Edge(from: data.names[i], to: data.names[j], weight: adjacency[i][j]))
            }
        }
        return Discovery(columns: data.names, adjacency: adjacency, edges: edges, seconds: seconds)
    }

    /// The graph to reason on: the given edges, or the one NOTEARS learns from `data`.
    public func graph(for data: DataSet, edges: [(String, String)]?) throws -> DAG {
        if let edges { return try DAG(nodes: data.names, edges: edges) }
        let learned = try discover(data)
        return try DAG(nodes: data.names, edges: learned.edges.map { ($0.from, $0.to) })
    }

    /// One requested change to a variable: set it, shift it or scale it.
    public struct Change: Sendable {
        public enum Kind: String, Sendable { case set, shift, scale }
        public var node: String
        public var kind: Kind
        public var value: Double
        public init(node: String, kind: Kind, value: Double) {
            self.node = node
            self.kind = kind
            self.value = value
        }
    }

    /// What the interventions do to every variable's mean, compared with doing nothing.
    public struct InterventionResult: Codable, Sendable {
        public var observational_mean: [String: Double]
        public var interventional_mean: [String: Double]
        public var samples: Int
    }

    /// Fits a structural causal model on `graph` and samples the interventional distribution.
    public func intervene(_ data: DataSet, graph: DAG, changes: [Change], samples: Int = 5000, seed: UInt64 = 0,
                          mechanism: StructuralCausalModel.Kind = .linearGaussian) throws -> InterventionResult {
        let model = try StructuralCausalModel.fit(graph: graph, data: data, kind: mechanism)
        let interventions = try changes.map { try intervention($0, graph) }
        var rng = SeededGenerator(seed: seed)
        let baseline = try model.sample(samples, using: &rng)
        let changed = try model.sample(samples, interventions: interventions, using: &rng)
        func means(_ set: DataSet) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: zip(set.names, set.columns.map { $0.reduce(0, +) / Double(max(1, $0.count)) }))
        }
        return InterventionResult(observational_mean: means(baseline), interventional_mean: means(changed), samples: samples)
    }

    /// What each observed unit would have looked like under the changes (abduction, action, prediction).
    public func counterfactual(_ data: DataSet, graph: DAG, units: [[String: Double]], changes: [Change],
                               mechanism: StructuralCausalModel.Kind = .linearGaussian) throws -> [[String: Double]] {
        let model = try StructuralCausalModel.fit(graph: graph, data: data, kind: mechanism)
        let interventions = try changes.map { try intervention($0, graph) }
        return try units.enumerated().map { index, unit in
            let row = try graph.nodes.map { name in
                guard let value = unit[name] else { throw CausalError(.invalidArgument, "unit \(index) has no value for '\(name)'") }
                return value
            }
            let result = try model.counterfactual(row: row, interventions: interventions)
            return Dictionary(uniqueKeysWithValues: zip(graph.nodes, result))
        }
    }

    /// The average effect on `outcome` of setting `treatment` to `treated` rather than
    /// `control`, with a bootstrap confidence interval.
    public func averageTreatmentEffect(_ data: DataSet, graph: DAG, treatment: String, outcome: String, treated: Double, control: Double,
                                       replicates: Int = 200, seed: UInt64 = 0,
                                       mechanism: StructuralCausalModel.Kind = .linearGaussian) throws -> StructuralCausalModel.EffectEstimate {
        var rng = SeededGenerator(seed: seed)
        return try StructuralCausalModel.averageTreatmentEffect(
            graph: graph, data: data, kind: mechanism, treatment: treatment, outcome: outcome, treated: treated, control: control,
            bootstrapReplicates: replicates, using: &rng)
    }

    /// The mechanism family by name: `linear` (default), `additive` (cubic additive noise) or
    /// `neural` (an MLP per node on TensorCore).
    public static func mechanism(named name: String?) throws -> StructuralCausalModel.Kind {
        switch name ?? "linear" {
        case "linear": return .linearGaussian
        case "additive": return .additiveNoise(degree: 3)
        case "neural": return .neural(hidden: 16)
        default: throw PlatformError.invalid("mechanism must be linear, additive or neural, got '\(name ?? "")'")
        }
    }

    func intervention(_ change: Change, _ graph: DAG) throws -> Intervention {
        let node = try graph.index(of: change.node)
        switch change.kind {
        case .set: return .set(node, to: change.value)
        case .shift: return .shift(node, by: change.value)
        case .scale: return .scale(node, by: change.value)
        }
    }
}
