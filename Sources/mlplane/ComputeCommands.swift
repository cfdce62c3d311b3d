import ArgumentParser
import CLIClient
import CausalEngine
import Foundation
import Platform
import RadioSim
import VectorIndex

/// Prints `value` as one JSON object (the `--json` form every command offers).
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Turns a library error into a message and exit code 1 (usage errors stay exit code 2).
func failing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

struct Vectors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Vector collections on a server, and the in-process index benchmark.",
        subcommands: [Create.self, Upsert.self, Search.self, Stats.self, Delete.self, Backup.self, Restore.self, Rebuild.self, Check.self, Benchmark.self])

    struct Benchmark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build an index over --base and measure recall@k and single-thread QPS for each ef.",
            discussion: "Reads .fvecs or float32 .npy files; ground truth as .ivecs or int32 .npy (else computed exactly).")
        @Option(help: "Base vectors (.fvecs or .npy).") var base: String
        @Option(help: "Query vectors (.fvecs or .npy).") var queries: String
        @Option(name: .customLong("ground-truth"), help: "Exact neighbour ids per query (.ivecs or int32 .npy).") var groundTruth: String?
        @Option(help: "ip, l2 or cosine.") var metric: String = "ip"
        @Option var k: Int = 10
        @Option var m: Int = 16
        @Option(name: .customLong("ef-construction")) var efConstruction: Int = 200
        @Option(help: "Comma-separated ef values.") var ef: String = "16,32,64,128,256"
        @Option(help: "none, int8, binary or pq.") var quantization: String = "none"
        @Option(help: "Threads used to build (search is single-threaded).") var threads: Int = 1
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard DistanceMetric(name: metric) != nil else { throw ValidationError("--metric must be ip, l2 or cosine, got '\(metric)'") }
            guard VectorBenchmark.Quantization(rawValue: quantization) != nil else { throw ValidationError("--quantization must be none, int8, binary or pq") }
            guard !efValues.isEmpty, efValues.allSatisfy({ $0 > 0 }) else { throw ValidationError("--ef must be positive integers separated by commas") }
            guard k > 0, m >= 2, efConstruction > 0, threads > 0 else { throw ValidationError("--k, --m, --ef-construction and --threads must be positive (m at least 2)") }
        }

        var efValues: [Int] { ef.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

        func run() async throws {
            let configuration = VectorBenchmark.Configuration(
                metric: DistanceMetric(name: metric)!, k: k, m: m, efConstruction: efConstruction, efValues: efValues,
                quantization: VectorBenchmark.Quantization(rawValue: quantization)!, buildThreads: threads,
                scratchDirectory: FileManager.default.temporaryDirectory.path)
            let result = try failing { try VectorBenchmark.run(basePath: base, queriesPath: queries, groundTruthPath: groundTruth, configuration: configuration) }
            if json { return try printJSON(result) }
            print("build \(String(format: "%.2f", result.buildSeconds)) s, index \(result.indexBytes / 1024) KiB")
            print(Table.render(headers: ["EF", "RECALL@\(k)", "QPS"], rows: result.results.map {
                [String($0.ef), String(format: "%.4f", $0.recallAtK), String(format: "%.0f", $0.qps)]
            }))
        }
    }
}

struct Causal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Causal discovery.", subcommands: [Discover.self])

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
        @Option(help: "Also write the result JSON to this file.") var output: String?
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard ["notears", "pc"].contains(method) else { throw ValidationError("--method must be notears or pc, got '\(method)'") }
            guard (data == nil) != (experimentIDs == nil) else { throw ValidationError("give either --data FILE or --experiment-id IDS") }
            guard experimentIDs == nil || columns != nil else { throw ValidationError("--experiment-id needs --columns") }
        }

        /// The result, computed in process or by the server, and the run it was recorded as.
        func discover() async throws -> (CausalService.Discovery, String?) {
            let csv = try data.map { path in try failing { try String(contentsOfFile: path, encoding: .utf8) } }
            if let csv, record == nil {
                let result = try failing {
                    try CausalService().discover(try DataSet(csv: csv), method: CausalService.Method(rawValue: method) ?? .notears, lambda1: lambda1, wThreshold: wThreshold)
                }
                return (result, nil)
            }
            var body: [String: Any] = ["method": method, "lambda1": lambda1, "w_threshold": wThreshold]
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
}
