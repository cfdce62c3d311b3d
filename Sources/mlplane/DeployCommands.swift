import ArgumentParser
import CLIClient
import Foundation

/// `mlplane deploy create|list|status|promote|rollback|pause|resume|history|delete`: deployments
/// and their rollouts on a server.
struct Deploy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve model versions and roll new ones out (shadow, canary, blue-green, rolling, A/B).",
        subcommands: [Create.self, List.self, Status.self, Promote.self, Rollback.self, Pause.self, Resume.self, History.self, Delete.self])

    /// One line per deployment: name, strategy, phase, candidate share, models, last reason.
    static func rows(_ deployments: [[String: Any]]) -> [[String]] {
        deployments.map { d in
            let spec = d["spec"] as? [String: Any] ?? [:], state = d["state"] as? [String: Any] ?? [:]
            let models = (d["models"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return [spec.string("name"), spec.string("strategy"), state.string("phase"), state.string("candidate_percent") + "%", models, state.string("reason")]
        }
    }
    static let headers = ["NAME", "STRATEGY", "PHASE", "CANDIDATE", "MODELS", "REASON"]

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a deployment.",
            discussion: "Models are references: models:/NAME/VERSION, NAME@ALIAS, NAME:VERSION or rule:strongest_signal?ues=5&stations=3.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Endpoint name (used by /v1/models/NAME:predict and /v2/models/NAME/infer).") var name: String
        @Option(help: "single, shadow, canary, blue_green, rolling or ab_test.") var strategy: String = "canary"
        @Option(help: "The serving model.") var baseline: String
        @Option(help: "The new model.") var candidate: String?
        @Option(help: "Canary steps in percent, comma-separated.") var steps: String = "10,25,50,75,100"
        @Option(help: "A/B share of the candidate in percent.") var split: Double = 50
        @Option(help: "Rolling: replicas replaced one at a time.") var replicas: Int = 4
        @Option(name: .customLong("min-samples"), help: "Candidate requests (and feedback) per analysis.") var minSamples: Int = 100
        @Option(name: .customLong("min-accuracy")) var minAccuracy: Double?
        @Option(name: .customLong("max-p95-ms")) var maxP95: Double?
        @Option(name: .customLong("max-error-rate")) var maxErrorRate: Double?
        @Option(name: .customLong("ab-metric"), help: "reward, conversion or accuracy.") var abMetric: String?
        @Option(name: .customLong("max-batch"), help: "Dynamic batching: max batch size.") var maxBatch: Int?
        @Option(name: .customLong("max-wait-us"), help: "Dynamic batching: max wait in microseconds.") var maxWait: Int = 500

        func validate() throws {
            guard stepValues.count == steps.split(separator: ",").count else { throw ValidationError("--steps must be numbers separated by commas") }
        }

        var stepValues: [Double] { steps.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }

        func run() async throws {
            var gates: [String: Any] = [:]
            if let minAccuracy { gates["min_accuracy"] = minAccuracy }
            if let maxP95 { gates["max_p95_latency_ms"] = maxP95 }
            if let maxErrorRate { gates["max_error_rate"] = maxErrorRate }
            if let abMetric { gates["ab_metric"] = abMetric }
            var body: [String: Any] = ["name": name, "strategy": strategy, "baseline": baseline, "steps": stepValues, "split": split,
                                       "replicas": replicas, "min_samples": minSamples, "gates": gates]
            if let candidate { body["candidate"] = candidate }
            if let maxBatch { body["batching"] = ["max_batch_size": maxBatch, "max_wait_us": maxWait] }
            try await options.perform { client in
                let object = try await client.call("POST", "/api/v1/deployments", body: body)
                options.output(object, rows: Deploy.rows([object["deployment"] as? [String: Any] ?? [:]]), headers: Deploy.headers)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deployments.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/deployments")
                options.output(object, rows: Deploy.rows(object["deployments"] as? [[String: Any]] ?? []), headers: Deploy.headers)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A deployment's state and the current step's figures per variant.")
        @OptionGroup var options: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/deployments/\(name)")
                let deployment = object["deployment"] as? [String: Any] ?? [:]
                if options.json { return options.output(object, rows: [], headers: []) }
                print(Table.render(headers: Deploy.headers, rows: Deploy.rows([deployment])))
                print()
                let analysis = (deployment["analysis"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }
                print(Table.render(headers: ["VARIANT", "REQUESTS", "ERROR RATE", "P95 MS", "LABELLED", "ACCURACY", "OUTCOME MEAN"], rows: analysis.map { key, value in
                    let v = value as? [String: Any] ?? [:]
                    return [key, v.string("requests"), v.string("error_rate"), v.string("p95_latency_ms"), v.string("labelled"), v.string("accuracy"), v.string("outcome_mean")]
                }))
            }
        }
    }

    /// The shared shape of promote / rollback / pause / resume: POST to an action.
    struct Action: ParsableArguments {
        @OptionGroup var options: ClientOptions
        @Argument var name: String
        @Option(help: "Why (recorded in the history).") var reason: String?

        func post(_ action: String) async throws {
            try await options.perform { client in
                var body: [String: Any] = [:]
                if let reason { body["reason"] = reason }
                let object = try await client.call("POST", "/api/v1/deployments/\(name)/\(action)", body: body)
                options.output(object, rows: Deploy.rows([object["deployment"] as? [String: Any] ?? [:]]), headers: Deploy.headers)
            }
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Next traffic step, or all traffic to the candidate.")
        @OptionGroup var action: Action
        func run() async throws { try await action.post("promote") }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take the candidate out of traffic.")
        @OptionGroup var action: Action
        func run() async throws { try await action.post("rollback") }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend the rollout's analyses.")
        @OptionGroup var action: Action
        func run() async throws { try await action.post("pause") }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused rollout.")
        @OptionGroup var action: Action
        func run() async throws { try await action.post("resume") }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every transition with its time and reason.")
        @OptionGroup var options: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/deployments/\(name)/history")
                let rows = (object["events"] as? [[String: Any]] ?? []).map { e -> [String] in
                    let millis = (e["time"] as? NSNumber)?.doubleValue ?? 0
                    let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: millis / 1000))
                    return [time, e.string("kind"), e.string("phase"), e.string("candidate_percent") + "%", e.string("reason")]
                }
                options.output(object, rows: rows, headers: ["TIME", "EVENT", "PHASE", "CANDIDATE", "REASON"])
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a deployment.")
        @OptionGroup var options: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await options.perform { client in
                _ = try await client.call("DELETE", "/api/v1/deployments/\(name)")
                if !options.json { print("deleted \(name)") }
            }
        }
    }
}
