import Foundation

/// The closed-form pieces of the radio model, as free functions of their inputs so tests can
/// check them against hand computation and `mobile-env`.
public enum RadioModel {
    /// Okumura-Hata path loss in dB (urban, small/medium city correction) between a station of
    /// height `stationHeight` m at `frequency` MHz and a UE of height `ueHeight` m at
    /// `distance` metres. `1e-16` is added to the distance so a zero distance stays finite.
    @inlinable
    public static func okumuraHataLoss(distance: Double, frequency: Double, stationHeight: Double,
                                       ueHeight: Double) -> Double {
        let (a, b) = okumuraHataTerms(frequency: frequency, stationHeight: stationHeight, ueHeight: ueHeight)
        return a + b * log10(distance + 1e-16)
    }

    /// The distance-independent term and the slope (dB per decade) of Okumura-Hata,
    /// in `mobile-env`'s order of operations so results match to the last bits.
    @inlinable
    public static func okumuraHataTerms(frequency: Double, stationHeight: Double,
                                        ueHeight: Double) -> (constant: Double, slope: Double) {
        let lf = log10(frequency)
        let ch = 0.8 + (1.1 * lf - 0.7) * ueHeight - 1.56 * lf
        let constant = 69.55 - ch + 26.16 * lf - 13.82 * log10(stationHeight)
        let slope = 44.9 - 6.55 * log10(stationHeight)
        return (constant, slope)
    }

    /// Linear SNR = 10^((tx - loss) / 10) / noise, with `txPower` in dBm and `noise` linear (mW).
    @inlinable
    public static func snr(txPower: Double, loss: Double, noise: Double) -> Double {
        pow(10, (txPower - loss) / 10) / noise
    }

    /// Shannon capacity bw * log2(1 + snr) in bit/s when `snr > threshold`, else 0.
    @inlinable
    public static func maxDataRate(bandwidth: Double, snr: Double, threshold: Double) -> Double {
        snr > threshold ? bandwidth * log2(1 + snr) : 0
    }

    /// Bounded log utility of a data rate in bit/s: the lower bound for a rate <= 0, else
    /// clip(10 ln(rate) / ln(10), lower, upper).
    @inlinable
    public static func utility(rate: Double, lower: Double, upper: Double) -> Double {
        if rate <= 0 { return lower }
        return min(max(10 * log(rate) / log(10.0), lower), upper)
    }

    /// A utility scaled from [lower, upper] to [-1, 1].
    @inlinable
    public static func scaledUtility(_ u: Double, lower: Double, upper: Double) -> Double {
        2 * (u - lower) / (upper - lower) - 1
    }

    /// Euclidean distance between the integer-truncated positions (as `mobile-env` does).
    @inlinable
    public static func truncatedDistance(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> Double {
        let dx = x1.rounded(.towardZero) - x2.rounded(.towardZero)
        let dy = y1.rounded(.towardZero) - y2.rounded(.towardZero)
        return (dx * dx + dy * dy).squareRoot()
    }
}
