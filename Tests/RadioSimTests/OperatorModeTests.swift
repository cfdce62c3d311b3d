import Foundation
import Testing
@testable import RadioSim

@Suite struct OperatorModeTests {
    static let a3 = OperatorOptions(singleConnectivity: true,
                                    handover: A3Parameters(offset: 0, hysteresis: 3, timeToTrigger: 2))

    @Test func singleConnectivityConnectingReleasesTheOldCellAndCountsAHandover() throws {
        var sim = try RadioSimulator(scenario: TestSupport.overlap(), options: OperatorOptions(singleConnectivity: true))
        sim.place(x: [100], y: [20])
        sim.applyActions([1])
        #expect(sim.connected == [true, false] && sim.serving == [0])
        sim.advanceTime(placingAt: [100], y: [20])
        sim.applyActions([2])
        #expect(sim.connected == [false, true] && sim.load == [0, 1])
        #expect(sim.counters.handovers == [1, 0])
        // In compatibility mode the same actions give two links.
        var multi = try RadioSimulator(scenario: TestSupport.overlap())
        multi.place(x: [100], y: [20])
        multi.applyActions([1])
        multi.advanceTime(placingAt: [100], y: [20])
        multi.applyActions([2])
        #expect(multi.connected == [true, true])
    }

    @Test func networkA3AttachesThenHandsOverAfterTimeToTrigger() throws {
        var sim = try RadioSimulator(scenario: TestSupport.overlap(), options: Self.a3)
        sim.place(x: [70], y: [20])
        sim.applyActions([0])
        #expect(sim.serving == [0], "auto-attach to the strongest cell")
        // 41 m vs 39 m: cell 1 better by 0.7 dB < 3 dB hysteresis: stays.
        sim.advanceTime(placingAt: [101], y: [20])
        sim.applyActions([0])
        #expect(sim.serving == [0])
        // 55 m vs 25 m: 11.6 dB better. TTT 2: first step arms, second hands over.
        sim.advanceTime(placingAt: [115], y: [20])
        sim.applyActions([0])
        #expect(sim.serving == [0])
        sim.advanceTime(placingAt: [115], y: [20])
        sim.applyActions([0])
        #expect(sim.serving == [1])
        #expect(sim.counters.handovers == [1, 0])
        #expect(sim.connected == [false, true])
    }

    @Test func hysteresisBoundaryByHand() throws {
        // Difference in dB between the cells at x: B log10(d0 / d1) with B = 33.7717...
        let b = RadioModel.okumuraHataTerms(frequency: 2500, stationHeight: 50, ueHeight: 1.5).slope
        func handsOver(at x: Double, hysteresis: Double) throws -> Bool {
            var options = Self.a3
            options.handover!.hysteresis = hysteresis
            options.handover!.timeToTrigger = 1
            var sim = try RadioSimulator(scenario: TestSupport.overlap(), options: options)
            sim.place(x: [65], y: [20])
            sim.applyActions([0])
            sim.advanceTime(placingAt: [x], y: [20])
            sim.applyActions([0])
            return sim.serving == [1]
        }
        // x = 105: 45 m vs 35 m, 3.686 dB.
        let gap = b * log10(45.0 / 35.0)
        #expect(abs(gap - 3.686) < 1e-3)
        #expect(try handsOver(at: 105, hysteresis: gap - 0.01))
        #expect(try !handsOver(at: 105, hysteresis: gap + 0.01))
    }

    @Test func cellIndividualOffsetsMoveTheBoundary() throws {
        // With CIO +6 dB on cell 0 a UE 11.6 dB closer to cell 1 needs 6 dB more: still goes
        // (11.6 > 3 + 6); with +9 dB it stays (11.6 < 3 + 9).
        for (offset, expected) in [(6.0, 1), (9.0, 0)] {
            var options = Self.a3
            options.cellOffsets = [offset, 0]
            options.handover!.timeToTrigger = 1
            var sim = try RadioSimulator(scenario: TestSupport.overlap(), options: options)
            sim.place(x: [70], y: [20])
            sim.applyActions([0])
            sim.advanceTime(placingAt: [115], y: [20])
            sim.applyActions([0])
            #expect(sim.serving == [expected], "CIO \(offset)")
        }
    }

    @Test func pingPongsAndRadioLinkFailuresAreCounted() throws {
        var options = Self.a3
        options.handover!.timeToTrigger = 1
        options.handover!.hysteresis = 1
        options.pingPongWindow = 3
        var sim = try RadioSimulator(scenario: TestSupport.overlap(), options: options)
        let path: [Double] = [70, 115, 85, 85, 85, 115, 115, 115, 115, 115, 85]
        sim.place(x: [path[0]], y: [20])
        var servingHistory: [Int] = []
        for x in path.dropFirst() {
            sim.applyActions([0])
            servingHistory.append(sim.serving[0])
            sim.advanceTime(placingAt: [x], y: [20])
        }
        sim.applyActions([0])
        servingHistory.append(sim.serving[0])
        // HOs: 0->1 at step 1, 1->0 at step 2 (ping-pong, within 3), 0->1 at step 5
        // (3 steps after, ping-pong), 1->0 at step 10 (5 steps later: not a ping-pong).
        #expect(servingHistory == [0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0])
        #expect(sim.counters.handovers == [2, 2])
        #expect(sim.counters.pingPongs == [1, 1])
        // Jump out of the serving cell's range (62 m from cell 1, 139 m from cell 0): a radio
        // link failure on cell 0, then auto-attach to cell 1 (not a handover).
        sim.advanceTime(placingAt: [199], y: [39])
        sim.applyActions([0])
        #expect(sim.counters.radioLinkFailures == [1, 0])
        #expect(sim.serving == [1])
        #expect(sim.counters.handovers == [2, 2])
        #expect(sim.currentKPIs().radioLinkFailures == 1)
    }

    @Test func kpisAddUpAndPercentileMatchesNumpy() throws {
        #expect(percentile([1, 2, 3, 4], 5) == 1.15)  // numpy.percentile([1,2,3,4], 5)
        #expect(abs(percentile([10, 0, 5], 50) - 5) < 1e-12)
        #expect(percentile([], 5) == 0)
        var options = OperatorOptions(trackKPIs: true)
        options.pingPongWindow = 2
        var sim = try RadioSimulator(scenario: .medium, options: options)
        sim.reset(seed: 1)
        var policy = StrongestSignalPolicy()
        var actions = [Int](repeating: 0, count: sim.ueCount)
        var throughputSum = 0.0
        var rates: [Double] = []
        while !sim.isTruncated {
            policy.actions(for: sim, into: &actions)
            sim.applyActions(actions)
            let now = sim.currentKPIs()
            // Cell throughputs add up to the sum of UE rates.
            #expect(TestSupport.closeRel(now.cells.map(\.throughput).reduce(0, +), sim.macroRate.reduce(0, +), 1e-9))
            #expect(now.cells.map(\.connectedUEs) == sim.load.map(Double.init))
            throughputSum += now.throughput
            rates += sim.macroRate
            sim.advanceTime()
        }
        let episode = try #require(sim.episodeKPIs())
        #expect(TestSupport.closeRel(episode.throughput, throughputSum / 100, 1e-9))
        #expect(TestSupport.closeRel(episode.meanUERate, rates.reduce(0, +) / Double(rates.count), 1e-9))
        #expect(episode.p5UERate == percentile(rates, 5))
        #expect(episode.cells.allSatisfy { $0.prbUtilisation >= 0 && $0.prbUtilisation <= 1 })
        #expect(episode.handovers > 0, "strongest-signal UEs change cells while moving")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(episode)) as? [String: Any]
        #expect(json?["p5_ue_rate"] != nil && json?["radio_link_failures"] != nil)
    }

    @Test func optionsAreValidated() {
        func field(_ o: OperatorOptions) -> String? {
            do {
                _ = try RadioSimulator(scenario: .small, options: o)
                return nil
            } catch { return error.field }
        }
        #expect(field(OperatorOptions(handover: A3Parameters())) == "single_connectivity")
        #expect(field(OperatorOptions(singleConnectivity: true, handover: A3Parameters(timeToTrigger: 0))) == "handover.time_to_trigger")
        #expect(field(OperatorOptions(cellOffsets: [1, 2])) == "cell_offsets")
        #expect(field(OperatorOptions(cellOffsets: [1, .nan, 2])) == "cell_offsets[1]")
        #expect(field(OperatorOptions(pingPongWindow: -1)) == "ping_pong_window")
        #expect(field(OperatorOptions(singleConnectivity: true, handover: A3Parameters(), cellOffsets: [0, 3, -3])) == nil)
    }

    @Test func generatedHexGridWithHundredsOfUEs() throws {
        let scenario = try Scenario.hexGrid(rings: 4, interSiteDistance: 100, ueCount: 400)
        var sim = try RadioSimulator(scenario: scenario, options: Self.a3)
        sim.reset(seed: 0)
        let idle = [Int](repeating: 0, count: 400)
        for _ in 0..<20 {
            sim.applyActions(idle)
            #expect(sim.load.reduce(0, +) == sim.serving.filter { $0 >= 0 }.count)
            #expect(sim.load.reduce(0, +) == sim.connected.filter { $0 }.count)
            sim.advanceTime()
        }
        #expect(sim.serving.filter { $0 >= 0 }.count > 300, "auto-attach serves most UEs on a dense grid")
    }
}

@Suite struct CellAgentTests {
    @Test func offsetsSteerTheLoad() throws {
        // 40 UEs on the overlap corridor; cell 0 at +6 dB and cell 1 at -6 dB pulls UEs to cell 0.
        let scenario = TestSupport.overlap(ueCount: 40)
        var env = try CellAgentEnvironment(scenario: scenario, handover: A3Parameters(hysteresis: 1, timeToTrigger: 1))
        #expect(env.agentCount == 2 && env.actionSpace == .discrete(5))
        var first = env.reset(seed: 3).observations
        #expect(first.count == 12)
        var biased = env
        var neutral = env
        var loadBiased = 0.0, loadNeutral = 0.0
        for _ in 0..<30 {
            let b = biased.step([4, 0])  // +6 dB, -6 dB
            _ = neutral.step([2, 2])     // 0, 0
            #expect(b.rewards[0] == b.rewards[1])
            #expect(biased.observationSpace.contains(Array(b.observations[0..<6])))
            #expect(biased.observationSpace.contains(Array(b.observations[6..<12])))
            loadBiased += Double(biased.simulator.load[0])
            loadNeutral += Double(neutral.simulator.load[0])
        }
        #expect(biased.simulator.cio == [6, -6])
        #expect(loadBiased > loadNeutral)
        first = biased.observations()
        #expect(first[2] == 1 && first[8] == -1)
        _ = biased.reset(seed: 3)
        #expect(biased.simulator.cio == [0, 0], "reset restores the offsets")
    }
}
