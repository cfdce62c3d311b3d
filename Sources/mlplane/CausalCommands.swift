import ArgumentParser
import CLIClient
import CausalEngine
import Foundation
import Platform
import RadioSim

struct Causal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Causal discovery.", subcommands: [Discover.self, RANExample.self])

    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Learn a causal graph from a CSV of numeric columns, or from tracked runs.",
            discussion: "With --experiment-id or --record it asks the server (--server, env MLPLANE_SERVER); otherwise it runs in process.")
        @Option(help: "CSV file with a header row.") var data: String?
        @Option(name: .customLong("experiment-id"), help: "Use the runs of these experiments (comma-separated ids) as rows.") var experimentIDs: String?
        @Option(help: "With --experiment-id: columns as metrics.<key> / params.<key>, comma-separated.") var columns: String?
        @Option(help: "With --experiment-id: an MLflow filter on the runs.") var filter: String?
        @Option(help: "Store the result and the graph as a run of this experiment (on the server).") var record: String?
        @Option(help: "Server URL (env MLPLANE_SERVER).") var server: String = ProcessInfo.processInfo.environment["MLPLANE_SERVER"] ?? "http://127.0.0.1:5000"
        @Option(help: "notears or pc.") var method: String = "notears"
        @Option var lambda1: Double = 0.1
        @Option(name: .customLong("w-threshold")) var wThreshold: Double = 0.3
        @Option(help: "Prior knowledge: ordered tiers of columns, groups separated by ';' (e.g. 'bandwidth,power;load;throughput'); no edge points to an earlier tier.") var tiers: String?
        @Option(help: "Prior knowledge: an edge that must be in the graph, 'from->to' (repeatable).") var require: [String] = []
        @Option(help: "Prior knowledge: an edge that must not be in the graph, 'from->to' (repeatable).") var forbid: [String] = []
        @Option(name: .customLong("max-parents"), help: "Prior knowledge: most parents per node.") var maxParents: Int?
        @Option(help: "Also write the result JSON to this file.") var output: String?
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard ["notears", "pc"].contains(method) else { throw ValidationError("--method must be notears or pc, got '\(method)'") }
            guard (data == nil) != (experimentIDs == nil) else { throw ValidationError("give either --data FILE or --experiment-id IDS") }
            guard experimentIDs == nil || columns != nil else { throw ValidationError("--experiment-id needs --columns") }
            _ = try prior()
        }

        /// The prior-knowledge options as one value.
        func prior() throws -> CausalService.Prior {
            func edge(_ text: String, _ option: String) throws -> CausalService.Prior.Edge {
                let parts = text.components(separatedBy: "->").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValidationError("\(option) takes an edge as 'from->to', got '\(text)'")
                }
                return .init(from: parts[0], to: parts[1])
            }
            let groups = (tiers ?? "").split(separator: ";").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            return CausalService.Prior(required: try require.map { try edge($0, "--require") },
                                       forbidden: try forbid.map { try edge($0, "--forbid") },
                                       tiers: groups.filter { !$0.isEmpty }, maxParents: maxParents)
        }

        /// The result, computed in process or by the server, and the run it was recorded as.
        func discover() async throws -> (CausalService.Discovery, String?) {
            let csv = try data.map { path in try failing { try String(contentsOfFile: path, encoding: .utf8) } }
            let prior = try prior()
            if let csv, record == nil {
                let result = try failing {
                    let data = try DataSet(csv: csv)
                    return try CausalService().discover(data, method: CausalService.Method(rawValue: method) ?? .notears, lambda1: lambda1,
                                                        wThreshold: wThreshold, prior: try prior.knowledge(names: data.names))
                }
                return (result, nil)
            }
            var body: [String: Any] = ["method": method, "lambda1": lambda1, "w_threshold": wThreshold]
            if !prior.isEmpty { body["prior"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(prior)) }
            if let csv { body["csv"] = csv }
            if let experimentIDs {
                var runs: [String: Any] = ["experiment_ids": experimentIDs.split(separator: ",").map(String.init),
                                           "columns": (columns ?? "").split(separator: ",").map(String.init)]
                if let filter { runs["filter"] = filter }
                body["runs"] = runs
            }
            if let record { body["record"] = ["experiment": record] }
            let client = APIClient(baseURL: server)
            let object: [String: Any]
            do { object = try await client.call("POST", "/api/v1/causal/discovery", body: body) } catch let failure as APIClient.Failure {
                FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
                throw ExitCode.failure
            }
            let result = try JSONDecoder().decode(CausalService.Discovery.self, from: JSONSerialization.data(withJSONObject: object))
            return (result, object["run_id"] as? String)
        }

        func run() async throws {
            let (result, runID) = try await discover()
            if let output {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                try failing { try encoder.encode(result).write(to: URL(fileURLWithPath: output)) }
            }
            if json {
                guard let runID else { return try printJSON(result) }
                var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any] ?? [:]
                object["run_id"] = runID
                return print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            }
            if let runID { print("recorded as run \(runID)") }
            print(Table.render(headers: [""] + result.columns, rows: zip(result.columns, result.adjacency).map { name, row in
                [name] + row.map { $0 == 0 ? "." : String(format: "%.2f", $0) }
            }))
            print()
            print(Table.render(headers: ["FROM", "TO", "WEIGHT"], rows: result.edges.map { [$0.from, $0.to, String(format: "%.3f", $0.weight)] }))
            print(String(format: "%.2f s", result.seconds))
        }
    }

    struct RANExample: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ran-example",
            abstract: "Write a causal data set generated by the radio simulator, whose true graph is known.",
            discussion: """
                Each row is one snapshot of a 7-cell network: configuration (bandwidth, transmit power, cell offset, \
                active UEs) -> the target cell's load -> a UE's throughput -> its utility. Columns are logs where the \
                physics multiplies, standardised. Prints the true edges; `causal discover --data FILE --method pc` \
                recovers them, and so does NOTEARS given the tiers it prints.
                """)
        @Option(help: "CSV file to write.") var output: String
        @Option(help: "Rows (snapshots).") var samples: Int = 2000
        @Option(help: "Random seed.") var seed: UInt64 = 0
        @Flag(help: "Print one JSON object (columns, true edges, tiers, file).") var json = false

        func run() throws {
            let (columns, rows) = try failing { try RadioCausalSamples.generate(samples: samples, seed: seed) }
            let csv = ([columns.joined(separator: ",")] + rows.map { $0.map { "\($0)" }.joined(separator: ",") }).joined(separator: "\n") + "\n"
            try failing { try csv.write(toFile: output, atomically: true, encoding: .utf8) }
            let edges = RadioCausalSamples.trueEdges.map { ["from": $0.from, "to": $0.to] }
            let tiers = Dictionary(grouping: RadioCausalSamples.configurationFirstTiers, by: \.value)
                .sorted { $0.key < $1.key }.map { group in columns.filter { name in group.value.contains { $0.key == name } } }
            if json {
                let object: [String: Any] = ["file": output, "rows": rows.count, "columns": columns, "true_edges": edges, "tiers": tiers]
                return print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            }
            print("wrote \(rows.count) rows to \(output)")
            print(Table.render(headers: ["FROM", "TO"], rows: RadioCausalSamples.trueEdges.map { [$0.from, $0.to] }))
            print("tiers (configuration before KPIs): " + tiers.map { $0.joined(separator: ",") }.joined(separator: ";"))
        }
    }
}
