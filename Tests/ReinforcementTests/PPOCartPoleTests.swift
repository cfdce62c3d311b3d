import Foundation
import RadioSim
import Reinforcement
import Testing

@Suite("PPO on CartPole")
struct PPOCartPoleTests {
    /// The sanity task of the issue: SB3-default PPO reaches an average return of 475+.
    @Test func reachesFourSeventyFive() throws {
        var configuration = PPOConfiguration()
        configuration.stepsPerRollout = 256
        configuration.batchSize = 64
        let env = VectorEnvironment((0..<4).map { CartPole(seed: $0) })
        let trainer = try PPOTrainer(source: env, configuration: configuration, seed: 1)
        let clock = ContinuousClock.now
        trainer.learn(totalTimesteps: 100_000) { u in
            print("iter \(u.iteration) t=\(u.timesteps) ret=\(u.meanEpisodeReturn ?? -1) pl=\(u.policyLoss) vl=\(u.valueLoss) ent=\(u.entropy) kl=\(u.approximateKL) clip=\(u.clipFraction) ev=\(u.explainedVariance) sps=\(u.stepsPerSecond)")
        }
        print("elapsed", ContinuousClock.now - clock)
        let eval = PolicyEvaluation.evaluate(trainer.policy, environment: CartPole(), episodes: 10, seed: 1000)
        print("eval", eval.mean, eval.returns)
        #expect(eval.mean >= 475)
    }
}
