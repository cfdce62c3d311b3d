import Foundation

/// One tokenized text: ids with `[CLS]`/`[SEP]`, truncated to `maxLength`.
public struct TokenizedText: Sendable, Hashable {
    /// Vocabulary ids, `[CLS] pieces… [SEP]`.
    public var ids: [Int]
    /// Whether the input had to be cut to fit `maxLength`.
    public var truncated: Bool
}

/// A padded batch: `ids` and `mask` are `batch × length`, row-major; padding id 0, mask 0.
public struct TokenBatch: Sendable, Hashable {
    public var ids: [Int]
    public var mask: [[Bool]]
    public var batch: Int
    public var length: Int
}

/// The BERT uncased WordPiece tokenizer (Devlin et al. 2019; Hugging Face `BertTokenizer`
/// with `do_lower_case`, `tokenize_chinese_chars`, accents stripped), as used by
/// all-MiniLM-L6-v2.
///
/// Basic tokenization: drop NUL, U+FFFD and control/format characters, map whitespace to
/// spaces, put spaces around CJK ideographs, lower-case, strip accents (NFD, drop Mn), split
/// on whitespace and on punctuation (Unicode `P*` plus the ASCII symbol ranges). WordPiece:
/// greedy longest match with `##` continuations; a word longer than 100 scalars or with an
/// unmatchable remainder becomes `[UNK]`. Cost O(n·w) for n scalars and longest word w.
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: [String: Int]
    public let maxLength: Int
    public let clsID: Int, sepID: Int, unkID: Int, padID: Int
    public let maxInputCharsPerWord = 100

    /// Builds from a `vocab.txt` (one token per line, id = line number).
    public init(vocabularyFile path: String, maxLength: Int = 256) throws(TextEmbeddingError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TextEmbeddingError(.damagedModel, "cannot read vocabulary \(path); \(TextEmbeddingError.installHint)")
        }
        var tokens = text.components(separatedBy: "\n")
        if tokens.last == "" { tokens.removeLast() }
        try self.init(tokens: tokens.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }, maxLength: maxLength)
    }

    /// Builds from tokens in id order. Requires `[CLS]`, `[SEP]`, `[UNK]`, `[PAD]`.
    public init(tokens: [String], maxLength: Int = 256) throws(TextEmbeddingError) {
        var vocab: [String: Int] = [:]
        vocab.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where vocab[t] == nil { vocab[t] = i }
        guard let cls = vocab["[CLS]"], let sep = vocab["[SEP]"], let unk = vocab["[UNK]"], let pad = vocab["[PAD]"] else {
            throw TextEmbeddingError(.damagedModel, "vocabulary lacks [CLS], [SEP], [UNK] or [PAD] (\(tokens.count) tokens); \(TextEmbeddingError.installHint)")
        }
        guard maxLength >= 2 else { throw TextEmbeddingError(.invalidInput, "maxLength \(maxLength) must be at least 2") }
        vocabulary = vocab; self.maxLength = maxLength
        clsID = cls; sepID = sep; unkID = unk; padID = pad
    }

    /// Word pieces (strings) of `text`, without special tokens or truncation.
    public func tokenize(_ text: String) -> [String] {
        Self.basicTokens(text).flatMap { wordPieces($0).map(\.piece) }
    }

    /// `[CLS] pieces [SEP]` ids, truncated to `maxLength` tokens.
    public func encode(_ text: String) -> TokenizedText {
        var ids = [clsID]
        let budget = maxLength - 2
        var truncated = false
        for word in Self.basicTokens(text) {
            let wordIDs = wordPieces(word).map(\.id)
            if ids.count - 1 + wordIDs.count > budget {
                ids += wordIDs.prefix(budget - (ids.count - 1)); truncated = true; break
            }
            ids += wordIDs
        }
        ids.append(sepID)
        return TokenizedText(ids: ids, truncated: truncated)
    }

    /// Number of word pieces (no special tokens, no truncation): the chunker's token count.
    public func countTokens(_ text: String) -> Int {
        Self.basicTokens(text).reduce(0) { $0 + wordPieces($1).count }
    }

    /// Pads encoded texts to the longest one (id `padID`, mask false).
    public func pad(_ texts: [TokenizedText]) -> TokenBatch {
        let length = texts.map(\.ids.count).max() ?? 0
        var ids = [Int](repeating: padID, count: texts.count * length)
        var mask: [[Bool]] = []
        for (i, t) in texts.enumerated() {
            for (j, id) in t.ids.enumerated() { ids[i * length + j] = id }
            mask.append((0..<length).map { $0 < t.ids.count })
        }
        return TokenBatch(ids: ids, mask: mask, batch: texts.count, length: length)
    }

    /// Greedy longest-match-first pieces of one basic token.
    func wordPieces(_ word: [Unicode.Scalar]) -> [(piece: String, id: Int)] {
        if word.count > maxInputCharsPerWord { return [("[UNK]", unkID)] }
        var start = 0
        var local: [(piece: String, id: Int)] = []
        while start < word.count {
            var end = word.count
            var found: (piece: String, id: Int)?
            while start < end {
                var s = start > 0 ? "##" : ""
                s.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[s] { found = (s, id); break }
                end -= 1
            }
            guard let found else { return [("[UNK]", unkID)] }
            local.append(found)
            start = end
        }
        return local
    }
}
