import Foundation
import RadioSim
import Reinforcement

/// PPO on the small central radio scenario, for `bench/ppo_bench.py`:
/// - with Stable-Baselines3's default hyperparameters (one environment): training env-steps/s
///   and the evaluation after `--timesteps` steps, to compare one to one with SB3;
/// - with MLPlane's radio defaults (`RadioTraining.defaultConfiguration`): the evaluation;
/// - the strongest-signal heuristic on the same seeded episodes.
/// Usage: ReinforcementBench [--timesteps N] [--seed S] [--json]
let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let timesteps = option("--timesteps", 100_000)
let seed = option("--seed", 0)

func train(_ configuration: PPOConfiguration?) throws -> RadioTrainingReport {
    try RadioTraining.train(RadioTrainingRequest(scenario: .small, variant: .central, timesteps: timesteps, seed: seed,
                                                 configuration: configuration, evaluationEpisodes: 10, evaluationSeed: 0)).report
}

let sb3 = try train(PPOConfiguration())
let tuned = try train(nil)
let figures: [String: Double] = [
    "timesteps": Double(timesteps),
    "sb3_defaults_env_steps_per_s": sb3.envStepsPerSecond,
    "sb3_defaults_mean_return": sb3.finalEvaluation.mean,
    "radio_defaults_env_steps_per_s": tuned.envStepsPerSecond,
    "radio_defaults_mean_return": tuned.finalEvaluation.mean,
    "strongest_signal_mean_return": sb3.baselines["strongest_signal"]?.mean ?? .nan,
    "load_aware_mean_return": sb3.baselines["load_aware"]?.mean ?? .nan,
]
if arguments.contains("--json") {
    let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
} else {
    for (k, v) in figures.sorted(by: { $0.key < $1.key }) { print(k.padding(toLength: 36, withPad: " ", startingAt: 0), String(format: "%.3f", v)) }
}
