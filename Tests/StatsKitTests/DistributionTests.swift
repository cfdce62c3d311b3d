import Foundation
import Testing
@testable import StatsKit

/// Distributions against SciPy values (`scipy_reference.json`, made by bench/make_stats_fixture.py).
@Suite struct DistributionTests {
    let ref: [String: Any]
    init() throws { ref = try loadFixture("scipy_reference") }

    /// Probabilities: relative 1e-9, with an absolute floor for values near 0.
    func checkProb(_ ours: Double, _ theirs: Double, _ what: String) {
        #expect(close(ours, theirs, rel: 1e-9, abs: 1e-300), "\(what): \(ours) vs scipy \(theirs)")
    }

    @Test func normalMatchesScipy() {
        let n = ref.obj("normal")
        for (x, (c, s)) in zip(n.ds("x"), zip(n.ds("cdf"), n.ds("sf"))) {
            checkProb(Normal.standard.cdf(x), c, "Φ(\(x))")
            checkProb(Normal.standard.sf(x), s, "1-Φ(\(x))")
        }
        for (p, q) in zip(n.ds("p"), n.ds("ppf")) {
            #expect(close(Normal.standardQuantile(p), q, rel: 1e-12, abs: 1e-15), "Φ⁻¹(\(p))")
        }
    }

    @Test func studentTMatchesScipy() throws {
        for t in ref.objs("t") {
            let dist = try StudentT(df: t.d("df"))
            for (x, (c, s)) in zip(t.ds("x"), zip(t.ds("cdf"), t.ds("sf"))) {
                checkProb(dist.cdf(x), c, "t\(dist.df).cdf(\(x))")
                checkProb(dist.sf(x), s, "t\(dist.df).sf(\(x))")
            }
            for (p, q) in zip(t.ds("p"), t.ds("ppf")) {
                #expect(close(dist.quantile(p), q, rel: 1e-9, abs: 1e-12), "t\(dist.df).ppf(\(p)) = \(dist.quantile(p)) vs \(q)")
            }
        }
    }

    @Test func chiSquaredMatchesScipy() throws {
        for c in ref.objs("chi2") {
            let dist = try ChiSquared(df: c.d("df"))
            for (x, (cd, s)) in zip(c.ds("x"), zip(c.ds("cdf"), c.ds("sf"))) {
                checkProb(dist.cdf(x), cd, "chi2(\(dist.df)).cdf(\(x))")
                checkProb(dist.sf(x), s, "chi2(\(dist.df)).sf(\(x))")
            }
            for (p, q) in zip(c.ds("p"), c.ds("ppf")) {
                #expect(close(dist.quantile(p), q, rel: 1e-9), "chi2(\(dist.df)).ppf(\(p)) = \(dist.quantile(p)) vs \(q)")
            }
        }
    }

    @Test func betaMatchesScipy() throws {
        for b in ref.objs("beta") {
            let dist = try BetaDistribution(alpha: b.d("a"), beta: b.d("b"))
            for (x, c) in zip(b.ds("x"), b.ds("cdf")) {
                checkProb(dist.cdf(x), c, "beta(\(dist.alpha),\(dist.beta)).cdf(\(x))")
            }
            for (p, q) in zip(b.ds("p"), b.ds("ppf")) {
                #expect(close(dist.quantile(p), q, rel: 1e-8, abs: 1e-300), "beta(\(dist.alpha),\(dist.beta)).ppf(\(p)) = \(dist.quantile(p)) vs \(q)")
            }
        }
    }

    /// The densities integrate to the CDFs (Simpson's rule) — an oracle independent of SciPy.
    @Test(arguments: [0.5, 3.0, 17.0])
    func pdfIntegratesToCdf(df: Double) throws {
        let t = try StudentT(df: df), c = try ChiSquared(df: df + 1), b = try BetaDistribution(alpha: df, beta: 2)
        func simpson(_ f: (Double) -> Double, _ a: Double, _ z: Double) -> Double {
            let n = 2000, h = (z - a) / Double(n)
            var s = f(a) + f(z)
            for i in 1..<n { s += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
            return s * h / 3
        }
        #expect(close(simpson(t.pdf, -1, 2), t.cdf(2) - t.cdf(-1), rel: 1e-8))
        #expect(close(simpson(c.pdf, 1, 6), c.cdf(6) - c.cdf(1), rel: 1e-8))
        #expect(close(simpson(b.pdf, 0.2, 0.9), b.cdf(0.9) - b.cdf(0.2), rel: 1e-8))
    }

    @Test func invalidParametersThrowWithMessage() {
        #expect(throws: StatsError.self) { try StudentT(df: 0) }
        #expect(throws: StatsError.self) { try Normal(mean: 0, sd: -1) }
        do { _ = try BetaDistribution(alpha: -1, beta: 1); Issue.record("no throw") } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("alpha=-1"))
        }
    }
}
