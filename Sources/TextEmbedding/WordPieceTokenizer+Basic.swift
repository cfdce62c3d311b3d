import Foundation

extension WordPieceTokenizer {
    /// BERT's BasicTokenizer: words (as scalar arrays) after cleaning, CJK spacing,
    /// lower-casing, accent stripping and whitespace/punctuation splitting.
    public static func basicTokens(_ text: String) -> [[Unicode.Scalar]] {
        // Clean, space CJK, lower-case (per scalar, full mapping).
        var lowered = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            let v = c.value
            if v == 0 || v == 0xFFFD || isControl(c) { continue }
            if isWhitespace(c) { lowered.append(" "); continue }
            if isCJK(v) { lowered.append(" "); lowered.append(c); lowered.append(" "); continue }
            if v < 0x80 {
                lowered.append(v >= 65 && v <= 90 ? Unicode.Scalar(v + 32)! : c)
            } else {
                lowered.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
            }
        }
        // Strip accents: NFD, drop nonspacing marks.
        let decomposed = String(lowered).decomposedStringWithCanonicalMapping
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for c in decomposed.unicodeScalars {
            if c.value >= 0x80 && c.properties.generalCategory == .nonspacingMark { continue }
            if isWhitespace(c) {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
            } else if isPunctuation(c) {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
                words.append([c])
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Space, tab, newline, carriage return, or category Zs.
    @inlinable static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0..<0x80: return false
        default: return c.properties.generalCategory == .spaceSeparator
        }
    }

    /// Category C* except tab, newline, carriage return.
    @inlinable static func isControl(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x20..<0x7F: return false
        default:
            switch c.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned: return true
            default: return false
            }
        }
    }

    /// ASCII 33–47, 58–64, 91–96, 123–126, or category P*.
    @inlinable static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        if v < 0x80 { return false }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT spaces out (not kana or hangul).
    @inlinable static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
