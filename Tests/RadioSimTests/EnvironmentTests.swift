import Foundation
import Testing
@testable import RadioSim

@Suite struct EnvironmentTests {
    @Test(arguments: [("small", 3, 5), ("medium", 7, 15), ("large", 13, 30)])
    func spacesFollowTheSpec(name: String, cells: Int, ues: Int) throws {
        let scenario = try Scenario.builtin(named: name)
        var env = try RadioEnvironment(scenario: scenario)
        #expect(env.observationSpace.size == ues * (2 * cells + 1))
        #expect(env.actionSpace == .multiDiscrete(Array(repeating: cells + 1, count: ues)))
        let first = env.reset(seed: 0)
        #expect(first.observation.count == ues * (2 * cells + 1))
        #expect(env.observationSpace.contains(first.observation))
        var ma = try RadioMultiAgentEnvironment(scenario: scenario)
        #expect(ma.agentCount == ues)
        #expect(ma.observationSpace.size == 4 * cells + 1)
        #expect(ma.actionSpace == .discrete(cells + 1))
        #expect(ma.reset(seed: 0).observations.count == ues * (4 * cells + 1))
    }

    @Test func episodeTruncatesAfterOneHundredStepsAndNeverTerminates() throws {
        var env = try RadioEnvironment(scenario: .small)
        _ = env.reset(seed: 1)
        var policy = RandomPolicy(seed: 1)
        var actions = [Int](repeating: 0, count: 5)
        var steps = 0
        while true {
            policy.actions(for: env.simulator, into: &actions)
            let r = env.step(actions)
            steps += 1
            #expect(!r.terminated)
            #expect(r.reward >= -1 && r.reward <= 1)
            #expect(env.observationSpace.contains(r.observation))
            #expect(r.info.time == steps)
            if r.truncated { break }
        }
        #expect(steps == 100)
    }

    @Test func multiAgentStepReturnsPerUERewards() throws {
        var env = try RadioMultiAgentEnvironment(scenario: .small)
        _ = env.reset(seed: 4)
        var copy = env.simulator
        let actions = [1, 2, 3, 0, 1]
        let r = env.step(actions)
        copy.applyActions(actions)
        #expect(r.rewards == (0..<5).map { copy.multiAgentReward(ue: $0) })
        #expect(r.observations.count == 5 * 13)
    }

    @Test func invalidActionsAreNamed() throws {
        let env = try RadioEnvironment(scenario: .small)
        #expect(throws: RadioSimError.self) { try env.validate([0, 0]) }
        do {
            try env.validate([0, 0, 4, 0, 0])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidAction)
            #expect(error.field == "action[2]")
        }
        try env.validate([0, 1, 2, 3, 0])
    }

    @Test func vectorEnvironmentAutoResetsAndReportsReturns() throws {
        var vec = try VectorEnvironment(count: 3) { (_: Int) throws(RadioSimError) in try RadioEnvironment(scenario: .small) }
        let obs = vec.reset(seed: 10)
        #expect(obs.count == 3 * 35)
        // Environment i equals a single environment seeded 10 + i.
        var single = try RadioEnvironment(scenario: .small)
        #expect(Array(obs[35..<70]) == single.reset(seed: 11).observation)
        var sums = [Double](repeating: 0, count: 3)
        var singleReturn = 0.0
        var finished = 0
        for t in 0..<150 {
            let actions = (0..<3).map { i in (0..<5).map { ($0 + i + t) % 4 } }
            let r = vec.step(actions)
            if t < 100 {
                let s = single.step(actions[1])
                #expect(r.rewards[1] == s.reward)
                singleReturn += s.reward
            }
            for i in 0..<3 {
                sums[i] += r.rewards[i]
                if let ret = r.episodeReturns[i] {
                    #expect(t == 99)
                    #expect(abs(ret - sums[i]) < 1e-9)
                    #expect(r.episodeLengths[i] == 100)
                    #expect(r.finalObservations[i] != nil)
                    sums[i] = 0
                    finished += 1
                } else {
                    #expect(r.finalObservations[i] == nil)
                }
            }
            if t == 99 {
                #expect(abs(r.episodeReturns[1]! - singleReturn) < 1e-9)
                #expect(r.truncated == [true, true, true])
                #expect(Array(r.observations[0..<35]) != r.finalObservations[0]!)
            }
        }
        #expect(finished == 3)
    }
}

@Suite struct VectorMultiAgentTests {
    @Test func rowsAreEnvironmentMajorAndReturnsMatchEvaluation() throws {
        let envs = try (0..<2).map { _ in try RadioMultiAgentEnvironment(scenario: .small) }
        var vec = VectorMultiAgentEnvironment(envs)
        #expect(vec.rowCount == 10)
        let obs = vec.reset(seed: 5)
        var single = try RadioMultiAgentEnvironment(scenario: .small)
        #expect(Array(obs[65..<130]) == single.reset(seed: 6).observations)
        // Strongest-signal actions for env 1 must reproduce RadioEvaluation's ma return (seed 6).
        var policies = [StrongestSignalPolicy(), StrongestSignalPolicy()]
        var actions = [Int](repeating: 0, count: 10)
        var ended: Double?
        for _ in 0..<100 {
            for e in 0..<2 {
                var a = [Int](repeating: 0, count: 5)
                policies[e].actions(for: vec.environments[e].simulator, into: &a)
                actions.replaceSubrange((e * 5)..<((e + 1) * 5), with: a)
            }
            let r = vec.step(actions)
            #expect(r.rewards.count == 10)
            if let ret = r.episodeReturns[1] { ended = ret }
        }
        let reference = try RadioEvaluation.evaluate(StrongestSignalPolicy(), scenario: .small, variant: .ma,
                                                     episodes: 2, seed: 5)
        #expect(abs(try #require(ended) - reference.returns[1]) < 1e-9)
    }
}
