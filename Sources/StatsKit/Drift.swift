import Foundation

/// Distribution drift scores between a reference sample and a current sample.
public enum Drift {

    /// Population stability index Σ (c_i − r_i)·ln(c_i / r_i) over `bins` bins whose edges
    /// are the reference sample's quantiles (equal-frequency bins; outer bins open-ended).
    /// Empty-bin proportions are floored at `epsilon`. Common reading: < 0.1 stable,
    /// 0.1–0.25 moderate shift, > 0.25 major shift. O((n + m) log n).
    public static func populationStabilityIndex(reference: [Double], current: [Double], bins: Int = 10,
                                                epsilon: Double = 1e-4) throws(StatsError) -> Double {
        try require(!reference.isEmpty && !current.isEmpty, "PSI needs two non-empty samples")
        try require(bins >= 2, "PSI needs at least 2 bins, got \(bins)")
        let sorted = reference.sorted()
        var edges: [Double] = []
        for k in 1..<bins {
            let e = sorted[min(sorted.count - 1, Int(Double(k) * Double(sorted.count) / Double(bins)))]
            if edges.last != e { edges.append(e) }
        }
        func proportions(_ xs: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: edges.count + 1)
            for x in xs {
                // First edge strictly greater than x (bins are [e_{k-1}, e_k)).
                var lo = 0, hi = edges.count
                while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= x { lo = mid + 1 } else { hi = mid } }
                counts[lo] += 1
            }
            return counts.map { max($0 / Double(xs.count), epsilon) }
        }
        let r = proportions(reference), c = proportions(current)
        return zip(r, c).reduce(0) { $0 + ($1.1 - $1.0) * log($1.1 / $1.0) }
    }

    /// Two-sample Kolmogorov–Smirnov test: D = sup |F_ref − F_cur| and its asymptotic
    /// p-value Q_KS((√eₙ + 0.12 + 0.11/√eₙ)·D), eₙ = nm/(n+m) (Stephens' approximation, as
    /// in Numerical Recipes `kstwo`; scipy's exact small-sample p-values may differ).
    /// O((n + m) log(n + m)).
    public static func kolmogorovSmirnov(reference: [Double], current: [Double]) throws(StatsError) -> TestResult {
        try require(!reference.isEmpty && !current.isEmpty, "KS test needs two non-empty samples")
        let a = reference.sorted(), b = current.sorted()
        var i = 0, j = 0, d = 0.0
        let n = Double(a.count), m = Double(b.count)
        while i < a.count && j < b.count {
            let x = min(a[i], b[j])
            while i < a.count && a[i] == x { i += 1 }
            while j < b.count && b[j] == x { j += 1 }
            d = max(d, abs(Double(i) / n - Double(j) / m))
        }
        let en = (n * m / (n + m)).squareRoot()
        return TestResult(statistic: d, pValue: kolmogorovQ((en + 0.12 + 0.11 / en) * d))
    }

    /// Kolmogorov survival function Q(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}.
    public static func kolmogorovQ(_ lambda: Double) -> Double {
        if lambda < 1e-3 { return 1 }
        if lambda < 1.18 {
            // Use the theta-function form for small λ (the alternating series converges slowly).
            let y = exp(-1.233700550136170 / (lambda * lambda))   // π²/8
            let s = 2.506628274631001 / lambda * (y + pow(y, 9) + pow(y, 25) + pow(y, 49))
            return max(0, 1 - s)
        }
        var sum = 0.0, sign = 1.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += sign * term
            if term < 1e-17 { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }
}
