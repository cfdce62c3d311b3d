import Foundation
import Testing

/// The compute commands of the real binary, in their `--json` forms (the interface scripts use).
@Suite("CLI compute commands (real binary)")
struct ComputeCommandTests {
    /// Runs the binary and returns exit status, stdout and stderr.
    static func mlplane(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try ServerProcess.locateBinary()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// Deterministic normal samples (LCG + Box-Muller), so the tests need no other module.
    struct Normals {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        mutating func next() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    }

    @Test func causalDiscoverRecoversAChain() throws {
        var normals = Normals(state: 1)
        var csv = "load,throughput,utility,noise\n"
        for _ in 0..<1000 {
            let load = normals.next(), throughput = 1.5 * load + 0.5 * normals.next()
            let utility = -1.2 * throughput + 0.5 * normals.next(), noise = normals.next()
            csv += "\(load),\(throughput),\(utility),\(noise)\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chain-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let run = try Self.mlplane(["causal", "discover", "--data", file.path, "--json"])
        #expect(run.status == 0, "\(run.err)")
        let result = Self.object(run.out)
        #expect(result["columns"] as? [String] == ["load", "throughput", "utility", "noise"])
        let edges = (result["edges"] as? [[String: Any]] ?? []).map { "\($0["from"] as? String ?? "")->\($0["to"] as? String ?? "")" }
        #expect(Set(edges) == ["load->throughput", "throughput->utility"])
        #expect((result["adjacency"] as? [[Double]])?[0][1] ?? 0 > 1)

        let bad = try Self.mlplane(["causal", "discover", "--data", "/nonexistent.csv"])
        #expect(bad.status == 1 && bad.err.contains("error"))
        let usage = try Self.mlplane(["causal", "discover", "--data", file.path, "--method", "magic"])
        #expect(usage.status == 2 && usage.err.contains("notears or pc"))
    }

    /// Issue 7's RAN example end to end: the simulator writes the data and its true graph;
    /// PC recovers it as is, NOTEARS with the printed tiers ("configuration before KPIs").
    @Test func ranExampleIsRecoveredFromTheCommandLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ran-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let made = try Self.mlplane(["causal", "ran-example", "--output", file.path, "--samples", "2000", "--seed", "1", "--json"])
        #expect(made.status == 0, "\(made.err)")
        let example = Self.object(made.out)
        let truth = Set((example["true_edges"] as? [[String: String]] ?? []).map { "\($0["from"] ?? "")->\($0["to"] ?? "")" })
        #expect(truth.count == 7 && truth.contains("log_load->log_throughput") && truth.contains("log_throughput->utility"))
        let tiers = (example["tiers"] as? [[String]] ?? []).map { $0.joined(separator: ",") }.joined(separator: ";")
        #expect(tiers.hasPrefix("log_bandwidth,tx_power,cell_offset,log_active_ues;"))
        func edges(_ arguments: [String]) throws -> Set<String> {
            let run = try Self.mlplane(["causal", "discover", "--data", file.path, "--json"] + arguments)
            #expect(run.status == 0, "\(run.err)")
            return Set((Self.object(run.out)["edges"] as? [[String: Any]] ?? []).map { "\($0["from"] as? String ?? "")->\($0["to"] as? String ?? "")" })
        }
        #expect(try edges(["--method", "pc"]) == truth)
        #expect(try edges(["--method", "notears", "--lambda1", "0.05", "--w-threshold", "0.05", "--tiers", tiers]) == truth)
        // The prior options are checked: forbidding a true edge removes it, bad forms are usage errors.
        #expect(try edges(["--method", "pc", "--forbid", "log_throughput->utility"]).contains("log_throughput->utility") == false)
        let unknown = try Self.mlplane(["causal", "discover", "--data", file.path, "--tiers", "nope;log_load"])
        #expect(unknown.status == 1 && unknown.err.contains("nope"))
        let malformed = try Self.mlplane(["causal", "discover", "--data", file.path, "--require", "a-b"])
        #expect(malformed.status == 2 && malformed.err.contains("from->to"))
    }

    @Test func ranBaselinesRankTheHeuristicsAboveRandom() throws {
        let run = try Self.mlplane(["ran", "baselines", "--scenario", "small", "--variant", "central", "--episodes", "3", "--seed", "0", "--json"])
        #expect(run.status == 0, "\(run.err)")
        let baselines = Self.object(run.out)["baselines"] as? [String: [String: Double]] ?? [:]
        #expect(Set(baselines.keys) == ["random", "strongest_signal", "a3_handover", "load_aware"])
        let random = baselines["random"]?["mean"] ?? 0, strongest = baselines["strongest_signal"]?["mean"] ?? -1000
        #expect(strongest > random + 10)
        #expect(try Self.mlplane(["ran", "baselines", "--variant", "sideways"]).status == 1)

        let episode = try Self.mlplane(["ran", "simulate", "--policy", "strongest_signal", "--seed", "3", "--json"])
        #expect(episode.status == 0, "\(episode.err)")
        let report = Self.object(episode.out)
        #expect(report["steps"] as? Int == 100)
        #expect(report["episode_return"] is Double)
        #expect(((report["kpis"] as? [String: Any])?["cells"] as? [Any])?.count == 3)
        #expect(try Self.mlplane(["ran", "simulate", "--policy", "psychic"]).status == 1)
    }

    /// `ran train` records into the local data directory, writes a policy that `ran evaluate`
    /// scores exactly as training reported, and prints the issue's JSON shape.
    @Test func ranTrainThenEvaluate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ran-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.safetensors").path
        let train = try Self.mlplane(["ran", "train", "--scenario", "small", "--variant", "central", "--timesteps", "4096", "--seed", "2",
                                      "--eval-episodes", "3", "--output", policy, "--data-dir", dir.appendingPathComponent("data").path, "--json"])
        #expect(train.status == 0, "\(train.err)")
        let report = Self.object(train.out)
        #expect((report["env_steps_per_second"] as? Double ?? 0) > 0)
        let final = report["final_evaluation"] as? [String: Double] ?? [:]
        let curve = report["curve"] as? [[String: Any]] ?? []
        #expect(curve.count == 2 && curve.last?["step"] as? Int == 4096 && curve.last?["mean_return"] is Double)
        #expect(report["model"] as? String == "ran-small-central" && report["model_version"] as? String == "1")
        #expect(!(report["run_id"] as? String ?? "").isEmpty)
        #expect(train.err.contains("steps/s"), "progress bar on stderr")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/mlplane.sqlite").path))

        let evaluate = try Self.mlplane(["ran", "evaluate", "--policy", policy, "--episodes", "3", "--seed", "0", "--json"])
        #expect(evaluate.status == 0, "\(evaluate.err)")
        let summary = Self.object(evaluate.out)
        #expect(summary["episodes"] as? Int == 3)
        #expect(summary["mean"] as? Double == final["mean"])
        #expect(summary["std"] as? Double == final["std"])

        let missing = try Self.mlplane(["ran", "evaluate", "--policy", dir.appendingPathComponent("none.safetensors").path])
        #expect(missing.status == 1 && missing.err.contains("cannot read policy"))
        let wrongSize = try Self.mlplane(["ran", "evaluate", "--policy", policy, "--scenario", "medium"])
        #expect(wrongSize.status == 1 && wrongSize.err.contains("observations of size"))
        #expect(try Self.mlplane(["ran", "train", "--timesteps", "0"]).status == 2)
    }

    @Test func vectorsBenchmarkReadsFvecsAndReportsRecall() throws {
        var normals = Normals(state: 7)
        let dimension = 16
        func fvecs(_ rows: Int) -> Data {
            var data = Data()
            for _ in 0..<rows {
                withUnsafeBytes(of: Int32(dimension).littleEndian) { data.append(contentsOf: $0) }
                for _ in 0..<dimension { withUnsafeBytes(of: Float(normals.next()).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
            return data
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try fvecs(1500).write(to: folder.appendingPathComponent("base.fvecs"))
        try fvecs(40).write(to: folder.appendingPathComponent("queries.fvecs"))
        let run = try Self.mlplane(["vectors", "benchmark", "--base", folder.appendingPathComponent("base.fvecs").path,
                                    "--queries", folder.appendingPathComponent("queries.fvecs").path,
                                    "--metric", "l2", "--ef", "16,128", "--ef-construction", "100", "--json"])
        #expect(run.status == 0, "\(run.err)")
        let result = Self.object(run.out)
        let points = result["results"] as? [[String: Any]] ?? []
        #expect(points.compactMap { $0["ef"] as? Int } == [16, 128])
        #expect((points.last?["recall_at_k"] as? Double ?? 0) > 0.95)
        #expect((result["index_bytes"] as? Int ?? 0) > 1500 * dimension * 4)
        #expect(result["build_seconds"] is Double)
        #expect((result["flat_qps"] as? Double ?? 0) > 0)
    }

    @Test func embedWritesNpyAndJSONLInInputOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("texts.jsonl")
        let texts = ["Log a metric to a run.", "The cat sat on the mat.", "Record a metric for a run."]
        let jsonLines = try texts.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0]), as: UTF8.self) }
        try (jsonLines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let npy = folder.appendingPathComponent("out.npy")
        let run = try Self.mlplane(["embed", "--input", input.path, "--output", npy.path])
        #expect(run.status == 0, "\(run.err)")
        let data = try Data(contentsOf: npy)
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'shape': (3, 384)") && header.contains("<f4"))
        #expect(data.count == 10 + headerLength + 3 * 384 * 4)
        let floats = data[(10 + headerLength)...].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let rows = (0..<3).map { Array(floats[($0 * 384)..<(($0 + 1) * 384)]) }
        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(abs(dot(rows[0], rows[0]) - 1) < 1e-4)
        #expect(dot(rows[0], rows[2]) > dot(rows[0], rows[1]) + 0.2, "rows stay in input order")

        let jsonl = folder.appendingPathComponent("out.jsonl")
        #expect(try Self.mlplane(["embed", "--input", input.path, "--output", jsonl.path]).status == 0)
        let lines = try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && lines[2].contains("\"index\":2"))
        #expect(try Self.mlplane(["embed", "--input", input.path, "--output", folder.appendingPathComponent("x.csv").path]).status == 2)

        // --precision float32 gives (nearly) the same vectors and says which precision ran.
        let exact = folder.appendingPathComponent("float32.npy")
        let float32 = try Self.mlplane(["embed", "--input", input.path, "--output", exact.path, "--precision", "float32"])
        #expect(float32.status == 0 && float32.out.contains("float32"), "\(float32.out) \(float32.err)")
        let exactFloats = try Data(contentsOf: exact)[(10 + headerLength)...].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        for r in 0..<3 { #expect(dot(Array(exactFloats[(r * 384)..<((r + 1) * 384)]), rows[r]) > 0.9999) }
        let badPrecision = try Self.mlplane(["embed", "--input", input.path, "--output", exact.path, "--precision", "float8"])
        #expect(badPrecision.status == 2 && badPrecision.err.contains("float32 or bfloat16"))
    }

    /// Retrieval over real sources: the tracking code answers "how are metrics logged",
    /// and a second index run embeds nothing because no chunk changed.
    @Test func ragIndexesOnlyChangesAndFindsTheTrackingCode() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-\(UUID().uuidString)")
        let corpus = folder.appendingPathComponent("corpus"), data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for source in ["Sources/Platform/Tracking/TrackingService.swift", "Sources/RadioSim/Scenario.swift",
                       "Sources/StatsKit/Normal.swift", "Sources/CausalEngine/DAG.swift"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(source), to: corpus.appendingPathComponent(URL(fileURLWithPath: source).lastPathComponent))
        }
        let first = try Self.mlplane(["rag", "index", corpus.path, "--data-dir", data.path, "--collection", "code", "--json"])
        #expect(first.status == 0, "\(first.err)")
        let report = Self.object(first.out)
        #expect(report["files"] as? Int == 4)
        #expect((report["embedded"] as? Int ?? 0) > 4 && report["unchanged"] as? Int == 0)

        let again = Self.object(try Self.mlplane(["rag", "index", corpus.path, "--data-dir", data.path, "--collection", "code", "--json"]).out)
        #expect(again["embedded"] as? Int == 0 && again["unchanged"] as? Int == report["chunks"] as? Int)

        let query = try Self.mlplane(["rag", "query", "how are metrics logged", "--data-dir", data.path, "--collection", "code", "-n", "3", "--json"])
        #expect(query.status == 0, "\(query.err)")
        let files = (Self.object(query.out)["matches"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        #expect(files.count == 3)
        #expect(files.contains("TrackingService.swift"), "top 3 were \(files)")
    }
}
