extension TextChunker {
    /// Paragraphs of lines `from..<to` (0-based), separated by blank lines.
    static func paragraphUnits(_ lines: [String], from: Int, to: Int) -> [Piece] {
        var out: [Piece] = []
        var start: Int?
        for i in from..<to {
            let blank = lines[i].allSatisfy { $0 == " " || $0 == "\t" }
            if blank {
                if let s = start { out.append(piece(lines, s, i)); start = nil }
            } else if start == nil { start = i }
        }
        if let s = start { out.append(piece(lines, s, to)) }
        return out
    }

    /// Lines `s..<e` (0-based) as a piece with 1-based line numbers.
    static func piece(_ lines: [String], _ s: Int, _ e: Int) -> Piece {
        Piece(text: lines[s..<e].joined(separator: "\n"), startLine: s + 1, endLine: e)
    }

    /// Markdown sections: a new unit at each ATX heading (`#`…`######` + space) outside
    /// ``` / ~~~ fences; each section is then split into paragraphs only if it is too long
    /// (the heading stays with its first paragraph via `fit`'s sentence/line fallback).
    static func markdownUnits(_ lines: [String]) -> [Piece] {
        var starts: [Int] = [0]
        var inFence = false
        for (i, l) in lines.enumerated() {
            let t = l.drop { $0 == " " }
            if t.hasPrefix("```") || t.hasPrefix("~~~") { inFence.toggle(); continue }
            if !inFence, isHeading(l), i > 0 { starts.append(i) }
        }
        starts.append(lines.count)
        var out: [Piece] = []
        for k in 0..<(starts.count - 1) where starts[k] < starts[k + 1] {
            let p = piece(lines, starts[k], starts[k + 1])
            if !p.text.allSatisfy(\.isWhitespace) { out.append(trimmed(p)) }
        }
        return out
    }

    static func isHeading(_ line: String) -> Bool {
        let hashes = line.prefix { $0 == "#" }.count
        return (1...6).contains(hashes) && (line.count == hashes || line.dropFirst(hashes).first == " ")
    }

    /// Source code: a new unit at each top-level declaration line (column 0, starting with a
    /// declaration keyword after modifiers/attributes), pulling along the comment and
    /// attribute lines directly above it.
    static func codeUnits(_ lines: [String]) -> [Piece] {
        var starts: [Int] = []
        for (i, l) in lines.enumerated() where isTopLevelDeclaration(l) {
            var s = i
            while s > 0, isLeadingDecoration(lines[s - 1]) { s -= 1 }
            if starts.last.map({ s > $0 }) ?? true { starts.append(s) }
        }
        if starts.first != 0 { starts.insert(0, at: 0) }
        starts.append(lines.count)
        var out: [Piece] = []
        for k in 0..<(starts.count - 1) where starts[k] < starts[k + 1] {
            let p = piece(lines, starts[k], starts[k + 1])
            if !p.text.allSatisfy(\.isWhitespace) { out.append(trimmed(p)) }
        }
        return out
    }

    static let declarationKeywords: Set<String> = [
        "func", "class", "struct", "enum", "protocol", "extension", "actor", "typealias", "let", "var", "init", "macro",
        "def", "async", "from", "import",
        "typedef", "union", "namespace", "template", "interface", "type", "fn", "impl", "trait", "mod", "const", "static",
        "function", "export", "void", "int", "float", "double", "char", "bool", "auto", "package",
    ]
    static let modifiers: Set<String> = ["public", "private", "internal", "fileprivate", "open", "final", "static", "package",
                                         "nonisolated", "inline", "extern", "unsafe", "pub", "override", "mutating", "indirect", "@MainActor"]

    static func isTopLevelDeclaration(_ line: String) -> Bool {
        guard let first = line.first, !first.isWhitespace, first != "}" else { return false }
        var words = line.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == "<" || $0 == ":" || $0 == "{" }).map(String.init)
        while let w = words.first, modifiers.contains(w) || (w.hasPrefix("@") && words.count > 1) { words.removeFirst() }
        guard let head = words.first else { return false }
        return declarationKeywords.contains(head) || (head == "#if" || head == "#pragma")
    }

    /// Comment, doc-comment, decorator and attribute lines at column 0.
    static func isLeadingDecoration(_ line: String) -> Bool {
        let t = line.drop { $0 == " " || $0 == "\t" }
        return t.hasPrefix("//") || t.hasPrefix("/*") || t.hasPrefix("*") || (t.hasPrefix("#") && !t.hasPrefix("#if") && !t.hasPrefix("#include"))
            || (line.hasPrefix("@") && !isTopLevelDeclaration(line))
    }

    /// Sentences of a piece (ends at `.`, `!`, `?` followed by whitespace), with line numbers.
    static func sentences(_ p: Piece) -> [Piece] {
        var out: [Piece] = []
        var current = ""
        var line = p.startLine, startLine = p.startLine
        let chars = Array(p.text)
        for (i, c) in chars.enumerated() {
            if current.isEmpty { if c.isWhitespace { if c == "\n" { line += 1 }; continue }; startLine = line }
            current.append(c)
            if c == "\n" { line += 1 }
            let atEnd = (c == "." || c == "!" || c == "?") && (i + 1 == chars.count || chars[i + 1].isWhitespace)
            if atEnd || i + 1 == chars.count {
                out.append(Piece(text: current, startLine: startLine, endLine: line))
                current = ""
            }
        }
        if !current.isEmpty { out.append(Piece(text: current, startLine: startLine, endLine: line)) }
        return out
    }

    /// Drops blank lines at the end of a piece, fixing its end line.
    static func trimmed(_ p: Piece) -> Piece {
        var lines = p.text.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace), lines.count > 1 { lines.removeLast() }
        var leading = 0
        while leading < lines.count - 1, lines[leading].allSatisfy(\.isWhitespace) { leading += 1 }
        let kept = lines[leading...]
        return Piece(text: kept.joined(separator: "\n"), startLine: p.startLine + leading, endLine: p.startLine + lines.count - 1)
    }
}
