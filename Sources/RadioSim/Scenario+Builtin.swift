extension Scenario {
    /// `mobile-env`'s small scenario: 200 x 200 m, 3 cells, 5 UEs.
    public static var small: Scenario {
        Scenario(name: "small", width: 200, height: 200,
                 stations: [(110, 130), (65, 80), (120, 30)].map { StationConfig(x: $0.0, y: $0.1) },
                 ueCount: 5)
    }

    /// `mobile-env`'s medium scenario: 200 x 300 m, 7 cells, 15 UEs.
    public static var medium: Scenario {
        Scenario(name: "medium", width: 200, height: 300,
                 stations: [(95, 240), (100, 140), (105, 60), (35, 200), (40, 95), (165, 220), (160, 110)]
                    .map { StationConfig(x: $0.0, y: $0.1) },
                 ueCount: 15)
    }

    /// `mobile-env`'s large scenario: 300 x 300 m, 13 cells, 30 UEs.
    public static var large: Scenario {
        let positions: [(Double, Double)] = [
            (50, 100), (60, 210), (90, 60), (120, 130), (130, 215), (140, 190), (160, 70),
            (200, 250), (210, 135), (230, 70), (250, 240), (255, 170), (265, 50),
        ]
        return Scenario(name: "large", width: 300, height: 300,
                        stations: positions.map { StationConfig(x: $0.0, y: $0.1) }, ueCount: 30)
    }

    /// Names accepted by `builtin(named:)`.
    public static let builtinNames = ["small", "medium", "large"]

    /// A built-in scenario by name (`small`, `medium`, `large`).
    public static func builtin(named name: String) throws(RadioSimError) -> Scenario {
        switch name {
        case "small": return .small
        case "medium": return .medium
        case "large": return .large
        default:
            throw RadioSimError(.unknownScenario, field: "scenario",
                                "unknown scenario '\(name)'; built-in ones are \(builtinNames.joined(separator: ", ")) (or give a JSON file)")
        }
    }
}
