import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A small JSON client for the MLPlane server, used by the `mlplane` client commands.
public struct APIClient: Sendable {
    public let baseURL: String

    /// An error the server answered, or a failure to reach it.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var status: Int
        public var code: String
        public var message: String
        public var description: String { status == 0 ? message : "\(code) (HTTP \(status)): \(message)" }
    }

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// Sends a request and returns the decoded JSON object of the answer.
    public func call(_ method: String, _ path: String, query: [String: String] = [:], body: [String: Any]? = nil) async throws -> [String: Any] {
        try await send(method, path, query: query, body: try body.map { try JSONSerialization.data(withJSONObject: $0) },
                       contentType: "application/json")
    }

    /// Uploads raw bytes (an artifact) with `PUT` and returns the decoded JSON answer.
    public func upload(_ path: String, contents: Data) async throws -> [String: Any] {
        try await send("PUT", path, query: [:], body: contents, contentType: "application/octet-stream")
    }

    private func send(_ method: String, _ path: String, query: [String: String], body: Data?, contentType: String) async throws -> [String: Any] {
        var components = URLComponents(string: baseURL + path)
        if !query.isEmpty { components?.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let url = components?.url?.absoluteString else { throw Failure(status: 0, code: "BAD_URL", message: "invalid server URL '\(baseURL)'") }
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw Failure(status: 0, code: "UNREACHABLE", message: "cannot reach \(baseURL): \(error)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Failure(status: Int(response.status.code), code: object["error_code"] as? String ?? "HTTP_ERROR",
                          message: object["message"] as? String ?? String(decoding: data, as: UTF8.self))
        }
        return object
    }
}
