import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// The embedded default: one SQLite file in write-ahead-log mode.
///
/// SQLite allows one writer at a time, so writes go through a single connection behind an
/// ``AsyncSerialLock`` (transactions never interleave); reads use a second connection and
/// see the last committed state without waiting for writers. `synchronous=NORMAL` in WAL
/// mode keeps every committed transaction across a process crash (`kill -9`); `FULL`
/// (``Durability/full``) also survives power loss at the cost of an fsync per commit.
public final class SQLiteDatabaseClient: DatabaseClient {
    /// How hard SQLite works to keep a commit across failures.
    public enum Durability: String, Sendable {
        /// Survives a crash of the process (the default).
        case normal = "NORMAL"
        /// Also survives an operating-system crash or power loss.
        case full = "FULL"
    }

    public let kind = DatabaseKind.sqlite
    private let writer: SQLiteConnection
    private let reader: SQLiteConnection?
    private let writeLock = AsyncSerialLock()
    private let logger: Logger

    private init(writer: SQLiteConnection, reader: SQLiteConnection?, logger: Logger) {
        self.writer = writer
        self.reader = reader
        self.logger = logger
    }

    /// Opens (creating if needed) the database at `path`, or an in-memory one when `path` is nil.
    public static func open(path: String?, durability: Durability = .normal, logger: Logger) async throws -> SQLiteDatabaseClient {
        let storage: SQLiteConnection.Storage = path.map { .file(path: $0) } ?? .memory
        let writer: SQLiteConnection
        do {
            writer = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw StorageError(.unavailable, "cannot open the SQLite database at \(path ?? ":memory:"): \(error)")
        }
        let writerSQL = writer.sql(queryLogLevel: .trace)
        if path != nil {
            try await writerSQL.raw("PRAGMA journal_mode=WAL").run()
        }
        try await configure(writerSQL, durability: durability)
        var reader: SQLiteConnection?
        if path != nil {
            let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
            try await configure(connection.sql(queryLogLevel: .trace), durability: durability)
            reader = connection
        }
        return SQLiteDatabaseClient(writer: writer, reader: reader, logger: logger)
    }

    private static func configure(_ db: any SQLDatabase, durability: Durability) async throws {
        try await db.raw("PRAGMA synchronous=\(unsafeRaw: durability.rawValue)").run()
        try await db.raw("PRAGMA foreign_keys=ON").run()
        // LIKE is case-sensitive as in PostgreSQL; ILIKE is written as LOWER(x) LIKE LOWER(y).
        try await db.raw("PRAGMA case_sensitive_like=ON").run()
        try await db.raw("PRAGMA busy_timeout=10000").run()
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let reader {
            return try await body(reader.sql(queryLogLevel: .trace))
        }
        return try await writeLock.withLock { try await body(writer.sql(queryLogLevel: .trace)) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let db = writer.sql(queryLogLevel: .trace)
        return try await writeLock.withLock {
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let value = try await body(db)
                try await db.raw("COMMIT").run()
                return value
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func shutdown() async throws {
        try await reader?.close()
        try await writer.close()
    }
}
