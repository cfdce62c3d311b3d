import Foundation
import Testing
@testable import RadioSim

/// Compares whole steps against mobile-env 2.1.0 with pinned movement
/// (bench/radiosim_fixture.py writes Fixtures/mobile_env_reference.json).
@Suite struct MobileEnvFixtureTests {
    typealias JSON = [String: Any]

    static func document() throws -> JSON {
        try #require(try TestSupport.loadJSON("mobile_env_reference.json") as? JSON)
    }

    static func doubles(_ any: Any?) -> [Double] { (any as? [Any] ?? []).map { ($0 as! NSNumber).doubleValue } }

    @Test func formulasMatchMobileEnv() throws {
        let doc = try Self.document()
        let rows = try #require(doc["formulas"] as? [JSON])
        #expect(rows.count == 7)
        for row in rows {
            let ue = Self.doubles(row["ue"]), bs = Self.doubles(row["station"])
            let d = RadioModel.truncatedDistance(ue[0], ue[1], bs[0], bs[1])
            let loss = RadioModel.okumuraHataLoss(distance: d, frequency: 2500, stationHeight: 50, ueHeight: 1.5)
            let snr = RadioModel.snr(txPower: 30, loss: loss, noise: 1e-9)
            let rate = RadioModel.maxDataRate(bandwidth: 9e6, snr: snr, threshold: 2e-8)
            let u = RadioModel.utility(rate: rate, lower: -20, upper: 20)
            #expect(TestSupport.closeRel(loss, (row["loss"] as! NSNumber).doubleValue, 1e-12))
            #expect(TestSupport.closeRel(snr, (row["snr"] as! NSNumber).doubleValue, 1e-10))
            #expect(TestSupport.closeRel(rate, (row["rate"] as! NSNumber).doubleValue, 1e-10))
            #expect(TestSupport.closeRel(u, (row["utility"] as! NSNumber).doubleValue, 1e-10))
            #expect(TestSupport.closeRel(RadioModel.scaledUtility(u, lower: -20, upper: 20),
                                         (row["scaled"] as! NSNumber).doubleValue, 1e-10))
        }
    }

    @Test func pinnedTrajectoriesMatchMobileEnv() throws {
        let doc = try Self.document()
        let cases = try #require(doc["cases"] as? [JSON])
        #expect(cases.count == 8)
        var comparedSteps = 0
        for c in cases {
            let name = c["scenario"] as! String
            let variant = c["variant"] as! String
            var scenario = try Scenario.builtin(named: name)
            scenario.episodeLength = (c["episode_length"] as! NSNumber).intValue
            var sim = try RadioSimulator(scenario: scenario)
            let initial = (c["initial"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
            sim.reset(seed: 0)
            sim.place(x: initial.map { $0[0] }, y: initial.map { $0[1] })
            let n = sim.stationCount, u = sim.ueCount
            // Reset observation.
            if variant == "central" {
                expectClose(sim.centralObservation(), Self.doubles(c["reset_observation"]), "\(name) reset")
            } else {
                let rows = (c["reset_observation"] as! [[NSNumber]]).flatMap { $0.map(\.doubleValue) }
                expectClose(sim.multiAgentObservations(), rows, "\(name) ma reset")
            }
            for (t, step) in (c["steps"] as! [JSON]).enumerated() {
                let where_ = "\(name)/\(variant) step \(t)"
                let actions = (step["actions"] as! [NSNumber]).map(\.intValue)
                sim.applyActions(actions)
                // Connections after the actions.
                var links: [[Int]] = []
                for ue in 0..<u { for s in 0..<n where sim.connected[ue * n + s] { links.append([ue, s]) } }
                let expectedLinks = (step["connections"] as! [[NSNumber]]).map { $0.map(\.intValue) }
                #expect(links == expectedLinks, "\(where_) links")
                let rates = Self.doubles(step["macro_rates"]), utilities = Self.doubles(step["utilities"])
                for ue in 0..<u {
                    #expect(TestSupport.closeRel(sim.macroRate[ue], rates[ue], 1e-9), "\(where_) rate \(ue)")
                    #expect(TestSupport.closeRel(sim.utility[ue], utilities[ue], 1e-9), "\(where_) utility \(ue)")
                }
                var maRewards: [Double] = []
                if variant == "central" {
                    #expect(TestSupport.closeRel(sim.meanUtility, (step["reward"] as! NSNumber).doubleValue, 1e-9), "\(where_) reward")
                } else {
                    maRewards = (0..<u).map { sim.multiAgentReward(ue: $0) }
                    let expected = Self.doubles(step["rewards"])
                    for ue in 0..<u {
                        #expect(TestSupport.closeRel(maRewards[ue], expected[ue], 1e-9), "\(where_) ma reward \(ue)")
                    }
                }
                let info = sim.stepInfo
                let expectedInfo = step["info"] as! [String: NSNumber]
                #expect(Double(info.connections) == expectedInfo["number connections"]?.doubleValue, "\(where_) info")
                #expect(Double(info.connectedUEs) == expectedInfo["number connected"]?.doubleValue, "\(where_) info")
                #expect(TestSupport.closeRel(info.meanUtility, expectedInfo["mean utility"]!.doubleValue, 1e-9))
                #expect(TestSupport.closeRel(info.meanDataRate, expectedInfo["mean datarate"]!.doubleValue, 1e-9))
                let after = (step["positions_after"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
                sim.advanceTime(placingAt: after.map { $0[0] }, y: after.map { $0[1] })
                #expect(sim.isTruncated == (step["truncated"] as! Bool), "\(where_) truncated")
                if variant == "central" {
                    expectClose(sim.centralObservation(), Self.doubles(step["observation"]), where_)
                } else if let rows = step["observations"] as? [[NSNumber]], !rows.isEmpty {
                    expectClose(sim.multiAgentObservations(), rows.flatMap { $0.map(\.doubleValue) }, where_)
                } else {
                    #expect(sim.isTruncated, "mobile-env drops MA observations only at the end")
                }
                comparedSteps += 1
            }
        }
        #expect(comparedSteps == 30 + 30 + 12 + 12 + 15 + 15 + 10 + 10)
    }

    func expectClose(_ ours: [Float], _ theirs: [Double], _ label: String) {
        #expect(ours.count == theirs.count, "\(label) size")
        var worst = 0.0
        for (a, b) in zip(ours, theirs) { worst = max(worst, abs(Double(a) - b)) }
        #expect(worst <= 1e-6, "\(label) max |diff| \(worst)")
    }
}
