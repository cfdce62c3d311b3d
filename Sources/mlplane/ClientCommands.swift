import ArgumentParser
import CLIClient
import Foundation

/// Options of every client command.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server URL (env MLPLANE_SERVER).")
    var server: String = ProcessInfo.processInfo.environment["MLPLANE_SERVER"] ?? "http://127.0.0.1:5000"

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    var client: APIClient { APIClient(baseURL: server) }

    /// Runs a client call; server errors become a message and exit code 1.
    func perform(_ body: (APIClient) async throws -> Void) async throws {
        do {
            try await body(client)
        } catch let failure as APIClient.Failure {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            throw ExitCode.failure
        }
    }

    func output(_ object: [String: Any], rows: [[String]], headers: [String]) {
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(Table.render(headers: headers, rows: rows))
        }
    }
}

struct Experiments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List and create experiments.", subcommands: [List.self, Create.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List experiments.")
        @OptionGroup var options: ClientOptions
        @Option(help: "MLflow filter, e.g. \"name LIKE 'ran%'\".") var filter: String?

        func run() async throws {
            try await options.perform { client in
                var query: [String: String] = [:]
                if let filter { query["filter"] = filter }
                let object = try await client.call("GET", "/api/v1/experiments", query: query)
                let rows = (object["experiments"] as? [[String: Any]] ?? []).map { e in
                    [e.string("experiment_id"), e.string("name"), e.string("lifecycle_stage"), e.string("artifact_location")]
                }
                options.output(object, rows: rows, headers: ["ID", "NAME", "STAGE", "ARTIFACTS"])
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an experiment.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Experiment name.") var name: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("POST", "/api/v1/experiments", body: ["name": name])
                let e = object["experiment"] as? [String: Any] ?? [:]
                options.output(object, rows: [[e.string("experiment_id"), e.string("name")]], headers: ["ID", "NAME"])
            }
        }
    }
}

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Search and show runs.", subcommands: [List.self, Get.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the runs of an experiment.")
        @OptionGroup var options: ClientOptions
        @Option(name: .customLong("experiment-id"), help: "Experiment id.") var experimentID: String = "0"
        @Option(help: "MLflow filter, e.g. \"metrics.rmse < 1 and params.lr = '0.01'\".") var filter: String?
        @Option(name: .customLong("order-by"), help: "Ordering, e.g. \"metrics.rmse DESC\".") var orderBy: String?

        func run() async throws {
            try await options.perform { client in
                var query: [String: String] = [:]
                if let filter { query["filter"] = filter }
                if let orderBy { query["order_by"] = orderBy }
                let object = try await client.call("GET", "/api/v1/experiments/\(experimentID)/runs", query: query)
                let rows = (object["runs"] as? [[String: Any]] ?? []).map { run -> [String] in
                    let info = run["info"] as? [String: Any] ?? [:]
                    let metrics = ((run["data"] as? [String: Any])?["metrics"] as? [[String: Any]] ?? [])
                        .map { "\($0.string("key"))=\($0.string("value"))" }.joined(separator: " ")
                    return [info.string("run_id"), info.string("run_name"), info.string("status"), metrics]
                }
                options.output(object, rows: rows, headers: ["RUN", "NAME", "STATUS", "LATEST METRICS"])
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Run id.") var runID: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/runs/\(runID)")
                let run = object["run"] as? [String: Any] ?? [:]
                let data = run["data"] as? [String: Any] ?? [:]
                var rows: [[String]] = []
                for (kind, key) in [("metric", "metrics"), ("param", "params"), ("tag", "tags")] {
                    for item in data[key] as? [[String: Any]] ?? [] { rows.append([kind, item.string("key"), item.string("value")]) }
                }
                options.output(object, rows: rows, headers: ["KIND", "KEY", "VALUE"])
            }
        }
    }
}

struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect the model registry.", subcommands: [List.self, Get.self, History.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered models.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/models")
                let rows = (object["registered_models"] as? [[String: Any]] ?? []).map { m -> [String] in
                    let aliases = (m["aliases"] as? [[String: Any]] ?? []).map { "\($0.string("alias"))=v\($0.string("version"))" }.joined(separator: ",")
                    return [m.string("name"), aliases, m.string("description")]
                }
                options.output(object, rows: rows, headers: ["NAME", "ALIASES", "DESCRIPTION"])
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a model version (by number or alias).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Model name.") var name: String
        @Argument(help: "Version number or alias.") var version: String

        func run() async throws {
            try await options.perform { client in
                let object: [String: Any]
                if Int(version) != nil {
                    object = try await client.call("GET", "/api/v1/models/\(name)/versions/\(version)")
                } else {
                    object = try await client.call("GET", "/api/2.0/mlflow/registered-models/alias", query: ["name": name, "alias": version])
                }
                let v = object["model_version"] as? [String: Any] ?? [:]
                options.output(object, rows: [[v.string("name"), v.string("version"), v.string("current_stage"), v.string("run_id"), v.string("source")]],
                               headers: ["NAME", "VERSION", "STAGE", "RUN", "SOURCE"])
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Alias and stage moves of a model, oldest first.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Model name.") var name: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/models/\(name)/history")
                let rows = (object["events"] as? [[String: Any]] ?? []).map { e in
                    [e.string("time"), e.string("kind"), e.string("subject"), e.string("from"), e.string("to"), e.string("actor")]
                }
                options.output(object, rows: rows, headers: ["TIME", "KIND", "SUBJECT", "FROM", "TO", "ACTOR"])
            }
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String {
        switch self[key] {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        case nil: ""
        case let other?: "\(other)"
        }
    }
}

/// Plain-text tables with aligned columns.
enum Table {
    static func render(headers: [String], rows: [[String]]) -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
