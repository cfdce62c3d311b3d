import Foundation
import Testing
@testable import RadioSim

@Suite struct PolicyTests {
    @Test func strongestSignalEndsWithOneLinkToTheBestCell() throws {
        var sim = try RadioSimulator(scenario: .medium)
        sim.reset(seed: 2)
        var policy = StrongestSignalPolicy()
        var actions = [Int](repeating: 0, count: sim.ueCount)
        for _ in 0..<30 {
            policy.actions(for: sim, into: &actions)
            sim.applyActions(actions)
            sim.advanceTime()
        }
        // Freeze movement: a few steps at the same positions settle every UE.
        for _ in 0..<4 {
            policy.actions(for: sim, into: &actions)
            sim.applyActions(actions)
            sim.advanceTime(placingAt: sim.ueX, y: sim.ueY)
        }
        let n = sim.stationCount
        for u in 0..<sim.ueCount {
            let inRange = (0..<n).filter { sim.inRange(ue: u, station: $0) }
            let links = (0..<n).filter { sim.connected[u * n + $0] }
            if inRange.isEmpty {
                #expect(links.isEmpty)
            } else {
                let best = inRange.max { sim.snr[u * n + $0] < sim.snr[u * n + $1] }!
                #expect(links == [best])
            }
        }
    }

    @Test func randomPolicyCoversTheActionSpace() throws {
        let sim = try RadioSimulator(scenario: .small)
        var policy = RandomPolicy(seed: 1)
        var seen = Set<Int>()
        var actions = [Int](repeating: 0, count: 5)
        for _ in 0..<200 {
            policy.actions(for: sim, into: &actions)
            seen.formUnion(actions)
        }
        #expect(seen == [0, 1, 2, 3])
    }

    @Test func a3PolicyWaitsForTimeToTrigger() throws {
        var sim = try RadioSimulator(scenario: TestSupport.overlap())
        var policy = A3HandoverPolicy(parameters: A3Parameters(offset: 0, hysteresis: 3, timeToTrigger: 3))
        var actions = [0]
        // Attach to cell 0 at x = 60.
        sim.place(x: [60], y: [20])
        policy.actions(for: sim, into: &actions)
        #expect(actions == [1])
        sim.applyActions(actions)
        // Move to the midpoint plus a bit: cell 1 slightly stronger, but not by 3 dB -> stay.
        sim.advanceTime(placingAt: [101], y: [20])
        policy.actions(for: sim, into: &actions)
        #expect(actions == [0])
        sim.applyActions(actions)
        // Much closer to cell 1 (x = 115, 11.6 dB better, cell 0 still in range): the
        // condition holds; the handover comes only on the third step.
        var history: [Int] = []
        for _ in 0..<3 {
            sim.advanceTime(placingAt: [115], y: [20])
            policy.actions(for: sim, into: &actions)
            history.append(actions[0])
            sim.applyActions(actions)
        }
        #expect(history == [0, 0, 2])
        sim.advanceTime(placingAt: [115], y: [20])
        policy.actions(for: sim, into: &actions)
        #expect(actions == [1], "then releases the old cell")
    }

    @Test func loadAwareSpreadsCoLocatedUEs() throws {
        // Four UEs between two cells, slightly closer to cell 0: strongest-signal piles them
        // on cell 0, load-aware moves some to cell 1.
        var scenario = TestSupport.corridor(ueCount: 4)
        scenario.stations = [StationConfig(x: 70, y: 20), StationConfig(x: 130, y: 20)]
        var sim = try RadioSimulator(scenario: scenario)
        let xs: [Double] = [99, 99, 99, 99]  // 29 m and 31 m from the cells
        sim.place(x: xs, y: [20, 20, 20, 20])
        var policy = LoadAwarePolicy()
        var actions = [0, 0, 0, 0]
        for _ in 0..<4 {
            policy.actions(for: sim, into: &actions)
            sim.applyActions(actions)
            sim.advanceTime(placingAt: xs, y: [20, 20, 20, 20])
        }
        #expect(sim.load == [2, 2])
        var greedy = try RadioSimulator(scenario: scenario)
        greedy.place(x: xs, y: [20, 20, 20, 20])
        var strongest = StrongestSignalPolicy()
        for _ in 0..<4 {
            strongest.actions(for: greedy, into: &actions)
            greedy.applyActions(actions)
            greedy.advanceTime(placingAt: xs, y: [20, 20, 20, 20])
        }
        #expect(greedy.load == [4, 0])
        #expect(sim.meanUtility >= greedy.meanUtility)
    }

    @Test func evaluationIsSeededAndHeuristicsBeatRandom() throws {
        let a = try RadioEvaluation.evaluate(RandomPolicy(), scenario: .small, episodes: 3, seed: 0)
        let b = try RadioEvaluation.evaluate(RandomPolicy(), scenario: .small, episodes: 3, seed: 0)
        #expect(a == b)
        #expect(a.returns.count == 3 && a.episodes == 3)
        let mean = a.returns.reduce(0, +) / 3
        let std = (a.returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        #expect(abs(a.mean - mean) < 1e-12 && abs(a.std - std) < 1e-12)
        // Episode return = sum of the environment's rewards with the same actions.
        var env = try RadioEnvironment(scenario: .small)
        _ = env.reset(seed: 1)
        var policy = RandomPolicy()
        policy.reset(seed: 1)
        var actions = [Int](repeating: 0, count: 5)
        var total = 0.0
        var done = false
        while !done {
            policy.actions(for: env.simulator, into: &actions)
            let r = env.step(actions)
            total += r.reward
            done = r.truncated
        }
        #expect(abs(total - a.returns[1]) < 1e-9)

        let report = try RadioEvaluation.baselines(scenario: .small, episodes: 5, seed: 0)
        #expect(Set(report.baselines.keys) == ["random", "strongest_signal", "a3_handover", "load_aware"])
        #expect(report.baselines["strongest_signal"]!.mean > report.baselines["random"]!.mean)
        #expect(report.baselines["a3_handover"]!.mean > report.baselines["random"]!.mean)
        #expect(report.baselines["load_aware"]!.mean > report.baselines["random"]!.mean)
        // JSON shape {"baselines": {"random": {"mean", "std"}, ...}}.
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: [String: Double]]])
        #expect(Set(object["baselines"]!["random"]!.keys) == ["mean", "std"])
        let ma = try RadioEvaluation.baselines(scenario: .small, variant: .ma, episodes: 2, seed: 0)
        #expect(ma.baselines.count == 4)
    }
}

@Suite struct SimulateTests {
    @Test func simulateMatchesEvaluationAndReportsKPIs() throws {
        let report = try RadioEvaluation.simulate(LoadAwarePolicy(), scenario: .medium, seed: 4)
        let eval = try RadioEvaluation.evaluate(LoadAwarePolicy(), scenario: .medium, episodes: 1, seed: 4)
        #expect(abs(report.episodeReturn - eval.returns[0]) < 1e-12)
        #expect(report.steps == 100 && report.policy == "load_aware" && report.kpis.cells.count == 7)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        #expect(json?["episode_return"] != nil)
        #expect(try RadioVariant.parse("ma") == .ma)
        #expect(try Baseline.parse("a3_handover") == .a3Handover)
        do {
            _ = try RadioVariant.parse("centre")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "variant")
        }
    }
}
