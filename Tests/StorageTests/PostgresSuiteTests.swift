import Foundation
import Storage
import TestSupport
import Testing

@Suite("Test environment")
struct TestEnvironmentTests {
    /// `make test` sets MLPLANE_REQUIRE_POSTGRES=1: then the repository suite must really
    /// run on PostgreSQL too, not silently fall back to SQLite only.
    @Test func postgresIsActiveWhenRequired() {
        if ProcessInfo.processInfo.environment["MLPLANE_REQUIRE_POSTGRES"] == "1" {
            #expect(TestDatabases.kinds.contains(.postgres), "MLPLANE_TEST_POSTGRES_URL is not set but PostgreSQL is required")
        }
    }
}
