import Foundation
import RadioSim
import Testing
@testable import Reinforcement

@Suite struct CartPoleTests {
    /// Reference: gymnasium 1.4.0 `CartPole-v1` from state (0.01, -0.02, 0.03, 0.04) with the
    /// actions below; the pole falls on step 24 (index 23).
    static let actions = [1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1] + Array(repeating: 0, count: 25)
    static let reference: [Int: [Double]] = [
        0: [0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081],
        1: [0.013093583914951107, -0.020868848948191993, 0.025938625640799837, 0.0591679999394166],
        4: [0.00791661253107495, 0.17298676004769037, 0.035838631046105324, -0.20574851582677406],
        9: [0.03293383706570074, -0.02379962460232901, 0.0054623041616948635, 0.12379799946559022],
        14: [0.030526055723830606, 0.17040097319715405, 0.01845566207798448, -0.14858988294460168],
        23: [-0.07957449137982463, -1.5911332102316351, 0.20955040321790155, 2.6503447847470523],
    ]

    @Test func dynamicsMatchGymnasium() {
        var env = CartPole()
        _ = env.reset(seed: 0)
        env.state = CartPole.State(x: 0.01, xDot: -0.02, theta: 0.03, thetaDot: 0.04)
        var fellAt: Int?
        for (t, a) in Self.actions.enumerated() {
            let r = env.step(a)
            #expect(r.reward == 1)
            if let expected = Self.reference[t] {
                let s = env.state
                for (ours, theirs) in zip([s.x, s.xDot, s.theta, s.thetaDot], expected) {
                    #expect(abs(ours - theirs) <= 1e-12 * max(1, abs(theirs)), "step \(t)")
                }
                #expect(r.observation == expected.map(Float.init))
            }
            if r.terminated { fellAt = t; break }
        }
        #expect(fellAt == 23)
    }

    @Test func truncatesAt500WithABalancingController() {
        var env = CartPole()
        var obs = env.reset(seed: 7).observation
        var total = 0.0
        var last: StepResult<CartPoleInfo>?
        while true {
            // Push towards the side the pole leans and moves (a simple stabilising rule).
            let action = obs[2] + 0.5 * obs[3] + 0.01 * obs[0] + 0.1 * obs[1] > 0 ? 1 : 0
            let r = env.step(action)
            total += r.reward
            obs = r.observation
            last = r
            if r.terminated || r.truncated { break }
        }
        #expect(last?.truncated == true && last?.terminated == false)
        #expect(total == 500 && env.steps == 500)
    }

    @Test func randomActionsFailEarlyAndSeedsAreDeterministic() {
        func episode(_ seed: Int) -> (Double, [Float]) {
            var env = CartPole()
            let start = env.reset(seed: seed).observation
            var rng = SeededGenerator(seed: seed)
            var total = 0.0
            while true {
                let r = env.step(rng.nextInt(below: 2))
                total += r.reward
                if r.terminated || r.truncated { return (total, start) }
            }
        }
        let lengths = (0..<20).map { episode($0).0 }
        #expect(lengths.reduce(0, +) / 20 < 60, "random play averages about 22 steps")
        #expect(episode(3) == episode(3))
        #expect(episode(3).1 != episode(4).1)
        #expect(episode(3).1.allSatisfy { abs($0) <= 0.05 })
        let env = CartPole()
        #expect(env.actionSpace == .discrete(2) && env.observationSpace.size == 4)
        #expect(abs(Double(env.observationSpace.high[2]) - 0.41887902) < 1e-6)
    }

    @Test func vectorisedCartPole() {
        var vec = VectorEnvironment((0..<4).map { _ in CartPole() })
        _ = vec.reset(seed: 0)
        var finished = 0
        for _ in 0..<200 {
            let r = vec.step([0, 1, 0, 1])
            finished += r.episodeReturns.compactMap { $0 }.count
        }
        #expect(finished > 4, "constant pushes topple the pole quickly and auto-reset")
    }
}
