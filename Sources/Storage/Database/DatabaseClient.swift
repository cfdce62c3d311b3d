import Logging
import SQLKit

/// Which SQL engine a ``DatabaseClient`` talks to. Repositories use it for the few places
/// where SQLite and PostgreSQL differ (identity columns, case-insensitive LIKE).
public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgres
}

/// A connection to the metadata database, embedded SQLite or PostgreSQL.
///
/// All repositories go through these two entry points so that transactions work the same
/// on both engines: `read` for queries that need no transaction, `write` for a unit of
/// work that commits as a whole or not at all.
public protocol DatabaseClient: Sendable {
    var kind: DatabaseKind { get }

    /// Runs `body` against the database outside a transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Closes connections. The client is unusable afterwards.
    func shutdown() async throws
}

/// Opens database clients from URLs.
public enum Databases {
    /// Opens the database a URL names: `sqlite:///path/to/file.sqlite`, `sqlite::memory:`,
    /// or `postgres://user:password@host:5432/database`.
    public static func open(url: String, sqliteDurability: SQLiteDatabaseClient.Durability = .normal, logger: Logger) async throws -> any DatabaseClient {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return try await PostgresDatabaseClient.connect(url: url, logger: logger)
        }
        if url == "sqlite::memory:" {
            return try await SQLiteDatabaseClient.open(path: nil, durability: sqliteDurability, logger: logger)
        }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw StorageError.invalidInput("the SQLite URL '\(url)' names no file") }
            return try await SQLiteDatabaseClient.open(path: path, durability: sqliteDurability, logger: logger)
        }
        throw StorageError.invalidInput(
            "unsupported database URL '\(url)': use sqlite:///path/file.sqlite or postgres://user:password@host:port/database"
        )
    }
}
