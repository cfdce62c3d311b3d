import Foundation
import TextEmbedding

/// Retrieval over files: chunk, embed, store in a vector collection; then answer queries
/// with the chunks nearest in meaning, with their file and line range.
///
/// Chunk ids are `path#hash`, so re-indexing embeds only chunks whose text changed.
public struct RetrievalService: Sendable {
    let vectors: VectorCollections
    let embeddings: EmbeddingService

    public init(vectors: VectorCollections, embeddings: EmbeddingService) {
        self.vectors = vectors
        self.embeddings = embeddings
    }

    public struct IndexReport: Codable, Sendable {
        public var files: Int
        public var chunks: Int
        public var embedded: Int
        public var unchanged: Int
        /// Chunks of this directory stored by an earlier run whose text is gone (edited or
        /// deleted files), removed from the collection.
        public var removed: Int
        public var seconds: Double
    }

    public struct Match: Codable, Sendable {
        public var file: String
        public var start_line: Int
        public var end_line: Int
        public var score: Float
        public var snippet: String
    }

    /// Indexes every text file under `directory` (hidden folders, build folders and files
    /// over 1 MiB are skipped). `progress` is called with (chunks done, chunks in all).
    public func index(directory: URL, collection: String, chunkSize: Int = 256, overlap: Int = 32,
                      progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> IndexReport {
        let start = Date()
        guard (16...4096).contains(chunkSize), (0..<chunkSize).contains(overlap) else {
            throw PlatformError.invalid("chunk size must be 16...4096 tokens and the overlap smaller than it")
        }
        // Chunk sizes count the encoder's word pieces, so a 256-token chunk is never truncated.
        let chunker = try TextChunker(maxTokens: chunkSize, overlapTokens: overlap, countTokens: try await embeddings.tokenCounter())
        let files = try Self.textFiles(under: directory)
        guard !files.isEmpty else { throw PlatformError.invalid("no text files under \(directory.path)") }
        if (try? await vectors.stats(collection)) == nil {
            _ = try await vectors.create(name: collection, dimension: 384, metric: "cosine")
        }
        let root = directory.standardizedFileURL.path
        var pending: [(id: String, chunk: TextChunk)] = []
        var current: Set<String> = []
        var total = 0
        for (path, text) in files {
            for chunk in chunker.chunk(text, file: path) {
                total += 1
                let id = "\(path)#\(String(chunk.contentHash, radix: 16))"
                current.insert(id)
                if (try? await vectors.get(collection, id: id)) == nil { pending.append((id, chunk)) }
            }
        }
        var done = total - pending.count
        progress(done, total)
        for batchStart in stride(from: 0, to: pending.count, by: 128) {
            let batch = Array(pending[batchStart..<min(pending.count, batchStart + 128)])
            let (embedded, _) = try await embeddings.embed(batch.map(\.chunk.text))
            let items = zip(batch, embedded).map { entry, vector in
                VectorCollections.Item(id: entry.id, vector: vector, metadata: [
                    "file": .string(entry.chunk.file), "start_line": .number(Double(entry.chunk.startLine)),
                    "end_line": .number(Double(entry.chunk.endLine)), "text": .string(String(entry.chunk.text.prefix(2000))),
                    "root": .string(root),
                ])
            }
            _ = try await vectors.upsert(collection, items: items)
            done += batch.count
            progress(done, total)
        }
        // Chunks this directory stored before whose text no longer exists.
        var removed = 0
        for id in try await vectors.ids(collection) where !current.contains(id) {
            if case .string(root)? = try await vectors.get(collection, id: id).metadata["root"] {
                try await vectors.delete(collection, id: id)
                removed += 1
            }
        }
        return IndexReport(files: files.count, chunks: total, embedded: pending.count, unchanged: total - pending.count, removed: removed,
                           seconds: Date().timeIntervalSince(start))
    }

    /// The `n` chunks nearest in meaning to `query`.
    public func query(_ query: String, collection: String, n: Int = 5) async throws -> [Match] {
        let (vectors, _) = try await embeddings.embed([query])
        return try await self.vectors.search(collection, vector: vectors[0], k: n, ef: max(64, n * 4), filter: [:]).map { hit in
            func string(_ key: String) -> String { if case .string(let s) = hit.metadata[key] { return s }; return "" }
            func int(_ key: String) -> Int { if case .number(let d) = hit.metadata[key] { return Int(d) }; return 0 }
            return Match(file: string("file"), start_line: int("start_line"), end_line: int("end_line"), score: hit.score, snippet: String(string("text").prefix(300)))
        }
    }

    /// Relative path and text of every indexable file, sorted by path.
    static func textFiles(under directory: URL) throws -> [(String, String)] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: [.skipsHiddenFiles]) else {
            throw PlatformError.invalid("cannot read the directory \(directory.path)")
        }
        let skippedFolders: Set<String> = ["node_modules", "__pycache__", "Fixtures"]
        var files: [(String, String)] = []
        let base = directory.standardizedFileURL.path
        for case let url as URL in walker {
            let name = url.lastPathComponent
            if skippedFolders.contains(name) || name.hasPrefix(".build") { walker.skipDescendants(); continue }
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values?.isRegularFile == true, (values?.fileSize ?? 0) <= 1 << 20,
                  let data = FileManager.default.contents(atPath: url.path), !data.contains(0),
                  let text = String(data: data, encoding: .utf8), !text.isEmpty else { continue }
            var relative = url.standardizedFileURL.path
            if relative.hasPrefix(base) { relative = String(relative.dropFirst(base.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
            files.append((relative, text))
        }
        return files.sorted { $0.0 < $1.0 }
    }
}
