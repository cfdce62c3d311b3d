import ArgumentParser
import CLIClient
import Foundation

/// `--namespace`: which namespace's collections a command addresses.
struct NamespaceOption: ParsableArguments {
    @Option(help: "Namespace of the collection (default: the default namespace).") var namespace: String?

    /// The collections route prefix of the namespace.
    var collections: String { namespace.map { "/api/v1/namespaces/\($0)/collections" } ?? "/api/v1/collections" }
}

/// Comma-separated numbers (`0.1,0.2,0.3`) from an option.
func numbers(_ text: String, option: String) throws -> [Double] {
    try text.split(separator: ",").map { part in
        guard let value = Double(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("\(option): '\(part)' is not a number") }
        return value
    }
}

/// A JSON object from an option.
func jsonObject(_ text: String, option: String) throws -> [String: Any] {
    guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { throw ValidationError("\(option) must be a JSON object") }
    return object
}

/// `mlplane vectors create|upsert|search|stats|delete|backup|restore|rebuild|check`: client
/// commands for `/api/v1/collections` (or a namespace's collections with `--namespace`).
extension Vectors {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a collection.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var scope: NamespaceOption
        @Argument(help: "Collection name.") var name: String
        @Option var dimension: Int
        @Option(help: "cosine, ip or l2.") var metric: String = "cosine"
        @Option var m: Int = 16
        @Option(name: .customLong("ef-construction")) var efConstruction: Int = 200

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("POST", scope.collections, body: [
                    "name": name, "dimension": dimension, "metric": metric, "m": m, "ef_construction": efConstruction,
                ])
                options.output(object, rows: [[name, String(dimension), metric]], headers: ["NAME", "DIMENSION", "METRIC"])
            }
        }
    }

    struct Upsert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upsert vectors from a JSONL file: one {\"id\", \"values\", \"metadata\"} object per line.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var scope: NamespaceOption
        @Argument(help: "Collection name.") var name: String
        @Option(help: "JSONL file.") var input: String
        @Option(name: .customLong("batch-size")) var batchSize: Int = 500

        func run() async throws {
            guard let text = try? String(contentsOfFile: input, encoding: .utf8) else { throw ValidationError("cannot read --input '\(input)'") }
            var items: [[String: Any]] = []
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                    throw ValidationError("line \(number + 1) of '\(input)' is not a JSON object")
                }
                items.append(object)
            }
            try await options.perform { client in
                var total = 0
                for start in stride(from: 0, to: items.count, by: max(1, batchSize)) {
                    let batch = Array(items[start..<min(items.count, start + max(1, batchSize))])
                    let answer = try await client.call("POST", "\(scope.collections)/\(name)/vectors", body: ["vectors": batch])
                    total += answer["upserted"] as? Int ?? 0
                }
                options.output(["upserted": total], rows: [[name, String(total)]], headers: ["COLLECTION", "UPSERTED"])
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Nearest vectors to a query given as comma-separated numbers.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var scope: NamespaceOption
        @Argument(help: "Collection name.") var name: String
        @Option(help: "The query, e.g. 0.1,0.2,0.3.") var vector: String
        @Option var k: Int = 10
        @Option var ef: Int?
        @Option(help: "Metadata filter as a JSON object, e.g. '{\"agent\": \"x\"}'.") var filter: String?

        func run() async throws {
            var body: [String: Any] = ["vector": try numbers(vector, option: "--vector"), "k": k]
            if let ef { body["ef"] = ef }
            if let filter { body["filter"] = try jsonObject(filter, option: "--filter") }
            try await options.perform { client in
                let object = try await client.call("POST", "\(scope.collections)/\(name)/search", body: body)
                let rows = (object["hits"] as? [[String: Any]] ?? []).map { hit in
                    [hit.string("id"), hit.string("score"), (try? JSONSerialization.data(withJSONObject: hit["metadata"] ?? [:])).map { String(decoding: $0, as: UTF8.self) } ?? ""]
                }
                options.output(object, rows: rows, headers: ["ID", "SCORE", "METADATA"])
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A collection's definition and size.")
        @OptionGroup var collection: CollectionCall

        func run() async throws {
            try await collection.perform("GET", headers: ["NAME", "DIMENSION", "METRIC", "COUNT"]) { object in
                let definition = object["definition"] as? [String: Any] ?? [:]
                return [[collection.name, definition.string("dimension"), definition.string("metric"), object.string("count")]]
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one vector by id.")
        @OptionGroup var collection: CollectionCall
        @Argument(help: "Vector id.") var id: String

        func run() async throws {
            try await collection.perform("DELETE", "/vectors/\(id)", headers: ["COLLECTION", "ID", "STATUS"]) { _ in [[collection.name, id, "deleted"]] }
        }
    }
}

/// What every command on one collection shares: server, namespace, name, and one call.
struct CollectionCall: ParsableArguments {
    @OptionGroup var options: ClientOptions
    @OptionGroup var scope: NamespaceOption
    @Argument(help: "Collection name.") var name: String

    /// Sends `method` to the collection's route plus `suffix`, prints the answer (`--json`) or
    /// `rows(answer)` as a table, and returns the answer.
    @discardableResult
    func perform(_ method: String, _ suffix: String = "", headers: [String], rows: ([String: Any]) -> [[String]]) async throws -> [String: Any] {
        var answer: [String: Any] = [:]
        try await options.perform { client in
            answer = try await client.call(method, "\(scope.collections)/\(name)\(suffix)")
            options.output(answer, rows: rows(answer), headers: headers)
        }
        return answer
    }
}
