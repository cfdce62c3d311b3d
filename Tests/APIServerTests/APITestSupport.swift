import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Platform
import Storage
import TestSupport
import Testing

/// Runs `body` against the real router on fresh SQLite-backed services, in process.
func withAPI(_ body: @Sendable @escaping (any TestClientProtocol, PlatformServices) async throws -> Void) async throws {
    try await TestDatabases.withServices(.sqlite) { services in
        let (router, _) = buildRouter(services: services)
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await body(client, services)
        }
    }
}

extension TestClientProtocol {
    /// Sends `json` (an object or raw text) and returns status and decoded body.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, raw: String? = nil) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        var buffer: ByteBuffer?
        if let raw { buffer = ByteBuffer(string: raw) }
        if let json { buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) }
        return try await execute(uri: uri, method: method, headers: [.contentType: "application/json"], body: buffer) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }
}

let mlflow = "/api/2.0/mlflow"
