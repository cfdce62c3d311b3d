/// A hand-written recursive-descent parser for ``SearchFilter`` and ``OrderClause``.
/// Errors name the position and what was expected, so a user can fix the string.
struct FilterParser {
    private let text: String
    private let chars: [Character]
    private var index = 0

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    mutating func parseFilter() throws -> [FilterClause] {
        var clauses = [try parseClause()]
        while true {
            skipSpaces()
            if atEnd { return clauses }
            guard consumeKeyword("AND") else {
                if peekKeyword("OR") { throw error("OR is not supported; MLflow filters join clauses with AND only") }
                throw error("expected AND or the end of the filter")
            }
            clauses.append(try parseClause())
        }
    }

    mutating func parseOrderClause() throws -> OrderClause {
        let (entity, key) = try parseIdentifier()
        skipSpaces()
        var ascending = true
        if consumeKeyword("DESC") {
            ascending = false
        } else {
            _ = consumeKeyword("ASC")
        }
        skipSpaces()
        guard atEnd else { throw error("expected ASC, DESC or the end of the order_by clause") }
        return OrderClause(entity: entity, key: key, ascending: ascending)
    }

    // MARK: - Clauses

    private mutating func parseClause() throws -> FilterClause {
        let (entity, key) = try parseIdentifier()
        let comparator = try parseComparator()
        let value: FilterValue
        if comparator == .in || comparator == .notIn {
            value = .list(try parseList())
        } else {
            value = try parseValue()
        }
        let clause = FilterClause(entity: entity, key: key, comparator: comparator, value: value)
        try validate(clause)
        return clause
    }

    private func validate(_ clause: FilterClause) throws {
        let name = "\(clause.entity.rawValue) '\(clause.key)'"
        switch clause.entity {
        case .metric:
            guard clause.comparator.isNumeric, case .number = clause.value else {
                throw error("\(name) must be compared with =, !=, <, <=, > or >= to a number")
            }
        case .param, .tag:
            guard clause.comparator.isString else {
                throw error("\(name) must be compared with =, !=, LIKE, ILIKE, IN or NOT IN to a quoted string")
            }
            if case .number = clause.value { throw error("\(name) values are strings: quote the value") }
        case .attribute:
            break  // checked against the entity's attributes when compiled to SQL (FilterSQL)
        }
    }

    private mutating func parseIdentifier() throws -> (FilterClause.Entity, String) {
        skipSpaces()
        guard !atEnd else { throw error("expected an identifier such as metrics.rmse") }
        if let quoted = try parseQuotedIfPresent(allowSingle: false) {
            return (.attribute, quoted)
        }
        let word = readWord()
        guard !word.isEmpty else { throw error("expected an identifier such as metrics.rmse") }
        guard let dot = word.firstIndex(of: ".") else {
            return (.attribute, word)
        }
        let prefix = word[..<dot].lowercased()
        var key = String(word[word.index(after: dot)...])
        let entity: FilterClause.Entity
        switch prefix {
        case "metric", "metrics": entity = .metric
        case "param", "params", "parameter", "parameters": entity = .param
        case "tag", "tags": entity = .tag
        case "attribute", "attributes", "attr", "run": entity = .attribute
        default: throw error("unknown entity '\(word[..<dot])'; use metrics., params., tags. or attributes.")
        }
        if key.isEmpty {
            guard let quoted = try parseQuotedIfPresent(allowSingle: true) else { throw error("expected a key after '\(word)'") }
            key = quoted
        }
        return (entity, key)
    }

    private mutating func parseComparator() throws -> Comparator {
        skipSpaces()
        for symbol in ["!=", "<=", ">=", "<>", "=", "<", ">"] where consume(symbol) {
            switch symbol {
            case "<>": return .notEqual
            default: return Comparator(rawValue: symbol)!
            }
        }
        if consumeKeyword("LIKE") { return .like }
        if consumeKeyword("ILIKE") { return .ilike }
        if consumeKeyword("IN") { return .in }
        if consumeKeyword("NOT") {
            skipSpaces()
            if consumeKeyword("IN") { return .notIn }
            throw error("expected IN after NOT")
        }
        throw error("expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)")
    }

    private mutating func parseValue() throws -> FilterValue {
        skipSpaces()
        if let quoted = try parseQuotedIfPresent(allowSingle: true) { return .string(quoted) }
        let word = readWord()
        if let number = Double(word), !word.isEmpty { return .number(number) }
        throw error(word.isEmpty ? "expected a value" : "'\(word)' is not a number; quote string values")
    }

    private mutating func parseList() throws -> [String] {
        skipSpaces()
        guard consume("(") else { throw error("expected '(' to start the IN list") }
        var values: [String] = []
        while true {
            skipSpaces()
            guard let value = try parseQuotedIfPresent(allowSingle: true) else { throw error("IN lists hold quoted strings") }
            values.append(value)
            skipSpaces()
            if consume(")") { return values }
            guard consume(",") else { throw error("expected ',' or ')' in the IN list") }
        }
    }

    // MARK: - Lexing

    private var atEnd: Bool { index >= chars.count }

    private mutating func skipSpaces() {
        while !atEnd, chars[index].isWhitespace { index += 1 }
    }

    private mutating func readWord() -> String {
        let start = index
        while !atEnd, chars[index].isLetter || chars[index].isNumber || "_.-+:/".contains(chars[index]) {
            index += 1
        }
        return String(chars[start..<index])
    }

    /// Reads a quoted token if the next character opens one. A doubled quote inside is one quote.
    private mutating func parseQuotedIfPresent(allowSingle: Bool) throws -> String? {
        guard !atEnd else { return nil }
        let quote = chars[index]
        guard quote == "\"" || quote == "`" || (allowSingle && quote == "'") else { return nil }
        let start = index
        index += 1
        var value = ""
        while !atEnd {
            let c = chars[index]
            index += 1
            if c == "\\", !atEnd {
                value.append(chars[index])
                index += 1
            } else if c == quote {
                if !atEnd, chars[index] == quote {
                    value.append(quote)
                    index += 1
                } else {
                    return value
                }
            } else {
                value.append(c)
            }
        }
        index = start
        throw error("unterminated quote \(quote)")
    }

    private mutating func consume(_ symbol: String) -> Bool {
        let symbolChars = Array(symbol)
        guard index + symbolChars.count <= chars.count, Array(chars[index..<index + symbolChars.count]) == symbolChars else { return false }
        index += symbolChars.count
        return true
    }

    private func peekKeyword(_ keyword: String) -> Bool {
        var copy = self
        return copy.consumeKeyword(keyword)
    }

    private mutating func consumeKeyword(_ keyword: String) -> Bool {
        skipSpaces()
        let end = index + keyword.count
        guard end <= chars.count, String(chars[index..<end]).uppercased() == keyword else { return false }
        if end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "_" { return false }
        index = end
        return true
    }

    private func error(_ message: String) -> StorageError {
        StorageError.invalidInput("invalid filter '\(text)' at position \(min(index, chars.count) + 1): \(message)")
    }
}
