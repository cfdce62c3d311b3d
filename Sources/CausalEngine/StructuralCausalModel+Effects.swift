import StatsKit

extension StructuralCausalModel {
    /// An average treatment effect with a bootstrap confidence interval.
    public struct EffectEstimate: Sendable, Hashable, Codable {
        /// ATE = E[Y | do(T = treated)] − E[Y | do(T = control)] on the full data.
        public var estimate: Double
        /// Percentile bootstrap interval.
        public var lower: Double
        public var upper: Double
        public var confidence: Double
        /// Bootstrap replicates used.
        public var replicates: Int
        /// Bootstrap standard error.
        public var standardError: Double
    }

    /// Mean over observed units of the counterfactual difference Y(do(T = treated)) −
    /// Y(do(T = control)), each unit keeping its abducted noise: the plug-in ATE under this
    /// model (for linear mechanisms it equals the total causal effect times the contrast).
    public func averageTreatmentEffect(treatment: Int, outcome: Int, treated: Double, control: Double,
                                       on data: DataSet) throws(CausalError) -> Double {
        let y1 = try counterfactual(data, interventions: [.set(treatment, to: treated)]).columns[outcome]
        let y0 = try counterfactual(data, interventions: [.set(treatment, to: control)]).columns[outcome]
        return zip(y1, y0).reduce(0) { $0 + $1.0 - $1.1 } / Double(max(1, y1.count))
    }

    /// ATE with a percentile bootstrap CI: rows are resampled with replacement, the model is
    /// refitted on the same graph for each replicate (capturing estimation uncertainty of
    /// the mechanisms), and the plug-in ATE recomputed. O(B · fit cost).
    public static func averageTreatmentEffect(graph: DAG, data: DataSet, kind: Kind = .linearGaussian,
                                              treatment: String, outcome: String, treated: Double, control: Double,
                                              bootstrapReplicates: Int = 200, confidence: Double = 0.95,
                                              using rng: inout some RandomNumberGenerator) throws(CausalError) -> EffectEstimate {
        guard bootstrapReplicates >= 10 else { throw CausalError(.invalidArgument, "need at least 10 bootstrap replicates, got \(bootstrapReplicates)") }
        guard confidence > 0 && confidence < 1 else { throw CausalError(.invalidArgument, "confidence must lie in (0, 1), got \(confidence)") }
        let t = try graph.index(of: treatment), y = try graph.index(of: outcome)
        let full = try fit(graph: graph, data: data, kind: kind)
        let estimate = try full.averageTreatmentEffect(treatment: t, outcome: y, treated: treated, control: control, on: data)
        let n = data.rowCount
        var reps: [Double] = []
        for _ in 0..<bootstrapReplicates {
            let idx = (0..<n).map { _ in Int(rng.next() % UInt64(n)) }
            let sample = data.rows(idx)
            let m = try fit(graph: graph, data: sample, kind: kind)
            reps.append(try m.averageTreatmentEffect(treatment: t, outcome: y, treated: treated, control: control, on: sample))
        }
        reps.sort()
        func q(_ p: Double) -> Double {
            let pos = p * Double(reps.count - 1)
            let lo = Int(pos.rounded(.down)), hi = min(reps.count - 1, lo + 1)
            return reps[lo] + (pos - Double(lo)) * (reps[hi] - reps[lo])
        }
        let mean = reps.reduce(0, +) / Double(reps.count)
        let se = (reps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(reps.count - 1)).squareRoot()
        return EffectEstimate(estimate: estimate, lower: q((1 - confidence) / 2), upper: q(1 - (1 - confidence) / 2),
                              confidence: confidence, replicates: bootstrapReplicates, standardError: se)
    }
}
