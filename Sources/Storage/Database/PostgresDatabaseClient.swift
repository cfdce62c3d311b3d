@preconcurrency import AsyncKit
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit

/// Metadata on PostgreSQL: a pool of connections, each transaction on one leased connection.
public final class PostgresDatabaseClient: DatabaseClient, @unchecked Sendable {
    // The pool is thread-safe (it synchronises on its event loops); AsyncKit predates Sendable annotations.
    public let kind = DatabaseKind.postgres
    private let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    private let logger: Logger

    private init(pool: EventLoopGroupConnectionPool<PostgresConnectionSource>, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Connects to `url` (`postgres://user:password@host:port/database`; `?sslmode=disable` is
    /// accepted) and checks the server answers.
    public static func connect(url: String, maxConnectionsPerEventLoop: Int = 4, logger: Logger) async throws -> PostgresDatabaseClient {
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw StorageError.invalidInput("cannot read the PostgreSQL URL: \(error)")
        }
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton
        )
        let client = PostgresDatabaseClient(pool: pool, logger: logger)
        do {
            _ = try await client.read { try await $0.raw("SELECT 1 AS ok").all() }
        } catch {
            try? await pool.shutdownAsync()
            throw StorageError(.unavailable, "cannot reach PostgreSQL: \(String(reflecting: error))")
        }
        return client
    }

    private var database: any SQLDatabase {
        pool.database(logger: logger).sql(queryLogLevel: .trace)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await body(database)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.withSession { session in
            try await session.raw("BEGIN").run()
            do {
                let value = try await body(session)
                try await session.raw("COMMIT").run()
                return value
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func shutdown() async throws {
        try await pool.shutdownAsync()
    }
}

extension DatabaseClient {
    /// Runs one statement outside a transaction (for DDL such as CREATE DATABASE).
    public func execute(_ sql: String) async throws {
        try await read { db in try await db.raw(SQLQueryString(sql)).run() }
    }
}
