import Foundation
import Logging
import SQLKit

/// Brings a database to the newest schema by applying the ``Migration``s it has not seen,
/// each in its own transaction, in version order. Safe to run from several processes at once
/// on PostgreSQL (an advisory lock serialises them) and idempotent.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Schema.migrations) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies pending migrations and returns the versions it applied.
    @discardableResult
    public func migrate(_ client: any DatabaseClient, logger: Logger) async throws -> [Int] {
        let migrations = self.migrations
        return try await client.write { db in
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """).run()
            if client.kind == .postgres {
                // Held until the transaction ends: concurrent replicas migrate one at a time.
                try await db.raw("SELECT pg_advisory_xact_lock(7243001)").run()
            }
            let rows = try await db.raw("SELECT version FROM schema_migrations").all()
            let applied = Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
            var newlyApplied: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.sql(for: client.kind) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Clock.nowMillis()))
                    """).run()
                logger.info("applied migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}

/// Wall-clock milliseconds since the Unix epoch, the unit MLflow uses for every timestamp.
public enum Clock {
    public static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
