// TextEmbedding benchmark: embeds 2,000 docstring-like texts with all-MiniLM-L6-v2 and
// prints sentences/s. Usage:
//   TextEmbeddingBench [--count N] [--batch B] [--dump-texts FILE] [--texts FILE] [--model-dir DIR]
// `--dump-texts` writes the generated texts (one per line) so bench/textembedding_bench.py can
// run sentence-transformers on exactly the same inputs.
import Foundation
import TensorCore
import TextEmbedding

var args = CommandLine.arguments.dropFirst()
var count = 2000, batch = 32
var dumpPath: String?, textsPath: String?, modelDir: String?
while let a = args.popFirst() {
    switch a {
    case "--count": count = Int(args.popFirst() ?? "") ?? count
    case "--batch": batch = Int(args.popFirst() ?? "") ?? batch
    case "--dump-texts": dumpPath = args.popFirst()
    case "--texts": textsPath = args.popFirst()
    case "--model-dir": modelDir = args.popFirst()
    default: print("unknown argument \(a)"); exit(2)
    }
}

/// Seeded docstring-like sentences of varied length (about 8 to 70 word pieces).
func generateTexts(_ n: Int) -> [String] {
    var g = SeededGenerator(seed: 2026)
    let verbs = ["Return", "Compute", "Load", "Parse", "Validate", "Build", "Serialize", "Normalize", "Merge", "Split",
                 "Register", "Schedule", "Evaluate", "Resolve", "Encode", "Decode", "Update", "Create", "Remove", "Sort"]
    let objects = ["the number of elements along a given axis", "a tensor from a safetensors file", "the user's access token",
                   "the learning-rate schedule for the optimizer", "a batch of token ids with attention masks",
                   "the HTTP request body as JSON", "the configuration from environment variables",
                   "the cosine similarity between two embeddings", "a checkpoint with its optimizer state",
                   "the list of pending jobs in the queue", "the metrics recorded for a training run",
                   "the shortest path between two nodes", "a sparse matrix in CSR format", "the experiment's artifacts",
                   "the gradient of the loss with respect to the weights", "a vector index on disk",
                   "the base station's scheduling decisions", "an image into normalized RGB channels"]
    let clauses = ["If the input is empty, an empty array is returned.", "Raises ValueError when the shape does not match.",
                   "The result is cached until the file changes.", "This runs in O(n log n) time and O(n) memory.",
                   "Thread-safe; callers may share one instance across tasks.", "Units are seconds unless stated otherwise.",
                   "Missing keys fall back to the defaults documented above.", "See also: the streaming variant for large inputs.",
                   "Negative indices count from the end, as in Python.", "The returned value is owned by the caller.",
                   "Deprecated since version 2.1; use the async variant instead.", "NaN values are ignored in the reduction."]
    let args = ["axis (int): the dimension to reduce.", "path (str): where the file lives.", "timeout (float): seconds to wait.",
                "batch_size (int): rows per step, 32 by default.", "strict (bool): reject unknown keys when true."]
    var out: [String] = []
    for _ in 0..<n {
        var s = "\(verbs[Int.random(in: 0..<verbs.count, using: &g)]) \(objects[Int.random(in: 0..<objects.count, using: &g)])."
        for _ in 0..<Int.random(in: 0...3, using: &g) { s += " " + clauses[Int.random(in: 0..<clauses.count, using: &g)] }
        if Int.random(in: 0..<3, using: &g) == 0 {
            s += " Args: " + (0..<Int.random(in: 1...3, using: &g)).map { _ in args[Int.random(in: 0..<args.count, using: &g)] }.joined(separator: " ")
        }
        out.append(s)
    }
    return out
}

let texts: [String]
if let textsPath {
    texts = try String(contentsOfFile: textsPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init).filter { !$0.isEmpty }
} else {
    texts = generateTexts(count)
}
if let dumpPath { try texts.joined(separator: "\n").appending("\n").write(toFile: dumpPath, atomically: true, encoding: .utf8) }

Allocator.retainFreedMemory()
let loadStart = Date()
let embedder: SentenceEmbedder
do { embedder = try SentenceEmbedder(locator: ModelLocator(directory: modelDir)) } catch {
    print("error: \(error)"); exit(1)
}
let loadSeconds = Date().timeIntervalSince(loadStart)
let tokenized = texts.map { embedder.tokenizer.encode($0) }
let tokens = tokenized.reduce(0) { $0 + $1.ids.count }
print("encoder: \(tokens) word pieces, packed without padding, precision \(embedder.encoder.precision.rawValue)")
_ = embedder.embed(Array(texts.prefix(64)), batchSize: batch)   // warm-up

var best = Double.infinity
for _ in 0..<2 {
    let t0 = Date()
    let v = embedder.embed(texts, batchSize: batch)
    best = min(best, Date().timeIntervalSince(t0))
    precondition(v.count == texts.count)
}
let rate = Double(texts.count) / best
print(String(format: "TextEmbedding: %d texts, %.1f tokens/text avg, batch %d: %.2f s, %.1f sentences/s (model load %.2f s)",
             texts.count, Double(tokens) / Double(texts.count), batch, best, rate, loadSeconds))
print("RESULT sentences_per_second=\(String(format: "%.2f", rate))")
