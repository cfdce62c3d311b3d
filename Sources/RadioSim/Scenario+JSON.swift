import Foundation

/// Scenario files are JSON with snake_case keys. Either `stations` (a list) or `hex_grid`
/// (`rings`, `inter_site_distance`, optional `margin`) describes the cells; `width`/`height`
/// are required with `stations` and derived with `hex_grid`. Unknown keys are rejected.
///
/// ```json
/// {"name": "campus", "width": 400, "height": 300, "ue_count": 40,
///  "station_defaults": {"tx_power": 33},
///  "stations": [{"x": 100, "y": 150}, {"x": 300, "y": 150, "bandwidth": 20e6}],
///  "ue": {"velocity": 1.0}, "episode_length": 200, "seed": 7}
/// ```
extension Scenario {
    /// Decodes and validates a scenario; errors name the offending field.
    public init(jsonData: Data) throws(RadioSimError) {
        let file: ScenarioFile
        do {
            file = try JSONDecoder().decode(ScenarioFile.self, from: jsonData)
        } catch let error as RadioSimError {
            throw error
        } catch let error as DecodingError {
            throw RadioSimError.from(error)
        } catch {
            throw RadioSimError(.decodingFailed, "\(error)")
        }
        self = try file.scenario()
        try validate()
    }

    /// Reads and validates a scenario file.
    public init(contentsOfFile path: String) throws(RadioSimError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RadioSimError(.unknownScenario, field: "scenario", "cannot read scenario file '\(path)'")
        }
        try self.init(jsonData: data)
    }

    /// A built-in scenario name (`small`, `medium`, `large`) or the path of a JSON file.
    public static func resolve(_ nameOrPath: String) throws(RadioSimError) -> Scenario {
        if builtinNames.contains(nameOrPath) { return try builtin(named: nameOrPath) }
        return try Scenario(contentsOfFile: nameOrPath)
    }

    /// The scenario as JSON in the file format (stations listed explicitly).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding plain numbers and strings cannot fail.
        return try! encoder.encode(ScenarioFile(self))
    }
}

extension RadioSimError {
    static func from(_ error: DecodingError) -> RadioSimError {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out.isEmpty ? "<root>" : out
        }
        switch error {
        case .typeMismatch(let type, let ctx):
            return RadioSimError(.decodingFailed, field: path(ctx.codingPath), "expected \(type)")
        case .valueNotFound(let type, let ctx):
            return RadioSimError(.decodingFailed, field: path(ctx.codingPath), "missing value of type \(type)")
        case .keyNotFound(let key, let ctx):
            return RadioSimError(.decodingFailed, field: path(ctx.codingPath + [key]), "required field is missing")
        case .dataCorrupted(let ctx):
            return RadioSimError(.decodingFailed, field: path(ctx.codingPath), "not valid JSON: \(ctx.debugDescription)")
        @unknown default:
            return RadioSimError(.decodingFailed, "\(error)")
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Rejects keys not in `allowed`, naming the first unknown one.
private func rejectUnknownKeys(_ decoder: any Decoder, allowed: Set<String>) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    for key in container.allKeys where !allowed.contains(key.stringValue) {
        var p = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        if p.hasPrefix(".") { p.removeFirst() }
        let field = p.isEmpty ? key.stringValue : "\(p).\(key.stringValue)"
        throw RadioSimError(.invalidScenario, field: field,
                            "unknown field; allowed here: \(allowed.sorted().joined(separator: ", "))")
    }
}

private struct StationFile: Codable {
    var x: Double?
    var y: Double?
    var bandwidth: Double?
    var frequency: Double?
    var txPower: Double?
    var height: Double?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case x, y, bandwidth, frequency, txPower = "tx_power", height
    }
    init(_ s: StationConfig?) {
        x = s?.x; y = s?.y; bandwidth = s?.bandwidth; frequency = s?.frequency; txPower = s?.txPower; height = s?.height
    }
    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        x = try c.decodeIfPresent(Double.self, forKey: .x)
        y = try c.decodeIfPresent(Double.self, forKey: .y)
        bandwidth = try c.decodeIfPresent(Double.self, forKey: .bandwidth)
        frequency = try c.decodeIfPresent(Double.self, forKey: .frequency)
        txPower = try c.decodeIfPresent(Double.self, forKey: .txPower)
        height = try c.decodeIfPresent(Double.self, forKey: .height)
    }
    func merged(over d: StationConfig) -> StationConfig {
        StationConfig(x: x ?? d.x, y: y ?? d.y, bandwidth: bandwidth ?? d.bandwidth,
                      frequency: frequency ?? d.frequency, txPower: txPower ?? d.txPower, height: height ?? d.height)
    }
}

private struct UEFile: Codable {
    var velocity: Double?
    var snrThreshold: Double?
    var noise: Double?
    var height: Double?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case velocity, snrThreshold = "snr_threshold", noise, height
    }
    init(_ u: UEConfig) { velocity = u.velocity; snrThreshold = u.snrThreshold; noise = u.noise; height = u.height }
    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        velocity = try c.decodeIfPresent(Double.self, forKey: .velocity)
        snrThreshold = try c.decodeIfPresent(Double.self, forKey: .snrThreshold)
        noise = try c.decodeIfPresent(Double.self, forKey: .noise)
        height = try c.decodeIfPresent(Double.self, forKey: .height)
    }
    var config: UEConfig {
        let d = UEConfig()
        return UEConfig(velocity: velocity ?? d.velocity, snrThreshold: snrThreshold ?? d.snrThreshold,
                        noise: noise ?? d.noise, height: height ?? d.height)
    }
}

private struct HexGridFile: Codable {
    var rings: Int
    var interSiteDistance: Double
    var margin: Double?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case rings, interSiteDistance = "inter_site_distance", margin
    }
    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rings = try c.decode(Int.self, forKey: .rings)
        interSiteDistance = try c.decode(Double.self, forKey: .interSiteDistance)
        margin = try c.decodeIfPresent(Double.self, forKey: .margin)
    }
}

private struct ScenarioFile: Codable {
    var name: String?
    var width: Double?
    var height: Double?
    var stations: [StationFile]?
    var stationDefaults: StationFile?
    var hexGrid: HexGridFile?
    var ueCount: Int
    var ue: UEFile?
    var episodeLength: Int?
    var seed: Int?
    var utilityLower: Double?
    var utilityUpper: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, width, height, stations, stationDefaults = "station_defaults", hexGrid = "hex_grid"
        case ueCount = "ue_count", ue, episodeLength = "episode_length", seed
        case utilityLower = "utility_lower", utilityUpper = "utility_upper"
    }

    init(_ s: Scenario) {
        name = s.name; width = s.width; height = s.height
        stations = s.stations.map { StationFile($0) }
        ueCount = s.ueCount; ue = UEFile(s.ue); episodeLength = s.episodeLength; seed = s.seed
        utilityLower = s.utilityLower; utilityUpper = s.utilityUpper
    }

    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        width = try c.decodeIfPresent(Double.self, forKey: .width)
        height = try c.decodeIfPresent(Double.self, forKey: .height)
        stations = try c.decodeIfPresent([StationFile].self, forKey: .stations)
        stationDefaults = try c.decodeIfPresent(StationFile.self, forKey: .stationDefaults)
        hexGrid = try c.decodeIfPresent(HexGridFile.self, forKey: .hexGrid)
        ueCount = try c.decode(Int.self, forKey: .ueCount)
        ue = try c.decodeIfPresent(UEFile.self, forKey: .ue)
        episodeLength = try c.decodeIfPresent(Int.self, forKey: .episodeLength)
        seed = try c.decodeIfPresent(Int.self, forKey: .seed)
        utilityLower = try c.decodeIfPresent(Double.self, forKey: .utilityLower)
        utilityUpper = try c.decodeIfPresent(Double.self, forKey: .utilityUpper)
    }

    func scenario() throws(RadioSimError) -> Scenario {
        let defaults = (stationDefaults ?? StationFile(nil)).merged(over: StationConfig(x: 0, y: 0))
        let ueConfig = ue?.config ?? UEConfig()
        var scenario: Scenario
        switch (stations, hexGrid) {
        case (.some, .some):
            throw RadioSimError(.invalidScenario, field: "hex_grid", "give either stations or hex_grid, not both")
        case (nil, nil):
            throw RadioSimError(.invalidScenario, field: "stations", "required field is missing (or give hex_grid)")
        case (nil, .some(let grid)):
            if width != nil || height != nil {
                throw RadioSimError(.invalidScenario, field: width != nil ? "width" : "height",
                                    "is derived from hex_grid; do not give it")
            }
            scenario = try Scenario.hexGrid(rings: grid.rings, interSiteDistance: grid.interSiteDistance,
                                            ueCount: ueCount, margin: grid.margin, station: defaults, ue: ueConfig)
        case (.some(let list), nil):
            guard let width else { throw RadioSimError(.invalidScenario, field: "width", "required field is missing") }
            guard let height else { throw RadioSimError(.invalidScenario, field: "height", "required field is missing") }
            var cells: [StationConfig] = []
            for (i, s) in list.enumerated() {
                guard s.x != nil else { throw RadioSimError(.invalidScenario, field: "stations[\(i)].x", "required field is missing") }
                guard s.y != nil else { throw RadioSimError(.invalidScenario, field: "stations[\(i)].y", "required field is missing") }
                cells.append(s.merged(over: defaults))
            }
            scenario = Scenario(name: "custom", width: width, height: height, stations: cells, ueCount: ueCount, ue: ueConfig)
        }
        if let name { scenario.name = name }
        if let episodeLength { scenario.episodeLength = episodeLength }
        if let seed { scenario.seed = seed }
        if let utilityLower { scenario.utilityLower = utilityLower }
        if let utilityUpper { scenario.utilityUpper = utilityUpper }
        return scenario
    }
}
