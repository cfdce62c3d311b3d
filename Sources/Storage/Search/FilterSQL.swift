import SQLKit

/// Compiles ``SearchFilter`` and ``OrderClause`` values to SQL for runs and experiments.
/// Every user value is a bind parameter; identifiers come from fixed tables only.
enum FilterSQL {
    /// Run attributes a filter or ordering may name, mapped to columns of `runs r`.
    static let runAttributes: [String: (column: String, numeric: Bool)] = [
        "run_id": ("r.run_uuid", false), "run_uuid": ("r.run_uuid", false),
        "run_name": ("r.run_name", false), "status": ("r.status", false),
        "user_id": ("r.user_id", false), "artifact_uri": ("r.artifact_uri", false),
        "lifecycle_stage": ("r.lifecycle_stage", false),
        "start_time": ("r.start_time", true), "created": ("r.start_time", true), "Created": ("r.start_time", true),
        "end_time": ("r.end_time", true),
    ]

    static let experimentAttributes: [String: (column: String, numeric: Bool)] = [
        "name": ("e.name", false), "experiment_id": ("e.experiment_id", true),
        "creation_time": ("e.creation_time", true), "last_update_time": ("e.last_update_time", true),
    ]

    // MARK: Runs

    static func runs(filter: SearchFilter, experimentIDs: [Int64], stages: [String]) throws -> SQLQueryString {
        var parts: [SQLQueryString] = [
            "r.experiment_id IN (\(binds: experimentIDs))",
            "r.lifecycle_stage IN (\(binds: stages))",
        ]
        for clause in filter.clauses {
            switch clause.entity {
            case .metric:
                guard case .number(let number) = clause.value else { continue }
                parts.append("""
                    r.run_uuid IN (SELECT run_uuid FROM latest_metrics WHERE key = \(bind: clause.key)
                    AND is_nan = 0 AND value \(unsafeRaw: clause.comparator.rawValue) \(bind: number))
                    """)
            case .param:
                parts.append("r.run_uuid IN (SELECT run_uuid FROM params WHERE key = \(bind: clause.key) AND \(try stringCondition("value", clause)))")
            case .tag:
                parts.append("r.run_uuid IN (SELECT run_uuid FROM run_tags WHERE key = \(bind: clause.key) AND \(try stringCondition("value", clause)))")
            case .attribute:
                parts.append(try attributeCondition(clause, in: runAttributes, entity: "run"))
            }
        }
        return parts.joined(separator: " AND ")
    }

    /// The joins and the ORDER BY list for ordering runs; NULLs (runs without the metric,
    /// param or tag) sort last either way, then newest first, then by id for a stable order.
    static func runOrder(_ clauses: [OrderClause]) throws -> (joins: SQLQueryString, order: SQLQueryString) {
        var joins: [SQLQueryString] = []
        var terms: [SQLQueryString] = []
        for (index, clause) in clauses.enumerated() {
            let direction = clause.ascending ? "ASC" : "DESC"
            let alias = "o\(index)"
            let table: String
            switch clause.entity {
            case .attribute:
                guard let attribute = runAttributes[clause.key] else {
                    throw StorageError.invalidInput("cannot order by unknown run attribute '\(clause.key)'; known: \(runAttributes.keys.sorted().joined(separator: ", "))")
                }
                terms.append("\(unsafeRaw: attribute.column) IS NULL, \(unsafeRaw: attribute.column) \(unsafeRaw: direction)")
                continue
            case .metric: table = "latest_metrics"
            case .param: table = "params"
            case .tag: table = "run_tags"
            }
            joins.append(" LEFT JOIN \(unsafeRaw: table) \(unsafeRaw: alias) ON \(unsafeRaw: alias).run_uuid = r.run_uuid AND \(unsafeRaw: alias).key = \(bind: clause.key)")
            terms.append("\(unsafeRaw: alias).value IS NULL, \(unsafeRaw: alias).value \(unsafeRaw: direction)")
        }
        terms.append("r.start_time DESC, r.run_uuid")
        return (joins.joined(), terms.joined(separator: ", "))
    }

    // MARK: Experiments

    static func experiments(filter: SearchFilter, stages: [String]) throws -> SQLQueryString {
        var parts: [SQLQueryString] = ["e.lifecycle_stage IN (\(binds: stages))"]
        for clause in filter.clauses {
            switch clause.entity {
            case .tag:
                parts.append("e.experiment_id IN (SELECT experiment_id FROM experiment_tags WHERE key = \(bind: clause.key) AND \(try stringCondition("value", clause)))")
            case .attribute:
                parts.append(try attributeCondition(clause, in: experimentAttributes, entity: "experiment"))
            case .metric, .param:
                throw StorageError.invalidInput("experiment filters take attributes (name, creation_time, last_update_time) and tags, not \(clause.entity.rawValue)s")
            }
        }
        return parts.joined(separator: " AND ")
    }

    static func experimentOrder(_ clauses: [OrderClause]) throws -> SQLQueryString {
        var terms: [SQLQueryString] = []
        for clause in clauses {
            guard clause.entity == .attribute, let attribute = experimentAttributes[clause.key] else {
                throw StorageError.invalidInput("cannot order experiments by '\(clause.key)'; use name, experiment_id, creation_time or last_update_time")
            }
            terms.append("\(unsafeRaw: attribute.column) \(unsafeRaw: clause.ascending ? "ASC" : "DESC")")
        }
        terms.append("e.experiment_id ASC")
        return terms.joined(separator: ", ")
    }

    // MARK: Conditions

    static func attributeCondition(_ clause: FilterClause, in attributes: [String: (column: String, numeric: Bool)], entity: String) throws -> SQLQueryString {
        guard let attribute = attributes[clause.key] else {
            throw StorageError.invalidInput("unknown \(entity) attribute '\(clause.key)'; known: \(attributes.keys.sorted().joined(separator: ", "))")
        }
        if attribute.numeric {
            guard case .number(let number) = clause.value, clause.comparator.isNumeric else {
                throw StorageError.invalidInput("\(entity) attribute '\(clause.key)' is compared with =, !=, <, <=, > or >= to a number")
            }
            return "\(unsafeRaw: attribute.column) \(unsafeRaw: clause.comparator.rawValue) \(bind: Int64(number))"
        }
        return try stringCondition(attribute.column, clause)
    }

    static func stringCondition(_ column: String, _ clause: FilterClause) throws -> SQLQueryString {
        switch (clause.comparator, clause.value) {
        case (.equal, .string(let s)), (.notEqual, .string(let s)), (.like, .string(let s)):
            return "\(unsafeRaw: column) \(unsafeRaw: clause.comparator.rawValue) \(bind: s)"
        case (.ilike, .string(let s)):
            return "LOWER(\(unsafeRaw: column)) LIKE LOWER(\(bind: s))"
        case (.in, .list(let values)):
            return "\(unsafeRaw: column) IN (\(binds: values))"
        case (.notIn, .list(let values)):
            return "\(unsafeRaw: column) NOT IN (\(binds: values))"
        default:
            throw StorageError.invalidInput("'\(clause.key)' takes a quoted string with =, !=, LIKE or ILIKE, or a list with IN / NOT IN")
        }
    }
}
