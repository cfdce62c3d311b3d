/// Running mean and variance of observations, and the normalisation Stable-Baselines3's
/// `VecNormalize` applies: `clip((x − mean) / sqrt(var + 1e-8), ±clip)`.
///
/// Statistics are merged batch by batch with Chan et al.'s parallel formula, in Double, and
/// frozen for evaluation and serving (only the trainer calls `update`).
public struct ObservationNormalizer: Sendable, Hashable, Codable {
    public private(set) var mean: [Double]
    public private(set) var variance: [Double]
    /// Samples seen (starts at 1e-4 as SB3's `RunningMeanStd`, so the first batch dominates).
    public private(set) var count: Double
    public var clip: Float

    public init(size: Int, clip: Float = 10) {
        mean = Array(repeating: 0, count: size)
        variance = Array(repeating: 1, count: size)
        count = 1e-4
        self.clip = clip
    }

    /// Restores saved statistics.
    public init(mean: [Double], variance: [Double], count: Double, clip: Float = 10) {
        precondition(mean.count == variance.count, "ObservationNormalizer: mean and variance sizes differ")
        self.mean = mean
        self.variance = variance
        self.count = count
        self.clip = clip
    }

    public var size: Int { mean.count }

    /// Folds a batch of rows (row-major, `size` per row) into the statistics.
    public mutating func update(_ rows: [Float]) {
        let d = size, n = rows.count / d
        guard n > 0 else { return }
        var batchMean = [Double](repeating: 0, count: d)
        var batchVariance = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { batchMean[j] += Double(rows[r * d + j]) } }
        for j in 0..<d { batchMean[j] /= Double(n) }
        for r in 0..<n {
            for j in 0..<d {
                let x = Double(rows[r * d + j]) - batchMean[j]
                batchVariance[j] += x * x
            }
        }
        let total = count + Double(n)
        for j in 0..<d {
            let delta = batchMean[j] - mean[j]
            let m2 = variance[j] * count + batchVariance[j] + delta * delta * count * Double(n) / total
            mean[j] += delta * Double(n) / total
            variance[j] = m2 / total
        }
        count = total
    }

    /// The normalised copy of `rows`.
    public func normalize(_ rows: [Float]) -> [Float] {
        let d = size
        let scale = variance.map { Float(1 / ($0 + 1e-8).squareRoot()) }
        let shift = mean.map { Float($0) }
        var out = rows
        for i in out.indices {
            let j = i % d
            out[i] = Swift.min(Swift.max((rows[i] - shift[j]) * scale[j], -clip), clip)
        }
        return out
    }
}
