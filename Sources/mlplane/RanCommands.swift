import ArgumentParser
import Foundation
import RadioSim
import Reinforcement

/// `mlplane ran simulate|baselines|train|evaluate`. Training lives in `RanTrain.swift`.
struct Ran: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Radio network simulation, baselines and PPO agents.", subcommands: [Simulate.self, Baselines.self, Train.self, Evaluate.self])

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run one episode with a baseline policy and report its return and KPIs.")
        @Option(help: "small, medium, large, or a scenario JSON file.") var scenario: String = "small"
        @Option(help: "central or ma.") var variant: String = "central"
        @Option(help: "random, strongest_signal, a3_handover or load_aware.") var policy: String = "strongest_signal"
        @Option var seed: Int = 0
        @Flag(help: "Print one JSON object.") var json = false

        func run() async throws {
            let report = try failing {
                try RadioEvaluation.simulate(
                    try Baseline.parse(policy).makePolicy(seed: seed), scenario: try Scenario.resolve(scenario),
                    variant: try RadioVariant.parse(variant), seed: seed)
            }
            if json { return try printJSON(report) }
            print("\(report.scenario) · \(report.policy) · seed \(report.seed): return \(String(format: "%.3f", report.episodeReturn)) over \(report.steps) steps")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(report.kpis), as: UTF8.self))
        }
    }

    struct Baselines: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mean and std of episode return for every baseline policy.")
        @Option(help: "small, medium, large, or a scenario JSON file.") var scenario: String = "small"
        @Option(help: "central or ma.") var variant: String = "central"
        @Option var episodes: Int = 10
        @Option var seed: Int = 0
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard episodes > 0 else { throw ValidationError("--episodes must be positive") }
        }

        func run() async throws {
            let report = try failing {
                try RadioEvaluation.baselines(scenario: try Scenario.resolve(scenario), variant: try RadioVariant.parse(variant), episodes: episodes, seed: seed) {
                    ProgressBar.draw($0, of: $1, unit: "baselines")
                }
            }
            ProgressBar.finish()
            if json { return try printJSON(report) }
            print(Ran.returnsTable(first: nil, baselines: report.baselines))
        }
    }
}

extension Ran {
    /// Mean and std of episode returns: an optional learned policy first, then the baselines by name.
    static func returnsTable(first: (String, MeanStd)?, baselines: [String: MeanStd]) -> String {
        let rows = (first.map { [$0] } ?? []) + baselines.sorted { $0.key < $1.key }
        return Table.render(headers: ["POLICY", "MEAN", "STD"], rows: rows.map {
            [$0.0, String(format: "%.3f", $0.1.mean), String(format: "%.3f", $0.1.std)]
        })
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evaluate a trained policy over seeded episodes, next to the baselines.")
        @Option(help: "Policy file written by `ran train --output`.") var policy: String
        @Option(help: "Scenario to evaluate on (default: the one it was trained on; same UE and cell counts).") var scenario: String?
        @Option var episodes: Int = 10
        @Option var seed: Int = 0
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard episodes > 0 else { throw ValidationError("--episodes must be positive") }
        }

        func run() async throws {
            let (summary, baselines) = try failing {
                let loaded = try Policy.load(from: policy)
                let context = try RadioTraining.context(of: loaded)
                let scenario = try scenario.map { try Scenario.resolve($0) } ?? context.scenario
                let summary = try RadioTraining.evaluate(loaded, scenario: scenario, episodes: episodes, seed: seed)
                let baselines = try RadioEvaluation.baselines(scenario: scenario, variant: context.variant, episodes: episodes, seed: seed)
                return (summary, baselines)
            }
            if json { return try printJSON(summary) }
            print(Ran.returnsTable(first: ("policy", MeanStd(mean: summary.mean, std: summary.std)), baselines: baselines.baselines))
        }
    }
}
