import Foundation
import Testing
@testable import RadioSim

@Suite struct ScenarioTests {
    @Test func builtinsMatchTheSpecTable() throws {
        #expect(Scenario.small.stations.map { [$0.x, $0.y] } == [[110, 130], [65, 80], [120, 30]])
        #expect(Scenario.medium.stations.count == 7 && Scenario.medium.ueCount == 15)
        #expect(Scenario.medium.width == 200 && Scenario.medium.height == 300)
        #expect(Scenario.large.stations.count == 13 && Scenario.large.ueCount == 30)
        #expect(Scenario.large.stations.last.map { [$0.x, $0.y] } == [265, 50])
        for s in [Scenario.small, .medium, .large] {
            try s.validate()
            #expect(s.episodeLength == 100)
            #expect(s.stations.allSatisfy { $0.bandwidth == 9e6 && $0.frequency == 2500 && $0.txPower == 30 && $0.height == 50 })
            #expect(s.ue == UEConfig(velocity: 1.5, snrThreshold: 2e-8, noise: 1e-9, height: 1.5))
        }
        #expect(throws: RadioSimError.self) { try Scenario.builtin(named: "huge") }
    }

    @Test func readsAFileWithDefaultsAndOverrides() throws {
        let json = """
        {"name": "campus", "width": 400, "height": 300, "ue_count": 40,
         "station_defaults": {"tx_power": 33},
         "stations": [{"x": 100, "y": 150}, {"x": 300, "y": 150, "bandwidth": 20e6}],
         "ue": {"velocity": 1.0}, "episode_length": 200, "seed": 7}
        """
        let s = try Scenario(jsonData: Data(json.utf8))
        #expect(s.name == "campus" && s.ueCount == 40 && s.episodeLength == 200 && s.seed == 7)
        #expect(s.stations[0] == StationConfig(x: 100, y: 150, txPower: 33))
        #expect(s.stations[1] == StationConfig(x: 300, y: 150, bandwidth: 20e6, txPower: 33))
        #expect(s.ue.velocity == 1.0 && s.ue.noise == 1e-9)
        // Round trip through the writer.
        #expect(try Scenario(jsonData: s.jsonData()) == s)
        #expect(try Scenario(jsonData: Scenario.large.jsonData()) == Scenario.large)
    }

    @Test(arguments: [
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": [{"x": 10, "y": 10}, {"x": 250, "y": 10}]}"#, "stations[1].x"),
        (#"{"width": 200, "height": 200, "ue_count": 0, "stations": [{"x": 10, "y": 10}]}"#, "ue_count"),
        (#"{"width": -1, "height": 200, "ue_count": 5, "stations": [{"x": 0, "y": 0}]}"#, "width"),
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": []}"#, "stations"),
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": [{"x": 1, "y": 1, "bandwidth": 0}]}"#, "stations[0].bandwidth"),
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": [{"x": 1, "y": 1, "hight": 30}]}"#, "stations[0].hight"),
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": [{"x": 1}]}"#, "stations[0].y"),
        (#"{"width": 200, "height": 200, "stations": [{"x": 1, "y": 1}]}"#, "ue_count"),
        (#"{"width": 200, "height": 200, "ue_count": "five", "stations": [{"x": 1, "y": 1}]}"#, "ue_count"),
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": [{"x": 1, "y": 1}], "ue": {"noise": 0}}"#, "ue.noise"),
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": [{"x": 1, "y": 1}], "episode_length": 0}"#, "episode_length"),
        (#"{"width": 200, "height": 200, "ue_count": 5, "stations": [{"x": 1, "y": 1}], "colour": "red"}"#, "colour"),
        (#"{"height": 200, "ue_count": 5, "stations": [{"x": 1, "y": 1}]}"#, "width"),
        (#"{"ue_count": 5, "hex_grid": {"rings": -1, "inter_site_distance": 100}}"#, "hex_grid.rings"),
        (#"{"ue_count": 5}"#, "stations"),
        (#"{"ue_count": 1000000, "hex_grid": {"rings": 10, "inter_site_distance": 100}}"#, "ue_count"),
        (#"{"ue_count": 5, "width": 1, "hex_grid": {"rings": 1, "inter_site_distance": 100}}"#, "width"),
    ])
    func invalidFilesNameTheField(json: String, field: String) {
        do {
            _ = try Scenario(jsonData: Data(json.utf8))
            Issue.record("accepted an invalid scenario, expected an error on \(field)")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.description.contains(field))
        }
    }

    @Test func notJSONIsADecodingError() {
        do {
            _ = try Scenario(jsonData: Data("{ width: ".utf8))
            Issue.record("accepted garbage")
        } catch {
            #expect(error.code == .decodingFailed)
        }
    }

    @Test func hexGridGeometry() throws {
        for (rings, cells) in [(0, 1), (1, 7), (2, 19), (4, 61), (6, 127)] {
            let s = try Scenario.hexGrid(rings: rings, interSiteDistance: 120, ueCount: 10)
            #expect(s.stations.count == cells)
        }
        let s = try Scenario.hexGrid(rings: 3, interSiteDistance: 100, ueCount: 300)
        // Every site's nearest neighbour is exactly one inter-site distance away; the centre has six.
        for (i, a) in s.stations.enumerated() {
            let d = s.stations.enumerated().filter { $0.offset != i }.map { ((a.x - $0.element.x) * (a.x - $0.element.x) + (a.y - $0.element.y) * (a.y - $0.element.y)).squareRoot() }
            #expect(abs(d.min()! - 100) < 1e-9)
        }
        let centre = StationConfig(x: s.width / 2, y: s.height / 2)
        let near = s.stations.filter { abs(((($0.x - centre.x) * ($0.x - centre.x) + ($0.y - centre.y) * ($0.y - centre.y)).squareRoot()) - 100) < 1e-6 }
        #expect(near.count == 6)
        #expect(s.stations.allSatisfy { $0.x >= 50 - 1e-9 && $0.x <= s.width - 50 + 1e-9 })
        let file = try Scenario(jsonData: Data(#"{"ue_count": 300, "hex_grid": {"rings": 3, "inter_site_distance": 100}}"#.utf8))
        #expect(file.stations == s.stations && file.width == s.width)
    }
}

@Suite struct ScenarioFileTests {
    @Test func resolvesBuiltinNamesAndFiles() throws {
        #expect(try Scenario.resolve("medium") == .medium)
        let url = try #require(TestSupport.fixtureURL("example_scenario.json"))
        let s = try Scenario.resolve(url.path)
        #expect(s.name == "campus" && s.stations.count == 3 && s.episodeLength == 200)
        #expect(s.stations[2].frequency == 1800 && s.stations[2].txPower == 33 && s.stations[2].height == 30)
        var env = try RadioEnvironment(scenario: s)
        _ = env.reset(seed: 0)
        var steps = 0
        while !env.step(Array(repeating: 0, count: 40)).truncated { steps += 1 }
        #expect(steps + 1 == 200)
        do {
            _ = try Scenario.resolve("/nonexistent/file.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownScenario && error.field == "scenario")
        }
    }
}
