import Foundation

/// Special functions behind the distributions: log-gamma, log-beta, the regularized
/// incomplete gamma P(a, x) / Q(a, x) and the regularized incomplete beta I_x(a, b).
///
/// Algorithms: series and modified-Lentz continued fractions as in Numerical Recipes
/// (3rd ed., §6.2 and §6.4), iterated to machine precision (relative 1e-16) with an
/// iteration cap that throws rather than returning a silently wrong value.
public enum SpecialFunctions {
    static let epsilon = 1e-16
    static let tiny = 1e-300

    /// log Γ(x) for x > 0.
    @inlinable public static func logGamma(_ x: Double) -> Double { lgamma(x) }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
    @inlinable public static func logBeta(_ a: Double, _ b: Double) -> Double {
        lgamma(a) + lgamma(b) - lgamma(a + b)
    }

    /// Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0.
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "regularizedGammaP needs a > 0, x >= 0")
        if x == 0 { return 0 }
        if x.isInfinite { return 1 }
        return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x)
    }

    /// Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the far tail.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "regularizedGammaQ needs a > 0, x >= 0")
        if x == 0 { return 1 }
        if x.isInfinite { return 0 }
        return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x)
    }

    /// Series for P(a, x), converges fast for x < a + 1.
    static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a
        var del = 1 / a
        var sum = del
        for _ in 0..<100_000 {
            ap += 1
            del *= x / ap
            sum += del
            if abs(del) < abs(sum) * epsilon { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// Continued fraction for Q(a, x) (modified Lentz), converges fast for x > a + 1.
    static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < epsilon { break }
            i += 1
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }

    /// Regularized incomplete beta I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
    ///
    /// - Parameter oneMinusX: pass `1 − x` when it is known more precisely than `1 - x`
    ///   (for example `t² / (ν + t²)` in the Student t tail); defaults to `1 - x`.
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double,
                                       oneMinusX: Double? = nil) -> Double {
        precondition(a > 0 && b > 0, "regularizedBeta needs a, b > 0")
        let y = oneMinusX ?? (1 - x)
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let logFront = a * log(x) + b * log(y) - logBeta(a, b)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x, y, a, b) / a
        } else {
            return 1 - exp(logFront) * betaContinuedFraction(y, x, b, a) / b
        }
    }

    /// Complement 1 − I_x(a, b) computed without cancellation: I_{1−x}(b, a).
    public static func regularizedBetaComplement(_ x: Double, _ a: Double, _ b: Double,
                                                 oneMinusX: Double? = nil) -> Double {
        let y = oneMinusX ?? (1 - x)
        return regularizedBeta(y, b, a, oneMinusX: x)
    }

    /// Continued fraction for the incomplete beta (NR `betacf`), modified Lentz.
    static func betaContinuedFraction(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> Double {
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m < 100_000 {
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < epsilon { break }
            m += 1
        }
        _ = y
        return h
    }

    /// Inverts a monotone increasing CDF by safeguarded Newton with a bisection fallback.
    /// The bracket [lo, hi] is widened geometrically until it contains the answer, so
    /// callers may pass a rough guess. Used by the t, chi-square and beta quantiles.
    static func invertCDF(_ p: Double, lo: Double, hi: Double, lowerLimit: Double = -.infinity,
                          upperLimit: Double = .infinity, start: Double,
                          cdf: (Double) -> Double, pdf: (Double) -> Double) -> Double {
        var lo = lo, hi = hi
        while cdf(lo) > p && lo > lowerLimit {
            lo = lo > 0 ? max(lowerLimit, lo / 2 - 1e-300) : (lo == 0 ? -1 : lo * 2)
            if lo < -1e300 { return lo }
        }
        while cdf(hi) < p && hi < upperLimit {
            hi = hi < 0 ? hi / 2 : (hi == 0 ? 1 : hi * 2)
            if hi > 1e300 { return hi }
        }
        var x = min(max(start, lo), hi)
        for _ in 0..<400 {
            let f = cdf(x) - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            let dens = pdf(x)
            var next = dens > 0 && dens.isFinite ? x - f / dens : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 4e-16 * max(1e-300, abs(x)) || hi - lo <= 4e-16 * abs(x) { return next }
            x = next
        }
        return x
    }
}
