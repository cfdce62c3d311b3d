import ArgumentParser
import Foundation
import Platform

/// `mlplane rag index|query`: retrieval over files, in process, on the data directory's
/// vector collections (run it while no server writes to the same collection).
struct Rag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Index files for retrieval and query them.", subcommands: [Index.self, Query.self])

    struct Location: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "Data directory (env MLPLANE_DATA_DIR).")
        var dataDirectory: String = ProcessInfo.processInfo.environment["MLPLANE_DATA_DIR"] ?? ".mlplane"
        @Option(help: "Vector collection to use.") var collection: String = "rag"

        var service: RetrievalService {
            let root = URL(fileURLWithPath: dataDirectory).appendingPathComponent("vectors")
            return RetrievalService(vectors: VectorCollections(root: root), embeddings: EmbeddingService())
        }
    }

    struct Index: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Chunk, embed and store every text file under a directory (unchanged chunks are skipped).")
        @OptionGroup var location: Location
        @Argument(help: "Directory to index.") var directory: String
        @Option(name: .customLong("chunk-size"), help: "Tokens per chunk.") var chunkSize: Int = 256
        @Option(help: "Tokens shared by consecutive chunks.") var overlap: Int = 32
        @Flag(help: "Print one JSON object.") var json = false

        func run() async throws {
            let report = try await failingAsync {
                try await location.service.index(directory: URL(fileURLWithPath: directory), collection: location.collection, chunkSize: chunkSize, overlap: overlap) { done, total in
                    ProgressBar.draw(done, of: total, unit: "chunks")
                }
            }
            ProgressBar.finish()
            if json { return try printJSON(report) }
            print("indexed \(report.files) files: \(report.chunks) chunks, \(report.embedded) embedded, \(report.unchanged) unchanged, \(report.removed) removed, \(String(format: "%.1f", report.seconds)) s")
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The chunks nearest in meaning to a question.")
        @OptionGroup var location: Location
        @Argument(help: "The question.") var question: String
        @Option(name: .short, help: "How many chunks.") var n: Int = 5
        @Flag(help: "Print one JSON object.") var json = false

        func run() async throws {
            let matches = try await failingAsync { try await location.service.query(question, collection: location.collection, n: n) }
            if json { return try printJSON(["matches": matches]) }
            for match in matches {
                print(String(format: "%.3f  ", match.score) + "\(match.file):\(match.start_line)-\(match.end_line)")
                print("       " + match.snippet.split(separator: "\n").prefix(3).joined(separator: " ⏎ "))
            }
        }
    }
}

/// `failing` for async work: library errors become a message and exit code 1.
func failingAsync<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("\nerror: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
