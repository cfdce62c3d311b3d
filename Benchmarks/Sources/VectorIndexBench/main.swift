import Foundation
import VectorIndex

// Usage: VectorIndexBench --base F --queries F [--ground-truth F] [--metric ip|l2|cosine] [--k 10]
//        [--m 16] [--ef-construction 200] [--ef 16,32,...] [--quantization none|int8|binary|pq]
//        [--threads 1] [--oversample 4] [--rescore exact|none] [--json]
let args = Array(CommandLine.arguments.dropFirst())
func value(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
guard let base = value("--base"), let queries = value("--queries") else {
    FileHandle.standardError.write("usage: VectorIndexBench --base FILE --queries FILE [--ground-truth FILE] [--metric ip] [--k 10] [--m 16] [--ef-construction 200] [--ef 16,32,64,128,256] [--quantization none|int8|binary|pq] [--threads 1] [--json]\n".data(using: .utf8)!)
    exit(2)
}
guard let metric = DistanceMetric(name: value("--metric") ?? "ip") else { print("bad --metric"); exit(2) }
guard let quant = VectorBenchmark.Quantization(rawValue: value("--quantization") ?? "none") else { print("bad --quantization"); exit(2) }
let config = VectorBenchmark.Configuration(
    metric: metric,
    k: Int(value("--k") ?? "10") ?? 10,
    m: Int(value("--m") ?? "16") ?? 16,
    efConstruction: Int(value("--ef-construction") ?? "200") ?? 200,
    efValues: (value("--ef") ?? "16,32,64,128,256").split(separator: ",").compactMap { Int($0) },
    quantization: quant,
    buildThreads: Int(value("--threads") ?? "1") ?? 1,
    oversample: Int(value("--oversample") ?? "4") ?? 4,
    rescore: value("--rescore") != "none",
    scratchDirectory: value("--scratch") ?? NSTemporaryDirectory()
)
do {
    let result = try VectorBenchmark.run(basePath: base, queriesPath: queries, groundTruthPath: value("--ground-truth"), configuration: config)
    if args.contains("--json") {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        print(String(decoding: try enc.encode(result), as: UTF8.self))
    } else {
        print("quantization=\(quant.rawValue) build_seconds=\(String(format: "%.3f", result.buildSeconds)) index_bytes=\(result.indexBytes)")
        for p in result.results {
            print(String(format: "ef=%4d recall@%d=%.4f qps=%.0f", p.ef, config.k, p.recallAtK, p.qps))
        }
        if let flat = result.flatQPS { print(String(format: "flat scan qps=%.0f", flat)) }
    }
} catch {
    FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
