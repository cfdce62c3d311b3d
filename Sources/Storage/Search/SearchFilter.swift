import Foundation

/// A parsed MLflow search filter: clauses joined by `AND`, for example
/// `metrics.rmse < 1 and params.lr = '0.01' and tags.team = 'ran' and attributes.status = 'FINISHED'`.
///
/// Grammar (as MLflow's): `clause (AND clause)*`; a clause is `identifier comparator value`;
/// an identifier is `entity.key` (entity `metrics`, `params`, `tags` or `attributes`, with
/// MLflow's singular and short spellings) or a bare attribute name; keys with spaces or
/// dots may be quoted with backticks or double quotes; values are quoted strings, numbers,
/// or a parenthesised list of strings after `IN` / `NOT IN`.
public struct SearchFilter: Sendable, Equatable {
    public var clauses: [FilterClause]

    public static let matchAll = SearchFilter(clauses: [])

    public init(clauses: [FilterClause]) {
        self.clauses = clauses
    }

    /// Parses `text`; an empty or nil filter matches everything.
    public init(parsing text: String?) throws {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            self.clauses = []
            return
        }
        var parser = FilterParser(text)
        self.clauses = try parser.parseFilter()
    }
}

/// One `identifier comparator value` condition.
public struct FilterClause: Sendable, Equatable {
    public enum Entity: String, Sendable {
        case metric, param, tag, attribute
    }

    public var entity: Entity
    public var key: String
    public var comparator: Comparator
    public var value: FilterValue

    public init(entity: Entity, key: String, comparator: Comparator, value: FilterValue) {
        self.entity = entity
        self.key = key
        self.comparator = comparator
        self.value = value
    }
}

public enum Comparator: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case like = "LIKE"
    case ilike = "ILIKE"
    case `in` = "IN"
    case notIn = "NOT IN"

    var isNegation: Bool { self == .notEqual || self == .notIn }

    var isNumeric: Bool { [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
    var isString: Bool { [.equal, .notEqual, .like, .ilike, .in, .notIn].contains(self) }
}

extension FilterClause {
    /// The same clause with `!=` as `=` and `NOT IN` as `IN`.
    var negated: FilterClause {
        var copy = self
        switch comparator {
        case .notEqual: copy.comparator = .equal
        case .notIn: copy.comparator = .in
        default: break
        }
        return copy
    }
}

public enum FilterValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case list([String])
}

/// One `ORDER BY` term: `metrics.rmse DESC`, `attributes.start_time`, `name ASC`.
public struct OrderClause: Sendable, Equatable {
    public var entity: FilterClause.Entity
    public var key: String
    public var ascending: Bool

    public init(entity: FilterClause.Entity, key: String, ascending: Bool) {
        self.entity = entity
        self.key = key
        self.ascending = ascending
    }

    public init(parsing text: String) throws {
        var parser = FilterParser(text)
        self = try parser.parseOrderClause()
    }
}
