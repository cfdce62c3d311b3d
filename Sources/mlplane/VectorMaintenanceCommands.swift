import ArgumentParser
import CLIClient
import Foundation

/// `mlplane vectors backup|restore|rebuild|check`: backup files, index rebuild, integrity check.
extension Vectors {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a collection, or with no NAME every collection of --namespace, to one backup file.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var scope: NamespaceOption
        @Argument(help: "Collection name (omit to back up the whole namespace).") var name: String?
        @Option(help: "Backup file to write.") var output: String

        func run() async throws {
            let path: String
            if let name {
                path = "\(scope.collections)/\(name)/backup"
            } else {
                guard let namespace = scope.namespace else { throw ValidationError("give a collection NAME, or --namespace to back up a whole namespace") }
                path = "/api/v1/namespaces/\(namespace)/backup"
            }
            try await options.perform { client in
                let bytes = try await client.download(path, to: URL(fileURLWithPath: output))
                let what = name ?? "namespace \(scope.namespace ?? "")"
                options.output(["file": output, "bytes": bytes], rows: [[what, output, String(bytes)]], headers: ["BACKUP OF", "FILE", "BYTES"])
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a backup file: a collection (into --namespace, as --name) or a namespace (as --name).",
            discussion: "The target must not exist. A damaged or truncated file is refused and creates nothing.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Backup file.") var file: String
        @Option(help: "New name of the collection, or of the namespace for a namespace backup.") var name: String?
        @Option(help: "Namespace to restore a collection backup into (default: the default namespace).") var namespace: String?

        func run() async throws {
            var query: [String: String] = [:]
            if let name { query["name"] = name }
            if let namespace { query["namespace"] = namespace }
            try await options.perform { client in
                let object = try await client.uploadFile("/api/v1/restore", query: query, file: URL(fileURLWithPath: file))
                let collections = (object["collections"] as? [String] ?? []).joined(separator: ",")
                options.output(object, rows: [[object.string("scope"), object.string("namespace"), collections, object.string("vectors")]],
                               headers: ["SCOPE", "NAMESPACE", "COLLECTIONS", "VECTORS"])
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild a collection's index from its stored vectors (drops tombstones).")
        @OptionGroup var collection: CollectionCall

        func run() async throws {
            try await collection.perform("POST", "/rebuild", headers: ["COLLECTION", "LIVE BEFORE", "SLOTS BEFORE", "LIVE AFTER", "SLOTS AFTER", "SECONDS"]) { r in
                [[collection.name, r.string("live_before"), r.string("slots_before"), r.string("live_after"), r.string("slots_after"), r.string("seconds")]]
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a collection's files and index without changing anything; exit code 1 when a problem is found.")
        @OptionGroup var collection: CollectionCall

        func run() async throws {
            let r = try await collection.perform("GET", "/check", headers: ["COLLECTION", "STATUS", "COUNT", "CHECKED"]) { r in
                let problems = r["problems"] as? [String] ?? []
                return [[collection.name, problems.isEmpty ? "healthy" : "DAMAGED", r.string("count"), r.string("checked_ids")]] + problems.map { ["", $0, "", ""] }
            }
            if r["healthy"] as? Bool != true { throw ExitCode.failure }
        }
    }
}

/// `mlplane namespaces list|create|drop`.
struct Namespaces: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Namespaces of vector collections and agent memory (one per agent or swarm).", subcommands: [List.self, Create.self, Drop.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List namespaces.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("GET", "/api/v1/namespaces")
                options.output(object, rows: (object["namespaces"] as? [[String: Any]] ?? []).map { [$0.string("name")] }, headers: ["NAME"])
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a namespace.")
        @OptionGroup var options: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("POST", "/api/v1/namespaces", body: ["name": name])
                options.output(object, rows: [[name, "created"]], headers: ["NAME", "STATUS"])
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a namespace and every collection in it.")
        @OptionGroup var options: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await options.perform { client in
                let object = try await client.call("DELETE", "/api/v1/namespaces/\(name)")
                options.output(object, rows: [[name, "dropped"]], headers: ["NAME", "STATUS"])
            }
        }
    }
}
