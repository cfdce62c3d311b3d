import Foundation
import RadioSim
import Reinforcement
import Testing

@Suite("PPO on CartPole")
struct PPOCartPoleTests {
    /// The sanity task: PPO with Stable-Baselines3's defaults (one environment, 2048 steps per
    /// rollout, batch 64, 10 epochs, lr 3e-4) reaches an average return of 475+ over 10 seeded
    /// evaluation episodes within a fixed budget of 150k steps.
    @Test func sb3DefaultsReachFourSeventyFive() throws {
        let trainer = try PPOTrainer(source: VectorEnvironment([CartPole(seed: 0)]), seed: 1)
        var curve: [Double] = []
        trainer.learn(totalTimesteps: 150_000) { update in
            if let r = update.meanEpisodeReturn { curve.append(r) }
        }
        let evaluation = PolicyEvaluation.evaluate(trainer.policy, environment: CartPole(), episodes: 10, seed: 1000)
        #expect(evaluation.mean >= 475, "evaluation returns \(evaluation.returns), training curve \(curve)")
        // It learned: the training curve rose from random play (about 20) to near the cap.
        #expect((curve.first ?? 0) < 100)
        #expect((curve.last ?? 0) > 400)
    }
}
