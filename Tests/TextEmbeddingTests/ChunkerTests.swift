import Foundation
import Testing
@testable import TextEmbedding

@Suite("Chunking for retrieval")
struct ChunkerTests {
    @Test func fnv1aMatchesPublishedTestVectors() {
        // Test vectors from the FNV reference (isthe.com/chongo/tech/comp/fnv).
        #expect(ContentHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(ContentHash.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(ContentHash.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
        #expect(ContentHash.hex(0xab) == "00000000000000ab")
    }

    @Test func plainTextByParagraphWithLineRanges() throws {
        let text = "alpha beta gamma\ndelta epsilon\n\nzeta eta theta\n\n\niota kappa lambda mu"
        let whole = try TextChunker(maxTokens: 100, overlapTokens: 0).chunk(text, file: "notes.txt")
        #expect(whole.count == 1)
        #expect(whole[0].startLine == 1 && whole[0].endLine == 7 && whole[0].tokenCount == 12)
        // Room for one paragraph per chunk (5 + 3 would exceed 6).
        let small = try TextChunker(maxTokens: 6, overlapTokens: 0).chunk(text, file: "notes.txt")
        #expect(small.map(\.text) == ["alpha beta gamma\ndelta epsilon", "zeta eta theta", "iota kappa lambda mu"])
        #expect(small.map(\.startLine) == [1, 4, 7])
        #expect(small.map(\.endLine) == [2, 4, 7])
        #expect(small.allSatisfy { $0.file == "notes.txt" && $0.contentHash == ContentHash.fnv1a64($0.text) })
    }

    @Test func longParagraphSplitsIntoSentencesWithOverlap() throws {
        let sentences = (1...12).map { "Sentence number \($0) has six words." }   // 7 tokens with the period
        let text = sentences.joined(separator: " ")
        let chunker = try TextChunker(maxTokens: 22, overlapTokens: 7)
        let chunks = chunker.chunk(text, file: "a.txt")
        #expect(chunks.count > 1)
        for c in chunks {
            #expect(c.tokenCount <= 22)
            #expect(c.tokenCount == TextChunker.whitespaceTokenCount(c.text))
        }
        // Every sentence is somewhere; consecutive chunks share exactly one sentence (7 ≤ overlap).
        for s in sentences { #expect(chunks.contains { $0.text.contains(s) }) }
        for (a, b) in zip(chunks, chunks.dropFirst()) {
            let lastOfA = a.text.split(separator: "\n").last!
            #expect(b.text.hasPrefix(lastOfA))
        }
        // Without overlap no sentence repeats.
        let plain = try TextChunker(maxTokens: 22, overlapTokens: 0).chunk(text, file: "a.txt")
        #expect(plain.map { $0.text.split(separator: "\n").count }.reduce(0, +) == 12)
    }

    @Test func overlongWordsAndLinesStillRespectTheLimit() throws {
        let line = (0..<50).map { "w\($0)" }.joined(separator: " ")
        let chunks = try TextChunker(maxTokens: 8, overlapTokens: 2).chunk(line, file: "x.txt")
        #expect(chunks.allSatisfy { $0.tokenCount <= 8 && $0.startLine == 1 && $0.endLine == 1 })
        #expect(chunks.flatMap { $0.text.split(separator: " ") }.count >= 50)
    }

    static let swiftSource = """
    import Foundation

    /// Logs a metric value.
    @discardableResult
    public func logMetric(_ name: String, _ value: Double) -> Bool {
        print(name, value)
        return true
    }

    // A run of an experiment.
    struct Run {
        var id: Int
        func log() {}
    }

    extension Run: Sendable {}
    """

    static func lines(_ s: String) -> [String] { s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func swiftUnitsAreTopLevelDeclarationsWithLeadingComments() {
        let units = TextChunker.codeUnits(Self.lines(Self.swiftSource))
        #expect(units.map(\.startLine) == [1, 3, 10, 16])
        #expect(units.map(\.endLine) == [1, 8, 14, 16])
        #expect(units[1].text.hasPrefix("/// Logs a metric value.\n@discardableResult\npublic func logMetric"))
        #expect(units[2].text == "// A run of an experiment.\nstruct Run {\n    var id: Int\n    func log() {}\n}")
    }

    @Test func codeChunksPackWholeDeclarationsWhenTheyFit() throws {
        // 40 tokens: room for the import + logMetric, then Run + extension; declarations stay whole.
        let chunks = try TextChunker(maxTokens: 40, overlapTokens: 0).chunk(Self.swiftSource, file: "Sources/Run.swift")
        let units = TextChunker.codeUnits(Self.lines(Self.swiftSource))
        for u in units { #expect(chunks.contains { $0.text.contains(u.text) }, "declaration split: \(u.text)") }
        #expect(chunks.allSatisfy { $0.tokenCount <= 40 })
        #expect(chunks.first?.startLine == 1 && chunks.last?.endLine == 16)
    }

    @Test func pythonUnitsAreTopLevelDefinitions() {
        let source = "import os\n\n@cache\ndef load(path):\n    return open(path)\n\n\nclass Tracker:\n    def log(self):\n        pass\n"
        let units = TextChunker.codeUnits(Self.lines(source))
        #expect(units.map(\.startLine) == [1, 3, 8])
        #expect(units.map(\.endLine) == [1, 5, 10])
        #expect(units[2].text == "class Tracker:\n    def log(self):\n        pass")
    }

    @Test func markdownUnitsAreHeadingSectionsIgnoringFencedCode() throws {
        let md = "# Title\nIntro text.\n\n## Install\nRun this:\n```sh\n# not a heading\npip install x\n```\n## Usage\nCall it."
        let units = TextChunker.markdownUnits(Self.lines(md))
        #expect(units.map(\.startLine) == [1, 4, 10])
        #expect(units.map(\.endLine) == [2, 9, 11])
        #expect(units[1].text.contains("# not a heading"))
        // Chunks never cut a section that fits.
        let chunks = try TextChunker(maxTokens: 20, overlapTokens: 0).chunk(md, file: "README.md")
        for u in units { #expect(chunks.contains { $0.text.contains(u.text) }) }
    }

    @Test func unchangedChunksKeepTheirHashAfterAnEditElsewhere() throws {
        let chunker = try TextChunker(maxTokens: 20, overlapTokens: 0)
        let before = chunker.chunk(Self.swiftSource, file: "Run.swift")
        let edited = Self.swiftSource.replacingOccurrences(of: "var id: Int", with: "var id: Int\n    var name: String")
        let after = chunker.chunk(edited, file: "Run.swift")
        let changed = Set(before.map(\.contentHash)).subtracting(after.map(\.contentHash))
        #expect(before.count > 2)
        // Only the chunk holding the edited struct changes hash.
        #expect(changed == Set(before.filter { $0.text.contains("var id: Int") }.map(\.contentHash)))
        #expect(changed.count == 1)
    }

    @Test func kindInferenceAndValidation() {
        #expect(DocumentKind.infer(path: "a/b/README.md") == .markdown)
        #expect(DocumentKind.infer(path: "x.swift") == .sourceCode)
        #expect(DocumentKind.infer(path: "LICENSE") == .plainText)
        #expect(throws: TextEmbeddingError.self) { try TextChunker(maxTokens: 10, overlapTokens: 10) }
        #expect(throws: TextEmbeddingError.self) { try TextChunker(maxTokens: 0, overlapTokens: 0) }
    }

    @Test func tokenizerCountsCanDriveTheChunker() throws {
        let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "."]
        let tokenizer = try WordPieceTokenizer(tokens: vocab)
        let chunker = try TextChunker(maxTokens: 6, overlapTokens: 0, countTokens: { tokenizer.countTokens($0) })
        let chunks = chunker.chunk("unaffable. unaffable.\n\nunaffable.", file: "t.txt")
        // Each "unaffable." is 4 pieces, so each lands alone.
        #expect(chunks.map(\.tokenCount) == [4, 4, 4])
    }
}
