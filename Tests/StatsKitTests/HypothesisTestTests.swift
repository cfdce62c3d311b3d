import Foundation
import Testing
@testable import StatsKit

@Suite struct HypothesisTestTests {
    let ref: [String: Any]
    init() throws { ref = try loadFixture("scipy_reference") }

    @Test func mannWhitneyMatchesScipy() throws {
        for c in ref.objs("mannwhitneyu") {
            let alt = Alternative(rawValue: c["alternative"] as! String)!
            let r = try HypothesisTests.mannWhitneyU(c.ds("x"), c.ds("y"), alternative: alt)
            #expect(close(r.statistic, c.d("u"), rel: 1e-12), "U \(r.statistic) vs \(c.d("u"))")
            #expect(close(r.pValue, c.d("p_value"), rel: 1e-9), "MWU p (\(alt), n=\(c.ds("x").count),\(c.ds("y").count)) \(r.pValue) vs \(c.d("p_value"))")
        }
    }

    @Test func exactUDistributionMatchesBruteForce() {
        // Enumerate all C(7,3) placements of sample 1 among 7 ranks.
        let n1 = 3, n2 = 4
        var counts = [Int](repeating: 0, count: n1 * n2 + 1)
        for mask in 0..<(1 << 7) where mask.nonzeroBitCount == n1 {
            var u = 0, seen2 = 0
            for bit in 0..<7 { if mask & (1 << bit) != 0 { u += seen2 } else { seen2 += 1 } }
            counts[u] += 1
        }
        let total = Double(counts.reduce(0, +))
        for u in 0...(n1 * n2) {
            let tail = Double(counts[u...].reduce(0, +)) / total
            #expect(close(HypothesisTests.exactUSurvival(u, n1, n2), tail, rel: 1e-14))
        }
    }

    @Test func chiSquareContingencyMatchesScipy() throws {
        for c in ref.objs("chi2_contingency") {
            let table = (c["table"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
            let r = try HypothesisTests.chiSquareIndependence(table, yatesCorrection: c["correction"] as! Bool)
            #expect(close(r.statistic, c.d("chi2"), rel: 1e-12))
            #expect(close(r.pValue, c.d("p_value"), rel: 1e-9))
            #expect(r.degreesOfFreedom == c.d("df"))
        }
    }

    @Test func goodnessOfFitAndSRMMatchScipy() throws {
        for c in ref.objs("chisquare") {
            let obs = c.ds("observed"), w = c.ds("weights")
            let r = try HypothesisTests.chiSquareGoodnessOfFit(observed: obs, expectedProportions: w)
            #expect(close(r.statistic, c.d("chi2"), rel: 1e-12))
            #expect(close(r.pValue, c.d("p_value"), rel: 1e-9))
            let srm = try SampleRatioMismatch(counts: obs.map { Int($0) }, expectedWeights: w)
            #expect(srm.isMismatch == (c.d("p_value") < 0.001))
        }
        // A 50/50 split observed as 5200/4800 is a clear SRM; 5040/4960 is not.
        #expect(try SampleRatioMismatch(counts: [5200, 4800], expectedWeights: [1, 1]).isMismatch)
        #expect(try !SampleRatioMismatch(counts: [5040, 4960], expectedWeights: [1, 1]).isMismatch)
    }

    @Test func welchFromSamplesEqualsSummaryForm() throws {
        let a = [1.0, 2.5, 3.1, 4.7, 2.2], b = [3.3, 4.1, 5.9, 2.8, 6.0, 4.4]
        let r1 = try HypothesisTests.welchTTest(a, b)
        let sa = Summary(a), sb = Summary(b)
        // Independent two-pass variance.
        let ma = a.reduce(0, +) / 5, va = a.map { ($0 - ma) * ($0 - ma) }.reduce(0, +) / 4
        #expect(close(sa.variance, va, rel: 1e-13))
        let r2 = try HypothesisTests.welchTTest(meanA: sa.mean, sdA: sa.sd, countA: 5, meanB: sb.mean, sdB: sb.sd, countB: 6)
        #expect(close(r1.pValue, r2.pValue, rel: 1e-13))
        let greater = try HypothesisTests.welchTTest(a, b, alternative: .greater)
        #expect(close(greater.pValue, r1.pValue / 2, rel: 1e-12))
    }

    @Test func ksMatchesScipyStatisticAndApproximatePValue() throws {
        let k = ref.obj("ks_2samp")
        let r = try Drift.kolmogorovSmirnov(reference: k.ds("a"), current: k.ds("b"))
        #expect(close(r.statistic, k.d("statistic"), rel: 1e-12))
        // Different asymptotic approximations: agree within 15 % relative.
        #expect(close(r.pValue, k.d("p_value_asymp"), rel: 0.15), "KS p \(r.pValue) vs \(k.d("p_value_asymp"))")
    }

    @Test func psiIsZeroForSameDistributionAndLargeForShift() throws {
        var g = SeededGenerator(seed: 3)
        let ref = (0..<5000).map { _ in g.nextGaussian() }
        let same = (0..<5000).map { _ in g.nextGaussian() }
        let shifted = (0..<5000).map { _ in g.nextGaussian() + 1 }
        #expect(try Drift.populationStabilityIndex(reference: ref, current: same) < 0.02)
        let psi = try Drift.populationStabilityIndex(reference: ref, current: shifted)
        #expect(psi > 0.25)
        // Hand check on a tiny case: two bins, proportions (0.5, 0.5) vs (0.25, 0.75).
        let hand = 0.25 * log(0.75 / 0.5) + (-0.25) * log(0.25 / 0.5)
        let small = try Drift.populationStabilityIndex(reference: [0, 0, 1, 1], current: [0, 1, 1, 1], bins: 2)
        #expect(close(small, hand, rel: 1e-12))
    }
}
