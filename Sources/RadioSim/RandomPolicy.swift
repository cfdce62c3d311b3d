/// Uniform random actions (each UE 0...N), from its own seeded generator.
public struct RandomPolicy: RadioPolicy {
    public var name: String { "random" }
    var rng: SeededGenerator

    public init(seed: Int = 0) { rng = SeededGenerator(seed: seed) }

    public mutating func reset(seed: Int) { rng = SeededGenerator(seed: seed) }

    public mutating func actions(for simulator: RadioSimulator, into actions: inout [Int]) {
        for u in 0..<simulator.ueCount { actions[u] = rng.nextInt(below: simulator.stationCount + 1) }
    }
}
