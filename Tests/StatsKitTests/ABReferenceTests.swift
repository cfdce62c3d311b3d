import Foundation
import Testing
@testable import StatsKit

/// Every case of the shared `ab_stats_reference.json` (statsmodels / scipy outputs).
@Suite struct ABReferenceTests {
    let fixture: [String: Any]
    init() throws { fixture = try loadFixture("ab_stats_reference") }

    @Test func fixtureHasCases() {
        #expect(fixture.objs("cases").count == 10)
        #expect(fixture.objs("sample_size").count == 3)
    }

    @Test func twoProportionZTestMatchesStatsmodels() throws {
        for c in fixture.objs("cases") {
            let p = c.obj("proportions")
            let r = try HypothesisTests.twoProportionZTest(
                conversionsA: p.i("conv_a"), totalA: p.i("n_a"), conversionsB: p.i("conv_b"), totalB: p.i("n_b"))
            #expect(close(r.statistic, p.d("z"), rel: 1e-12, abs: 1e-14), "\(c["name"]!): z \(r.statistic) vs \(p.d("z"))")
            #expect(close(r.pValue, p.d("p_value"), rel: 1e-9), "\(c["name"]!): p \(r.pValue) vs \(p.d("p_value"))")
        }
    }

    @Test func welchTTestMatchesScipy() throws {
        for c in fixture.objs("cases") {
            let w = c.obj("welch")
            let r = try HypothesisTests.welchTTest(
                meanA: w.d("mean_a"), sdA: w.d("sd_a"), countA: w.i("n_a"),
                meanB: w.d("mean_b"), sdB: w.d("sd_b"), countB: w.i("n_b"))
            #expect(close(r.statistic, w.d("t"), rel: 1e-12, abs: 1e-14), "\(c["name"]!): t \(r.statistic) vs \(w.d("t"))")
            #expect(close(r.degreesOfFreedom!, w.d("df"), rel: 1e-12), "\(c["name"]!): df")
            #expect(close(r.pValue, w.d("p_value"), rel: 1e-9), "\(c["name"]!): p \(r.pValue) vs \(w.d("p_value"))")
        }
    }

    @Test func sampleSizesMatchStatsmodelsAndClassicFormula() throws {
        for s in fixture.objs("sample_size") {
            let base = s.d("baseline"), mde = s.d("mde_abs"), alpha = s.d("alpha"), power = s.d("power")
            #expect(close(PowerAnalysis.cohensH(base, base + mde), s.d("cohens_h"), rel: 1e-12))
            let nH = try PowerAnalysis.sampleSizeProportionsCohensH(baseline: base, minimumDetectableEffect: mde, alpha: alpha, power: power)
            #expect(close(nH, s.d("n_per_arm_statsmodels_exact"), rel: 1e-8), "statsmodels n \(nH)")
            #expect(Int(nH.rounded(.up)) == s.i("n_per_arm_statsmodels"))
            let nC = try PowerAnalysis.sampleSizeProportions(baseline: base, minimumDetectableEffect: mde, alpha: alpha, power: power)
            #expect(close(nC, s.d("n_per_arm_classic_formula_exact"), rel: 1e-10), "classic n \(nC)")
            #expect(Int(nC.rounded(.up)) == s.i("n_per_arm_classic_formula"))
            // Power at the solved size is the requested power (inverse consistency).
            let pw = try PowerAnalysis.powerProportions(baseline: base, minimumDetectableEffect: mde, nPerArm: nC, alpha: alpha)
            #expect(close(pw, power, rel: 1e-6))
        }
    }
}
