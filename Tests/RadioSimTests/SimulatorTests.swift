import Foundation
import Testing
@testable import RadioSim

@Suite struct SimulatorTests {
    @Test func handComputedOkumuraHata() {
        // f = 2500 MHz, hb = 50 m, hm = 1.5 m, by hand:
        // log10 f = 3.397940008672, ch = 0.8 + (1.1 * 3.397940008672 - 0.7) * 1.5 - 1.56 * 3.397940008672
        //         = 0.8 + 4.556601014309 - 5.300786413529 = 0.055814600780
        // A = 69.55 - 0.055814600780 + 88.890110626860 - 23.479765459924 = 134.904530566156
        // B = 44.9 - 6.55 * 1.698970004336 = 33.771746471600
        let (a, b) = RadioModel.okumuraHataTerms(frequency: 2500, stationHeight: 50, ueHeight: 1.5)
        #expect(abs(a - 134.904530566156) < 1e-9)
        #expect(abs(b - 33.7717464716) < 1e-9)
        // At 100 m: loss = A + 2 B.
        let loss = RadioModel.okumuraHataLoss(distance: 100, frequency: 2500, stationHeight: 50, ueHeight: 1.5)
        #expect(abs(loss - (134.904530566156 + 2 * 33.7717464716)) < 1e-9)
        // SNR = 10^((30 - loss) / 10) / 1e-9 = 10^(-17.2448185...+9)
        let snr = RadioModel.snr(txPower: 30, loss: loss, noise: 1e-9)
        #expect(abs(log10(snr) - (30 - loss) / 10 - 9) < 1e-12)
        // Below the threshold: no rate, lower-bound utility.
        #expect(RadioModel.maxDataRate(bandwidth: 9e6, snr: 1e-8, threshold: 2e-8) == 0)
        #expect(RadioModel.utility(rate: 0, lower: -20, upper: 20) == -20)
        #expect(RadioModel.utility(rate: 1e-3, lower: -20, upper: 20) == -20)  // 10 log10(1e-3) = -30, clipped
        #expect(abs(RadioModel.utility(rate: 10, lower: -20, upper: 20) - 10) < 1e-12)
        #expect(RadioModel.utility(rate: 1e9, lower: -20, upper: 20) == 20)
        #expect(abs(RadioModel.scaledUtility(10, lower: -20, upper: 20) - 0.5) < 1e-15)
        #expect(RadioModel.truncatedDistance(3.9, 4.99, 0.2, 0.7) == 5)  // (3, 4) to (0, 0)
    }

    @Test func resourceFairSharing() throws {
        // Two UEs at the same spot next to cell 0 share it equally; alone a UE gets all of it.
        var sim = try RadioSimulator(scenario: TestSupport.corridor(ueCount: 2))
        sim.place(x: [30, 30.5], y: [20, 20.9])  // both truncate to (30, 20)
        sim.applyActions([1, 0])
        let full = sim.linkRate[0]
        #expect(full > 0)
        #expect(TestSupport.closeRel(sim.macroRate[0], full, 1e-15))
        sim.advanceTime(placingAt: [30, 30], y: [20, 20])
        sim.applyActions([0, 1])
        #expect(sim.load[0] == 2)
        #expect(TestSupport.closeRel(sim.macroRate[0], full / 2, 1e-15))
        #expect(TestSupport.closeRel(sim.macroRate[1], full / 2, 1e-15))
        // Central reward is the mean scaled utility.
        let u = RadioModel.scaledUtility(RadioModel.utility(rate: full / 2, lower: -20, upper: 20), lower: -20, upper: 20)
        #expect(TestSupport.closeRel(sim.meanUtility, u, 1e-12))
    }

    @Test func toggleNeedsRangeAndOutOfRangeLinksDrop() throws {
        var sim = try RadioSimulator(scenario: TestSupport.corridor())
        sim.place(x: [25], y: [20])
        sim.applyActions([2])  // cell 1 is 155 m away: out of range (about 69 m)
        #expect(!sim.connected[1])
        sim.advanceTime(placingAt: [25], y: [20])
        sim.applyActions([1])
        #expect(sim.connected[0] && sim.load[0] == 1)
        sim.advanceTime(placingAt: [150], y: [20])  // far from cell 0
        #expect(sim.connected[0], "links drop at the start of the next step, not on the move")
        sim.applyActions([0])
        #expect(!sim.connected[0] && sim.load[0] == 0)
        #expect(sim.counters.radioLinkFailures == [1, 0])
    }

    @Test func randomWaypointMovesAtVelocityInsideTheMap() throws {
        var sim = try RadioSimulator(scenario: .small)
        sim.reset(seed: 3)
        let noop = [Int](repeating: 0, count: 5)
        for _ in 0..<100 {
            let x0 = sim.ueX, y0 = sim.ueY, wx = sim.waypointX, wy = sim.waypointY, had = sim.hasWaypoint
            sim.step(actions: noop)
            for u in 0..<5 {
                let moved = ((sim.ueX[u] - x0[u]) * (sim.ueX[u] - x0[u]) + (sim.ueY[u] - y0[u]) * (sim.ueY[u] - y0[u])).squareRoot()
                if sim.hasWaypoint[u] {
                    #expect(abs(moved - 1.5) < 1e-9)
                } else {
                    // Landed on the waypoint it had (or drew this step), within one step.
                    #expect(moved <= 1.5 + 1e-9)
                    if had[u] { #expect(sim.ueX[u] == wx[u] && sim.ueY[u] == wy[u]) }
                }
                #expect(sim.ueX[u] >= 0 && sim.ueX[u] <= 200 && sim.ueY[u] >= 0 && sim.ueY[u] <= 200)
            }
        }
        #expect(sim.isTruncated)
    }

    @Test func deterministicPerSeed() throws {
        func trajectory(seed: Int?, episodes: Int = 1) throws -> [Double] {
            var env = try RadioEnvironment(scenario: .small)
            var policy = RandomPolicy(seed: 9)
            var out: [Double] = []
            for e in 0..<episodes {
                var obs = env.reset(seed: e == 0 ? seed : nil).observation
                out += obs.map(Double.init)
                var actions = [Int](repeating: 0, count: 5)
                while true {
                    policy.actions(for: env.simulator, into: &actions)
                    let r = env.step(actions)
                    obs = r.observation
                    out.append(r.reward)
                    if r.truncated { break }
                }
            }
            return out
        }
        #expect(try trajectory(seed: 5) == trajectory(seed: 5))
        #expect(try trajectory(seed: 5) != trajectory(seed: 6))
        // Without a seed the stream continues: the second episode differs from the first.
        let two = try trajectory(seed: 5, episodes: 2)
        let one = try trajectory(seed: 5)
        #expect(Array(two[0..<one.count]) == one)
        #expect(Array(two[one.count...]) != one)
    }

    @Test func resetRNGPerEpisodeReplaysTheEpisode() throws {
        var sim = try RadioSimulator(scenario: .small, options: OperatorOptions(resetRNGPerEpisode: true))
        sim.reset(seed: 2)
        let start = sim.ueX
        sim.step(actions: [0, 0, 0, 0, 0])
        sim.reset(seed: nil)
        #expect(sim.ueX == start)
        var plain = try RadioSimulator(scenario: .small)
        plain.reset(seed: 2)
        #expect(plain.ueX == start, "seed s seeds movement with s + 4 in both modes")
        plain.reset(seed: nil)
        #expect(plain.ueX != start)
    }

    @Test func multiAgentRewardByHand() throws {
        // UE 0 next to cell 0 (both cells' range? cell 1 is 160 m away: out of range).
        var sim = try RadioSimulator(scenario: TestSupport.corridor(ueCount: 2))
        sim.place(x: [25, 30], y: [20, 20])
        sim.applyActions([1, 1])
        let s0 = sim.stationUtility[0]
        #expect(TestSupport.closeRel(s0, (sim.utility[0] + sim.utility[1]) / 2, 1e-15))
        // In range of cell 0 only: (station utility + own) / (2 connections + 1).
        #expect(TestSupport.closeRel(sim.multiAgentReward(ue: 0), (s0 + sim.utility[0]) / 3, 1e-15))
        let obs = sim.multiAgentObservations()
        let size = sim.fullFeatureSize
        #expect(size == 9)
        // bcast: cell 0 broadcast, cell 1 out of range -> -1; stations_connected: 2 / 2, 0.
        #expect(obs[5] == Float(s0) && obs[6] == -1)
        #expect(obs[7] == 1 && obs[8] == 0)
    }
}

@Suite struct ChannelCacheTests {
    @Test func decibelsAgreeWithTheLinearSNR() throws {
        var sim = try RadioSimulator(scenario: .large)
        sim.reset(seed: 1)
        for u in 0..<sim.ueCount {
            for s in 0..<sim.stationCount {
                #expect(abs(sim.snrDecibels(ue: u, station: s) - 10 * log10(sim.snr[u * sim.stationCount + s])) < 1e-9)
            }
        }
    }
}
