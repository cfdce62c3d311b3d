import Foundation
// The generator itself is shared by every compute module (xoshiro256**, one stream per seed).
@_exported import Randomness

/// Float helpers for initialising weights and sampling in TensorCore.
extension SeededGenerator {
    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample (Box-Muller, computed in Double).
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let r = (-2.0 * log(max(u1, 1e-300))).squareRoot()
        return Float(r * cos(2.0 * Double.pi * u2))
    }
}
