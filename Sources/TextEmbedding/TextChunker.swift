/// How a document is split before packing into chunks.
public struct DocumentKind: Sendable, Hashable, CustomStringConvertible {
    private enum Base: String, Sendable { case plainText, sourceCode, markdown }
    private let base: Base
    private init(_ base: Base) { self.base = base }
    /// Paragraphs (blank-line separated), then sentences when a paragraph is too long.
    public static let plainText = DocumentKind(.plainText)
    /// Top-level declarations (Swift, Python, C-like heuristics), with their leading comments.
    public static let sourceCode = DocumentKind(.sourceCode)
    /// Sections starting at `#` headings (outside fenced code), then paragraphs.
    public static let markdown = DocumentKind(.markdown)
    public var description: String { base.rawValue }

    static let codeExtensions: Set<String> = ["swift", "py", "c", "h", "cc", "cpp", "hpp", "m", "mm", "js", "ts", "go", "rs",
                                              "java", "kt", "cs", "scala", "sh", "rb", "php"]
    /// Kind from a file extension: `.md`/`.markdown` markdown, known source extensions code, else plain text.
    public static func infer(path: String) -> DocumentKind {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return .plainText }
        let ext = name[name.index(after: dot)...].lowercased()
        if ext == "md" || ext == "markdown" { return .markdown }
        return codeExtensions.contains(ext) ? .sourceCode : .plainText
    }
}

/// Splits documents into retrieval chunks of at most `maxTokens` tokens, consecutive chunks
/// sharing up to `overlapTokens` tokens of whole pieces (lines or sentences).
///
/// The document is first cut into structural units (by `DocumentKind`); units longer than
/// `maxTokens` are cut into sentences or lines, then words. Units are packed greedily in
/// order. A single word longer than `maxTokens` forms its own chunk. Cost O(n) token counts.
public struct TextChunker: Sendable {
    public var maxTokens: Int
    public var overlapTokens: Int
    /// Token count of a text (use `WordPieceTokenizer.countTokens` for the model's count).
    public var countTokens: @Sendable (String) -> Int

    /// - Throws: `.invalidInput` unless `maxTokens > 0` and `0 ≤ overlapTokens < maxTokens`.
    public init(maxTokens: Int = 256, overlapTokens: Int = 32,
                countTokens: @escaping @Sendable (String) -> Int = TextChunker.whitespaceTokenCount) throws(TextEmbeddingError) {
        guard maxTokens > 0, overlapTokens >= 0, overlapTokens < maxTokens else {
            throw TextEmbeddingError(.invalidInput, "chunk size \(maxTokens) must be positive and above the overlap \(overlapTokens)")
        }
        self.maxTokens = maxTokens; self.overlapTokens = overlapTokens; self.countTokens = countTokens
    }

    /// Whitespace-separated words plus punctuation marks: a cheap stand-in for word pieces.
    public static let whitespaceTokenCount: @Sendable (String) -> Int = { text in
        var n = 0, inWord = false
        for c in text.unicodeScalars {
            if WordPieceTokenizer.isWhitespace(c) { inWord = false }
            else if WordPieceTokenizer.isPunctuation(c) { n += 1; inWord = false }
            else if !inWord { n += 1; inWord = true }
        }
        return n
    }

    /// Chunks of `text`; `kind` defaults to the one inferred from `file`'s extension.
    public func chunk(_ text: String, file: String, kind: DocumentKind? = nil) -> [TextChunk] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { l in
            l.hasSuffix("\r") ? String(l.dropLast()) : String(l)
        }
        let kind = kind ?? DocumentKind.infer(path: file)
        let units: [Piece]
        switch kind {
        case .sourceCode: units = Self.codeUnits(lines)
        case .markdown: units = Self.markdownUnits(lines)
        default: units = Self.paragraphUnits(lines, from: 0, to: lines.count)
        }
        let pieces = units.flatMap { fit($0) }
        return pack(pieces, file: file)
    }

    /// A span of text with its 1-based inclusive line range.
    struct Piece: Hashable {
        var text: String
        var startLine: Int
        var endLine: Int
        var tokens = 0
    }

    /// Cuts a unit until every piece fits: paragraphs/sections into sentences, then lines, then words.
    func fit(_ unit: Piece) -> [Piece] {
        var u = unit
        u.tokens = countTokens(u.text)
        if u.tokens <= maxTokens { return u.tokens == 0 ? [] : [u] }
        let sentences = Self.sentences(u)
        if sentences.count > 1 { return sentences.flatMap { fit($0) } }
        let lines = u.text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1 {
            return lines.enumerated().flatMap { i, l in fit(Piece(text: String(l), startLine: u.startLine + i, endLine: u.startLine + i)) }
        }
        // One long line: words, packed greedily.
        var out: [Piece] = []
        var current: [Substring] = []
        var tokens = 0
        for w in u.text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let t = countTokens(String(w))
            if tokens + t > maxTokens, !current.isEmpty {
                out.append(Piece(text: current.joined(separator: " "), startLine: u.startLine, endLine: u.endLine, tokens: tokens))
                current = []; tokens = 0
            }
            current.append(w); tokens += t
        }
        if !current.isEmpty { out.append(Piece(text: current.joined(separator: " "), startLine: u.startLine, endLine: u.endLine, tokens: tokens)) }
        return out
    }

    /// Greedy packing with overlap of trailing whole pieces.
    func pack(_ pieces: [Piece], file: String) -> [TextChunk] {
        var chunks: [TextChunk] = []
        var current: [Piece] = []
        var tokens = 0
        func flush() {
            guard !current.isEmpty else { return }
            let text = current.map(\.text).joined(separator: "\n")
            chunks.append(TextChunk(file: file, startLine: current.map(\.startLine).min()!, endLine: current.map(\.endLine).max()!,
                                    text: text, tokenCount: tokens))
        }
        var newSinceFlush = 0
        for p in pieces {
            if tokens + p.tokens > maxTokens, !current.isEmpty {
                flush()
                // Keep trailing pieces worth at most overlapTokens, and only if the next piece still fits.
                var kept: [Piece] = []
                var keptTokens = 0
                for q in current.reversed() {
                    guard keptTokens + q.tokens <= overlapTokens, keptTokens + q.tokens + p.tokens <= maxTokens else { break }
                    kept.insert(q, at: 0); keptTokens += q.tokens
                }
                current = kept; tokens = keptTokens; newSinceFlush = 0
            }
            current.append(p); tokens += p.tokens; newSinceFlush += 1
        }
        if newSinceFlush > 0 { flush() }
        return chunks
    }
}
