/// A piece of a document for retrieval: its text, where it came from, and a content hash
/// so re-indexing can skip chunks whose text did not change.
public struct TextChunk: Sendable, Hashable, Codable {
    /// The source file path (as given to the chunker).
    public var file: String
    /// First and last line of the chunk, 1-based, inclusive.
    public var startLine: Int
    public var endLine: Int
    public var text: String
    /// Word pieces in `text` as counted by the chunker's counter.
    public var tokenCount: Int
    /// 64-bit FNV-1a of the UTF-8 text (`ContentHash.fnv1a64`); independent of file and lines.
    public var contentHash: UInt64

    public init(file: String, startLine: Int, endLine: Int, text: String, tokenCount: Int) {
        self.file = file; self.startLine = startLine; self.endLine = endLine
        self.text = text; self.tokenCount = tokenCount
        self.contentHash = ContentHash.fnv1a64(text)
    }
}

/// Stable, non-cryptographic content hashing (no crypto dependency).
public enum ContentHash {
    /// 64-bit FNV-1a (Fowler–Noll–Vo) over the UTF-8 bytes: offset basis
    /// 0xcbf29ce484222325, prime 0x100000001b3. Stable across runs and platforms. O(n).
    @inlinable public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The hash as 16 lower-case hex digits.
    public static func hex(_ h: UInt64) -> String {
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
