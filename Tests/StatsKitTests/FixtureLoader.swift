import Foundation

/// Loads a JSON fixture bundled with the test target.
func loadFixture(_ name: String) throws -> [String: Any] {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw FixtureError(message: "fixture \(name).json is missing from Tests/StatsKitTests/Fixtures")
    }
    let data = try Data(contentsOf: url)
    guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw FixtureError(message: "fixture \(name).json is not a JSON object")
    }
    return obj
}

struct FixtureError: Error { let message: String }

/// |a − b| ≤ abs + rel·|b| (NaN never matches; equal infinities match).
func close(_ a: Double, _ b: Double, rel: Double = 1e-10, abs absTol: Double = 0) -> Bool {
    if a == b { return true }
    return Swift.abs(a - b) <= absTol + rel * Swift.abs(b)
}

extension Dictionary where Key == String, Value == Any {
    func d(_ k: String) -> Double { (self[k] as? NSNumber)?.doubleValue ?? .nan }
    func i(_ k: String) -> Int { (self[k] as? NSNumber)?.intValue ?? -1 }
    func ds(_ k: String) -> [Double] { (self[k] as? [NSNumber])?.map(\.doubleValue) ?? [] }
    func obj(_ k: String) -> [String: Any] { self[k] as? [String: Any] ?? [:] }
    func objs(_ k: String) -> [[String: Any]] { self[k] as? [[String: Any]] ?? [] }
}
