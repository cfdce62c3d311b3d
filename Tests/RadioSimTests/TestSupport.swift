import Foundation
@testable import RadioSim

enum TestSupport {
    static func fixtureURL(_ name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
    }

    static func loadJSON(_ name: String) throws -> Any {
        guard let url = fixtureURL(name) else { throw FixtureMissing(name: name) }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    struct FixtureMissing: Error { var name: String }

    static func closeRel(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool {
        if a == b { return true }
        return abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)
    }

    /// Two cells 80 m apart (x = 60 and x = 140) whose ranges (about 69 m) overlap.
    static func overlap(ueCount: Int = 1) -> Scenario {
        Scenario(name: "overlap", width: 200, height: 40,
                 stations: [StationConfig(x: 60, y: 20), StationConfig(x: 140, y: 20)], ueCount: ueCount)
    }

    /// Two-cell corridor: cells at x = 20 and x = 180 on a 200 x 40 map, 1 UE.
    static func corridor(ueCount: Int = 1) -> Scenario {
        Scenario(name: "corridor", width: 200, height: 40,
                 stations: [StationConfig(x: 20, y: 20), StationConfig(x: 180, y: 20)], ueCount: ueCount)
    }
}
