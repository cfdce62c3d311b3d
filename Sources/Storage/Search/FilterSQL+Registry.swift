import SQLKit

extension FilterSQL {
    static let modelAttributes: [String: (column: String, numeric: Bool)] = [
        "name": ("m.name", false),
        "creation_timestamp": ("m.creation_time", true), "last_updated_timestamp": ("m.last_updated_time", true),
    ]

    static let versionAttributes: [String: (column: String, numeric: Bool)] = [
        "name": ("v.name", false), "run_id": ("v.run_id", false), "source_path": ("v.source", false),
        "source": ("v.source", false), "current_stage": ("v.current_stage", false), "model_id": ("v.model_id", false),
        "version_number": ("v.version", true), "version": ("v.version", true),
        "creation_timestamp": ("v.creation_time", true), "last_updated_timestamp": ("v.last_updated_time", true),
    ]

    static func registeredModels(filter: SearchFilter) throws -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        for clause in filter.clauses {
            switch clause.entity {
            case .tag where clause.comparator.isNegation:
                // As MLflow's registry does: `tags.k != 'v'` also matches models without the tag
                // (clients rely on it to hide prompts: tag.`mlflow.prompt.is_prompt` != 'true').
                parts.append("m.name NOT IN (SELECT name FROM registered_model_tags WHERE key = \(bind: clause.key) AND \(try stringCondition("value", clause.negated)))")
            case .tag:
                parts.append("m.name IN (SELECT name FROM registered_model_tags WHERE key = \(bind: clause.key) AND \(try stringCondition("value", clause)))")
            case .attribute:
                parts.append(try attributeCondition(clause, in: modelAttributes, entity: "registered model"))
            case .metric, .param:
                throw StorageError.invalidInput("registered model filters take name and tags, not \(clause.entity.rawValue)s")
            }
        }
        return parts.joined(separator: " AND ")
    }

    static func modelVersions(filter: SearchFilter) throws -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        for clause in filter.clauses {
            switch clause.entity {
            case .tag where clause.comparator.isNegation:
                parts.append("""
                    NOT EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version
                    AND t.key = \(bind: clause.key) AND \(try stringCondition("t.value", clause.negated)))
                    """)
            case .tag:
                parts.append("""
                    EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version
                    AND t.key = \(bind: clause.key) AND \(try stringCondition("t.value", clause)))
                    """)
            case .attribute:
                parts.append(try attributeCondition(clause, in: versionAttributes, entity: "model version"))
            case .metric, .param:
                throw StorageError.invalidInput("model version filters take name, run_id, source_path, version_number and tags, not \(clause.entity.rawValue)s")
            }
        }
        return parts.joined(separator: " AND ")
    }

    static func order(_ clauses: [OrderClause], in attributes: [String: (column: String, numeric: Bool)], tieBreak: SQLQueryString, entity: String) throws -> SQLQueryString {
        var terms: [SQLQueryString] = []
        for clause in clauses {
            guard clause.entity == .attribute, let attribute = attributes[clause.key] else {
                throw StorageError.invalidInput("cannot order \(entity)s by '\(clause.key)'; use one of \(attributes.keys.sorted().joined(separator: ", "))")
            }
            terms.append("\(unsafeRaw: attribute.column) \(unsafeRaw: clause.ascending ? "ASC" : "DESC")")
        }
        terms.append(tieBreak)
        return terms.joined(separator: ", ")
    }
}
