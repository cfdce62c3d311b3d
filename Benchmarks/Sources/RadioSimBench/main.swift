// RadioSim benchmark: raw simulator steps per second with uniform random actions.
// Usage: RadioSimBench [--seconds S] [--json]
import Foundation
import RadioSim

let arguments = CommandLine.arguments
let seconds = arguments.firstIndex(of: "--seconds").flatMap { Double(arguments[$0 + 1]) } ?? 2.0
let asJSON = arguments.contains("--json")

func elapsed(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Steps a central environment with random actions (resetting on truncation) for about
/// `seconds`; returns steps per second. Observations are built every step (as an agent needs).
func benchEnvironment(_ scenario: Scenario, options: OperatorOptions = .compatibility) throws -> Double {
    var env = try RadioEnvironment(scenario: scenario, options: options)
    _ = env.reset(seed: 0)
    var rng = SeededGenerator(seed: 1)
    let n = env.simulator.stationCount + 1
    var actions = [Int](repeating: 0, count: env.simulator.ueCount)
    var steps = 0
    var checksum = 0.0
    let start = ContinuousClock.now
    while true {
        for _ in 0..<100 {
            for u in actions.indices { actions[u] = rng.nextInt(below: n) }
            let r = env.step(actions)
            checksum += r.reward + Double(r.observation[0])
            if r.truncated { _ = env.reset(seed: nil) }
        }
        steps += 100
        if elapsed(start) >= seconds { break }
    }
    let rate = Double(steps) / elapsed(start)
    if checksum.isNaN { print("nan") }
    return rate
}

/// Steps the multi-agent environment (per-UE rewards and observations).
func benchMultiAgent(_ scenario: Scenario) throws -> Double {
    var env = try RadioMultiAgentEnvironment(scenario: scenario)
    _ = env.reset(seed: 0)
    var rng = SeededGenerator(seed: 1)
    let n = env.simulator.stationCount + 1
    var actions = [Int](repeating: 0, count: env.agentCount)
    var steps = 0
    var checksum = 0.0
    let start = ContinuousClock.now
    while true {
        for _ in 0..<100 {
            for u in actions.indices { actions[u] = rng.nextInt(below: n) }
            let r = env.step(actions)
            checksum += r.rewards[0]
            if r.truncated { _ = env.reset(seed: nil) }
        }
        steps += 100
        if elapsed(start) >= seconds { break }
    }
    if checksum.isNaN { print("nan") }
    return Double(steps) / elapsed(start)
}

/// Baseline evaluation throughput (strongest-signal heuristic), episodes per second.
func benchEvaluation(_ scenario: Scenario) throws -> Double {
    let start = ContinuousClock.now
    var episodes = 0
    while elapsed(start) < seconds {
        _ = try RadioEvaluation.evaluate(StrongestSignalPolicy(), scenario: scenario, episodes: 10, seed: episodes)
        episodes += 10
    }
    return Double(episodes) / elapsed(start)
}

// `--baselines`: the baseline report (10 episodes, seed 0) per scenario and variant, then exit.
if arguments.contains("--baselines") {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for name in Scenario.builtinNames {
        for variant in RadioVariant.allCases {
            let report = try RadioEvaluation.baselines(scenario: try Scenario.builtin(named: name), variant: variant,
                                                       episodes: 10, seed: 0)
            print(name, variant.rawValue, String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
    exit(0)
}

let hex = try Scenario.hexGrid(rings: 4, interSiteDistance: 100, ueCount: 500)
let a3 = OperatorOptions(singleConnectivity: true, handover: A3Parameters(), trackKPIs: false)
var results: [(String, Double, String)] = []
results.append(("small_central_steps_per_s", try benchEnvironment(.small), "steps/s"))
results.append(("medium_central_steps_per_s", try benchEnvironment(.medium), "steps/s"))
results.append(("large_central_steps_per_s", try benchEnvironment(.large), "steps/s"))
results.append(("small_ma_steps_per_s", try benchMultiAgent(.small), "steps/s"))
results.append(("hex61_500ue_central_steps_per_s", try benchEnvironment(hex), "steps/s"))
results.append(("hex61_500ue_a3_steps_per_s", try benchEnvironment(hex, options: a3), "steps/s"))
results.append(("small_strongest_signal_episodes_per_s", try benchEvaluation(.small), "episodes/s"))

if asJSON {
    let body = results.map { "\"\($0.0)\": \(String(format: "%.1f", $0.1))" }.joined(separator: ", ")
    print("{\(body)}")
} else {
    for (name, value, unit) in results {
        let padded = name.padding(toLength: 40, withPad: " ", startingAt: 0)
        print(padded + String(format: "%14.1f ", value) + unit)
    }
}
