// The NOTEARS objective micro-benchmark (`--eval-bench`): µs of CPU per evaluation of
// F and ∇F at d = 10 and 20 on W shaped like those a fit visits, one case per exponential path:
//   sparse: ~2d edges of |w| ∈ [0.5, 2] plus 1e-3 noise elsewhere — a late iterate; the 1-norm
//           of W∘W is well above 5.37, so Padé 13 with scaling and squaring;
//   dense:  every off-diagonal entry ~U(±0.03) — an early iterate; Padé 3;
//   medium: every off-diagonal entry ~U(±0.15) — a few steps later; Padé 5.
@_spi(Benchmarks) import CausalEngine
import Foundation
import StatsKit

/// x = [W⁺; W⁻] for a random W of the given kind.
func benchPoint(d: Int, kind: String, rng: inout SeededGenerator) -> [Double] {
    let sparse = kind == "sparse", spread = kind == "medium" ? 0.15 : 0.03
    var w = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
        for j in 0..<d where i != j {
            w[i * d + j] = sparse ? Double.random(in: -1e-3...1e-3, using: &rng) : Double.random(in: -spread...spread, using: &rng)
        }
    }
    if sparse {
        // 2d edges i → j with i < j under a random order (a DAG, as NOTEARS converges to).
        let order = (0..<d).shuffled(using: &rng)
        var placed = 0
        while placed < 2 * d {
            let a = Int.random(in: 0..<d, using: &rng), b = Int.random(in: 0..<d, using: &rng)
            guard a < b else { continue }
            let magnitude = Double.random(in: 0.5...2, using: &rng)
            w[order[a] * d + order[b]] = Bool.random(using: &rng) ? magnitude : -magnitude
            placed += 1
        }
    }
    return w.map { max($0, 0) } + w.map { max(-$0, 0) }
}

/// max column sum of W∘W: which Padé path the exponential takes.
func hadamardNorm(_ x: [Double], d: Int) -> Double {
    (0..<d).map { j in (0..<d).reduce(0.0) { s, i in let w = x[i * d + j] - x[d * d + i * d + j]; return s + w * w } }.max()!
}

func runEvalBench(repetitions: Int) {
    for d in [10, 20] {
        var rng = SeededGenerator(seed: UInt64(d))   // the same matrices in both A/B binaries
        // Covariance of a random linear SEM-like sample: S = AᵀA/n + I, symmetric positive definite.
        let n = 4 * d
        let a = (0..<(n * d)).map { _ in Double.random(in: -1...1, using: &rng) }
        var s = Matrix(rows: d, cols: d)
        for i in 0..<d { for j in 0..<d { s[i, j] = (0..<n).reduce(i == j ? 1.0 : 0.0) { $0 + a[$1 * d + i] * a[$1 * d + j] / Double(n) } } }
        let probe = NOTEARS.ObjectiveProbe(covariance: s, lambda1: 0.1, rho: 100, alpha: 3)
        for kind in ["sparse", "dense", "medium"] {
            let points = (0..<8).map { _ in benchPoint(d: d, kind: kind, rng: &rng) }
            let norms = points.map { hadamardNorm($0, d: d) }
            var g = [Double](repeating: 0, count: 2 * d * d)
            let evaluations = d == 10 ? 40_000 : 12_000
            var checksum = 0.0, perEval: [Double] = []
            for _ in 0..<repetitions {
                let start = cpuSeconds()
                for e in 0..<evaluations { checksum += probe.evaluate(points[e & 7], &g) + g[e % g.count] }
                perEval.append((cpuSeconds() - start) / Double(evaluations) * 1e6)
            }
            perEval.sort()
            print("{\"d\": \(d), \"case\": \"\(kind)\", \"norm1_min\": \(norms.min()!), \"norm1_max\": \(norms.max()!), "
                  + "\"us_per_eval_median\": \(perEval[perEval.count / 2]), \"us_per_eval_min\": \(perEval[0]), \"checksum\": \(checksum)}")
        }
    }
}
