import Foundation

extension Tensor {
    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }
    /// A zero tensor of the same shape.
    public static func zeros(like t: Tensor) -> Tensor { Tensor(repeating: 0, shape: t.shape) }

    /// Samples from N(`mean`, `std`²) using `generator` (reproducible for a seeded one).
    public static func randomNormal<G: RandomNumberGenerator>(
        _ shape: [Int], mean: Float = 0, std: Float = 1, using generator: inout G
    ) -> Tensor {
        let n = shape.reduce(1, *)
        var v = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let z = Tensor.standardNormal(using: &generator)
            v[i] = mean + std * z
        }
        return Tensor(shape: shape, scalars: v)
    }

    /// Samples uniformly from [`low`, `high`) using `generator`.
    public static func randomUniform<G: RandomNumberGenerator>(
        _ shape: [Int], low: Float = 0, high: Float = 1, using generator: inout G
    ) -> Tensor {
        let n = shape.reduce(1, *)
        var v = [Float](repeating: 0, count: n)
        let w = high - low
        for i in 0..<n { v[i] = low + w * Float(generator.next() >> 40) * (1.0 / 16_777_216.0) }
        return Tensor(shape: shape, scalars: v)
    }

    /// One N(0, 1) sample by Box-Muller in Double precision.
    static func standardNormal<G: RandomNumberGenerator>(using g: inout G) -> Float {
        let scale = 1.0 / 9_007_199_254_740_992.0
        let u1: Double = max(Double(g.next() >> 11) * scale, 1e-300)
        let u2: Double = Double(g.next() >> 11) * scale
        let r: Double = (-2.0 * Foundation.log(u1)).squareRoot()
        return Float(r * Foundation.cos(2.0 * Double.pi * u2))
    }

    /// `count` evenly spaced values from `start` by `step` (1-D).
    public static func arange(_ count: Int, start: Float = 0, step: Float = 1) -> Tensor {
        Tensor((0..<count).map { start + Float($0) * step })
    }
}
