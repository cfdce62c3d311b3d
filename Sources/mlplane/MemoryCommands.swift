import ArgumentParser
import CLIClient
import Foundation

/// `mlplane memory pattern|episode|search|stats`: agent memory on a server, per namespace.
struct Memory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Agent memory: patterns (task, approach, outcome, reward) and episodes (action, result, time) per namespace.",
        subcommands: [Pattern.self, Episode.self, Search.self, Stats.self])

    struct Pattern: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remember a pattern (embedded from task + approach unless --embedding is given).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Namespace (agent or swarm).") var namespace: String
        @Option var task: String
        @Option var approach: String
        @Option var outcome: String
        @Option var reward: Double
        @Option(help: "Embedding as comma-separated numbers.") var embedding: String?
        @Option var id: String?

        func run() async throws {
            var body: [String: Any] = ["task": task, "approach": approach, "outcome": outcome, "reward": reward]
            if let embedding { body["embedding"] = try numbers(embedding, option: "--embedding") }
            if let id { body["id"] = id }
            try await Memory.store(options, "/api/v1/memory/\(namespace)/patterns", body)
        }
    }

    struct Episode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remember an episode (embedded from action + result unless --embedding is given).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Namespace (agent or swarm).") var namespace: String
        @Option(help: "What the agent did.") var action: String
        @Option(help: "What happened.") var result: String
        @Option var reward: Double?
        @Option(name: .customLong("timestamp-ms"), help: "When it happened, ms since 1970 (default: now).") var timestampMS: Int64?
        @Option(help: "Embedding as comma-separated numbers.") var embedding: String?
        @Option var id: String?

        func run() async throws {
            var body: [String: Any] = ["action": action, "result": result]
            if let reward { body["reward"] = reward }
            if let timestampMS { body["timestamp_ms"] = timestampMS }
            if let embedding { body["embedding"] = try numbers(embedding, option: "--embedding") }
            if let id { body["id"] = id }
            try await Memory.store(options, "/api/v1/memory/\(namespace)/episodes", body)
        }
    }

    static func store(_ options: ClientOptions, _ path: String, _ body: [String: Any]) async throws {
        try await options.perform { client in
            let object = try await client.call("POST", path, body: body)
            options.output(object, rows: (object["ids"] as? [String] ?? []).map { [$0] }, headers: ["ID"])
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search patterns or episodes by similarity, optionally weighted by reward and decayed by age.",
            discussion: "score = similarity * (1 + reward_weight * reward_norm) * 0.5^(age / half_life), reward_norm = clamp((reward - min) / (max - min), 0, 1).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Namespace (agent or swarm).") var namespace: String
        @Argument(help: "patterns or episodes.") var kind: String
        @Option(help: "Query text (embedded by the server).") var query: String?
        @Option(help: "Query embedding as comma-separated numbers.") var embedding: String?
        @Option var k: Int = 10
        @Option(name: .customLong("reward-weight")) var rewardWeight: Double = 0
        @Option(name: .customLong("half-life"), help: "Seconds after which a record counts half (default: no decay).") var halfLife: Double?
        @Option(help: "Metadata filter on record fields as a JSON object, e.g. '{\"outcome\": \"success\"}'.") var filter: String?
        @Option(help: "Other namespaces to search too, comma-separated.") var also: String?

        func validate() throws {
            guard ["patterns", "episodes"].contains(kind) else { throw ValidationError("KIND must be patterns or episodes, got '\(kind)'") }
            guard query != nil || embedding != nil else { throw ValidationError("give --query or --embedding") }
        }

        func run() async throws {
            var body: [String: Any] = ["k": k, "reward_weight": rewardWeight]
            if let query { body["query"] = query }
            if let embedding { body["embedding"] = try numbers(embedding, option: "--embedding") }
            if let halfLife { body["half_life_seconds"] = halfLife }
            if let filter { body["filter"] = try jsonObject(filter, option: "--filter") }
            if let also { body["namespaces"] = also.split(separator: ",").map(String.init) }
            try await options.perform { client in
                let object = try await client.call("POST", "/api/v1/memory/\(namespace)/\(kind)/search", body: body)
                let rows = (object["hits"] as? [[String: Any]] ?? []).map { hit in
                    let record = hit["record"] as? [String: Any] ?? [:]
                    let text = kind == "patterns" ? "\(record.string("task")) -> \(record.string("outcome"))" : "\(record.string("action")) -> \(record.string("result"))"
                    return [hit.string("id"), hit.string("namespace"), hit.string("score"), hit.string("similarity"), String(text.prefix(80))]
                }
                options.output(object, rows: rows, headers: ["ID", "NAMESPACE", "SCORE", "SIMILARITY", "RECORD"])
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many patterns and episodes a namespace remembers.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Namespace.") var namespace: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/memory/\(namespace)")
                options.output(object, rows: [[namespace, object.string("patterns"), object.string("episodes")]], headers: ["NAMESPACE", "PATTERNS", "EPISODES"])
            }
        }
    }
}
