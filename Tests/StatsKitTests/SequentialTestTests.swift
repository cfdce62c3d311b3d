import Foundation
import Testing
@testable import StatsKit

@Suite struct SequentialTestTests {
    /// Under A/A, looking after every batch, the mSPRT rejects in at most ~α of runs, while
    /// a naive fixed-horizon z-test repeated at each look rejects far more often.
    @Test func typeIErrorHoldsUnderRepeatedLooks() throws {
        var g = SeededGenerator(seed: 42)
        let runs = 200, looks = 30, batch = 40
        var msprtRejections = 0, naiveRejections = 0
        for _ in 0..<runs {
            var seq = try SequentialTest(alpha: 0.05, tau2: 0.01)
            var naiveRejected = false
            for _ in 0..<looks {
                let a = (0..<batch).map { _ in g.nextGaussian() }
                let b = (0..<batch).map { _ in g.nextGaussian() }
                seq.update(controlBatch: a, candidateBatch: b)
                let z = seq.estimate / seq.estimateVariance!.squareRoot()
                if abs(z) > 1.959963984540054 { naiveRejected = true }
            }
            if seq.pValue < 0.05 { msprtRejections += 1 }
            if naiveRejected { naiveRejections += 1 }
        }
        #expect(Double(msprtRejections) / Double(runs) <= 0.06, "mSPRT rejections \(msprtRejections)/\(runs)")
        #expect(Double(naiveRejections) / Double(runs) > 0.15, "naive peeking rejections \(naiveRejections)/\(runs)")
    }

    @Test func detectsRealDifferenceAndDecides() throws {
        var g = SeededGenerator(seed: 1)
        var better = try SequentialTest(alpha: 0.05, tau2: 0.04)
        var worse = try SequentialTest(alpha: 0.05, tau2: 0.04)
        for _ in 0..<40 {
            better.update(controlBatch: (0..<50).map { _ in g.nextGaussian() },
                          candidateBatch: (0..<50).map { _ in g.nextGaussian() + 0.3 })
            worse.update(controlBatch: (0..<50).map { _ in g.nextGaussian() },
                         candidateBatch: (0..<50).map { _ in g.nextGaussian() - 0.3 })
        }
        #expect(better.decision() == .candidateBetter)
        #expect(worse.decision() == .candidateWorse)
        #expect(worse.decision(higherIsBetter: false) == .candidateBetter)
        #expect(better.pValue < 1e-4)
        // The interval covers the true effect.
        #expect(better.confidenceSequence!.contains(0.3))
    }

    @Test func pValueIsInverseLikelihoodRatioAndCIBoundaryHasLRExactlyOneOverAlpha() throws {
        var s = try SequentialTest(alpha: 0.1, tau2: 0.5)
        s.update(controlBatch: [1, 2, 3, 4, 2.5], candidateBatch: [2, 3.5, 4, 5, 4.1])
        let lr = s.likelihoodRatio(at: 0)!
        #expect(close(s.pValue, min(1, 1 / lr), rel: 1e-14))
        let ci = s.confidenceSequence!
        #expect(close(s.likelihoodRatio(at: ci.lowerBound)!, 10, rel: 1e-9))
        #expect(close(s.likelihoodRatio(at: ci.upperBound)!, 10, rel: 1e-9))
        // Hand formula with s² from the two sample variances.
        let s2 = Summary([1, 2, 3, 4, 2.5]).variance / 5 + Summary([2, 3.5, 4, 5, 4.1]).variance / 5
        let d = s.estimate
        let hand = (s2 / (s2 + 0.5)).squareRoot() * exp(0.5 * d * d / (2 * s2 * (s2 + 0.5)))
        #expect(close(lr, hand, rel: 1e-13))
    }
}
