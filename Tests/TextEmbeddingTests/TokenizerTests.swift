import Testing
@testable import TextEmbedding

/// Hand-made vocabulary so every expected output below is computed by hand.
private let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "cafe", "naive", "hello", "world", "un", "##aff", "##able",
                      "!", ",", ".", "?", "$", "^", "`", "~", "東", "京", "は", "-", "a", "##b", "##c", "abc", "—", "'", "s"]
private func tok(maxLength: Int = 256) throws -> WordPieceTokenizer { try WordPieceTokenizer(tokens: tokens, maxLength: maxLength) }
private func id(_ t: String) -> Int { tokens.firstIndex(of: t)! }

@Suite("WordPiece tokenizer")
struct TokenizerTests {
    @Test func lowerCasesAndStripsAccents() throws {
        #expect(try tok().tokenize("Café NAÏVE") == ["cafe", "naive"])
        // Decomposed input (e + U+0301) strips the same way as precomposed.
        #expect(try tok().tokenize("Cafe\u{301}") == ["cafe"])
    }

    @Test func splitsPunctuationIncludingASCIISymbols() throws {
        #expect(try tok().tokenize("hello,world!") == ["hello", ",", "world", "!"])
        // $ ^ ` ~ are not Unicode P* but BERT treats ASCII 33-47/58-64/91-96/123-126 as punctuation.
        #expect(try tok().tokenize("$hello^world`~") == ["$", "hello", "^", "world", "`", "~"])
        // Unicode dash punctuation (Pd) splits too.
        #expect(try tok().tokenize("hello—world") == ["hello", "—", "world"])
        #expect(try tok().tokenize("world's") == ["world", "'", "s"])
    }

    @Test func splitsCJKIdeographsButNotKana() throws {
        #expect(try tok().tokenize("東京は") == ["東", "京", "は"])
        // Kana are not in the CJK ideograph ranges: "はは" stays one word and is [UNK] here.
        #expect(try tok().tokenize("東はは") == ["東", "[UNK]"])
    }

    @Test func wordPieceGreedyLongestMatch() throws {
        #expect(try tok().tokenize("unaffable") == ["un", "##aff", "##able"])
        // Longest match first: "abc" is a whole token, so no ##b ##c.
        #expect(try tok().tokenize("abc") == ["abc"])
        #expect(try tok().tokenize("abcbc") == ["abc", "##b", "##c"])
        // An unmatchable remainder turns the whole word into [UNK].
        #expect(try tok().tokenize("unaffx hello") == ["[UNK]", "hello"])
    }

    @Test func wordsOver100ScalarsAreUnknown() throws {
        let exactly100 = "a" + String(repeating: "b", count: 99)
        #expect(try tok().tokenize(exactly100) == ["a"] + Array(repeating: "##b", count: 99))
        #expect(try tok().tokenize(exactly100 + "b") == ["[UNK]"])
    }

    @Test func cleansControlCharactersAndWhitespace() throws {
        // NUL, U+FFFD and U+200B (Cf) vanish, joining the halves into one out-of-vocabulary word.
        #expect(try tok().tokenize("hello\u{0}\u{FFFD}\u{200B}world") == ["[UNK]"])
        #expect(try tok().tokenize("hello\u{200D}\tworld\u{00A0}\nhello") == ["hello", "world", "hello"])
        #expect(try tok().tokenize("   ").isEmpty)
    }

    @Test func specialTokensAndTruncation() throws {
        let t = try tok(maxLength: 6)
        #expect(t.encode("").ids == [id("[CLS]"), id("[SEP]")])
        let enc = t.encode("hello world hello world hello")
        #expect(enc.ids == [id("[CLS]"), id("hello"), id("world"), id("hello"), id("world"), id("[SEP]")])
        #expect(enc.truncated)
        // Truncation may cut inside a word's pieces, as Hugging Face does.
        let cut = t.encode("hello world unaffable")
        #expect(cut.ids == [id("[CLS]"), id("hello"), id("world"), id("un"), id("##aff"), id("[SEP]")])
        #expect(!t.encode("hello world").truncated)
    }

    @Test func paddingAndMasks() throws {
        let t = try tok()
        let batch = t.pad([t.encode("hello"), t.encode("hello world !")])
        #expect(batch.batch == 2 && batch.length == 5)
        #expect(batch.ids == [id("[CLS]"), id("hello"), id("[SEP]"), 0, 0,
                              id("[CLS]"), id("hello"), id("world"), id("!"), id("[SEP]")])
        #expect(batch.mask == [[true, true, true, false, false], [true, true, true, true, true]])
    }

    @Test func countTokensMatchesTokenize() throws {
        let t = try tok()
        for s in ["unaffable hello, world", "", "東京は abcbc"] { #expect(t.countTokens(s) == t.tokenize(s).count) }
    }

    @Test func vocabularyWithoutSpecialTokensIsRejected() {
        #expect(throws: TextEmbeddingError.self) { try WordPieceTokenizer(tokens: ["a", "b"]) }
    }
}
