import ArgumentParser
import CLIClient
import Foundation
import Platform
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
        @Option(help: "int8: exact (re-score the final candidates from the full vectors) or none (the int8 ranking as is).") var rescore: String = "exact"
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard ["exact", "none"].contains(rescore) else { throw ValidationError("--rescore must be exact or none, got '\(rescore)'") }
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
                rescore: rescore == "exact", scratchDirectory: FileManager.default.temporaryDirectory.path)
            let result = try failing { try VectorBenchmark.run(basePath: base, queriesPath: queries, groundTruthPath: groundTruth, configuration: configuration) }
            if json { return try printJSON(result) }
            print("build \(String(format: "%.2f", result.buildSeconds)) s, index \(result.indexBytes / 1024) KiB")
            let flat = result.flatQPS ?? 0
            print(Table.render(headers: ["EF", "RECALL@\(k)", "QPS", "X FLAT SCAN"], rows: result.results.map {
                [String($0.ef), String(format: "%.4f", $0.recallAtK), String(format: "%.0f", $0.qps), flat > 0 ? String(format: "%.1f", $0.qps / flat) : "-"]
            }))
            if flat > 0 { print("exact flat scan: \(String(format: "%.0f", flat)) queries/s (one query at a time, one thread)") }
        }
    }
}
