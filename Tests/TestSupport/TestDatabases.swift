import Foundation
import Logging
import Platform
import Storage

/// The databases the repository suite runs on: SQLite always, PostgreSQL when
/// `MLPLANE_TEST_POSTGRES_URL` names a server (`make test` starts one on loopback).
public enum TestDatabases {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["MLPLANE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// SQLite, plus PostgreSQL when a test server is available.
    public static var kinds: [DatabaseKind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static let logger: Logger = {
        var logger = Logger(label: "mlplane.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a fresh, migrated, empty database of `kind`, removed afterwards.
    public static func withDatabase<T: Sendable>(_ kind: DatabaseKind, _ body: (any DatabaseClient) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        switch kind {
        case .sqlite:
            let client = try await SQLiteDatabaseClient.open(path: directory.url.appendingPathComponent("test.sqlite").path, logger: logger)
            return try await run(client, body)
        case .postgres:
            guard let url = postgresURL else { fatalError("PostgreSQL requested but MLPLANE_TEST_POSTGRES_URL is not set") }
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let admin = try await PostgresDatabaseClient.connect(url: url, maxConnectionsPerEventLoop: 1, logger: logger)
            try await admin.execute("CREATE DATABASE \(name)")
            do {
                let client = try await PostgresDatabaseClient.connect(url: replacingDatabase(in: url, with: name), logger: logger)
                let value = try await run(client, body)
                try await admin.execute("DROP DATABASE \(name) WITH (FORCE)")
                try await admin.shutdown()
                return value
            } catch {
                try? await admin.execute("DROP DATABASE \(name) WITH (FORCE)")
                try? await admin.shutdown()
                throw error
            }
        }
    }

    /// Runs `body` with platform services on a fresh database of `kind` and a temporary artifact folder.
    public static func withServices<T: Sendable>(_ kind: DatabaseKind, _ body: (PlatformServices) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try await withDatabase(kind) { client in
            let services = try PlatformServices(database: client, artifactRoot: directory.url.appendingPathComponent("artifacts"))
            try await services.tracking.bootstrap()
            return try await body(services)
        }
    }

    private static func run<T>(_ client: any DatabaseClient, _ body: (any DatabaseClient) async throws -> T) async throws -> T {
        do {
            try await Migrator().migrate(client, logger: logger)
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}

/// A folder under the system temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mlplane-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
