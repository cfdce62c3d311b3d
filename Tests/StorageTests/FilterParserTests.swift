import Storage
import Testing

@Suite("MLflow filter parser")
struct FilterParserTests {
    @Test func parsesTheIssueExample() throws {
        let filter = try SearchFilter(parsing: "metrics.rmse < 1 and params.lr = '0.01' and tags.team = 'ran' and attributes.status = 'FINISHED'")
        #expect(filter.clauses == [
            FilterClause(entity: .metric, key: "rmse", comparator: .less, value: .number(1)),
            FilterClause(entity: .param, key: "lr", comparator: .equal, value: .string("0.01")),
            FilterClause(entity: .tag, key: "team", comparator: .equal, value: .string("ran")),
            FilterClause(entity: .attribute, key: "status", comparator: .equal, value: .string("FINISHED")),
        ])
    }

    @Test func quotedKeysAliasesAndLists() throws {
        let filter = try SearchFilter(parsing: #"tag.`mlflow.prompt.is_prompt` != 'true' AND metric."my loss" >= -1.5e-3 and run_id NOT IN ('a', "b") and tags.mlflow.runName ILIKE '%x%'"#)
        #expect(filter.clauses == [
            FilterClause(entity: .tag, key: "mlflow.prompt.is_prompt", comparator: .notEqual, value: .string("true")),
            FilterClause(entity: .metric, key: "my loss", comparator: .greaterOrEqual, value: .number(-1.5e-3)),
            FilterClause(entity: .attribute, key: "run_id", comparator: .notIn, value: .list(["a", "b"])),
            FilterClause(entity: .tag, key: "mlflow.runName", comparator: .ilike, value: .string("%x%")),
        ])
    }

    @Test func emptyFilterMatchesAll() throws {
        #expect(try SearchFilter(parsing: "  ").clauses.isEmpty)
        #expect(try SearchFilter(parsing: nil).clauses.isEmpty)
    }

    @Test(arguments: [
        ("metrics.rmse <", "expected a value"),
        ("metrics.rmse < 'x'", "must be compared"),
        ("params.lr = 0.1", "quote the value"),
        ("metrics.a < 1 or metrics.b < 2", "OR is not supported"),
        ("colour.x = 'red'", "unknown entity"),
        ("tags.t = 'unterminated", "unterminated quote"),
        ("metrics.a < 1 metrics.b < 2", "expected AND"),
        ("tags.t IN 'a'", "expected '('"),
        ("metrics.x ~ 1", "expected a comparator"),
    ])
    func rejectsWithAClearMessage(input: String, fragment: String) {
        let error = #expect(throws: StorageError.self) { try SearchFilter(parsing: input) }
        #expect(error?.message.contains(fragment) == true, "message was: \(error?.message ?? "none")")
        #expect(error?.code == .invalidInput)
    }

    @Test func orderClauses() throws {
        #expect(try OrderClause(parsing: "metrics.rmse DESC") == OrderClause(entity: .metric, key: "rmse", ascending: false))
        #expect(try OrderClause(parsing: "start_time") == OrderClause(entity: .attribute, key: "start_time", ascending: true))
        #expect(throws: StorageError.self) { try OrderClause(parsing: "metrics.rmse SIDEWAYS") }
    }
}
