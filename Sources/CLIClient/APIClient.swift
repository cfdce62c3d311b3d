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

    /// Streams the answer of a `GET` into `file` (created or replaced); returns the byte count.
    /// On any failure the partial file is removed.
    public func download(_ path: String, to file: URL) async throws -> Int {
        let response = try await execute(HTTPClientRequest(url: try url(path, query: [:])), timeout: .seconds(3600))
        guard (200..<300).contains(Int(response.status.code)) else { throw try await failure(response) }
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
            throw Failure(status: 0, code: "IO_ERROR", message: "cannot write '\(file.path)'")
        }
        var written = 0
        do {
            for try await chunk in response.body {
                try handle.write(contentsOf: chunk.readableBytesView)
                written += chunk.readableBytes
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        return written
    }

    /// Streams `file` as the body of a `POST` (1 MiB chunks) and returns the decoded JSON answer.
    public func uploadFile(_ path: String, query: [String: String] = [:], file: URL) async throws -> [String: Any] {
        guard let handle = try? FileHandle(forReadingFrom: file),
              let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? Int else {
            throw Failure(status: 0, code: "IO_ERROR", message: "cannot read '\(file.path)'")
        }
        defer { try? handle.close() }
        let chunks = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            while true {
                do {
                    guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { break }
                    continuation.yield(ByteBuffer(data: data))
                } catch {
                    continuation.finish(throwing: error)
                    return
                }
            }
            continuation.finish()
        }
        var request = HTTPClientRequest(url: try url(path, query: query))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .stream(chunks, length: .known(Int64(size)))
        let response = try await execute(request, timeout: .seconds(3600))
        return try await decode(response)
    }

    private func url(_ path: String, query: [String: String]) throws -> String {
        var components = URLComponents(string: baseURL + path)
        if !query.isEmpty { components?.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let url = components?.url?.absoluteString else { throw Failure(status: 0, code: "BAD_URL", message: "invalid server URL '\(baseURL)'") }
        return url
    }

    private func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        do {
            return try await HTTPClient.shared.execute(request, timeout: timeout)
        } catch {
            throw Failure(status: 0, code: "UNREACHABLE", message: "cannot reach \(baseURL): \(error)")
        }
    }

    /// The JSON object of a 2xx answer, or the server's error as a ``Failure``.
    private func decode(_ response: HTTPClientResponse) async throws -> [String: Any] {
        let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Failure(status: Int(response.status.code), code: object["error_code"] as? String ?? "HTTP_ERROR",
                          message: object["message"] as? String ?? String(decoding: data, as: UTF8.self))
        }
        return object
    }

    private func failure(_ response: HTTPClientResponse) async throws -> Failure {
        do {
            _ = try await decode(response)
            return Failure(status: Int(response.status.code), code: "HTTP_ERROR", message: "unexpected answer")
        } catch let failure as Failure {
            return failure
        }
    }

    private func send(_ method: String, _ path: String, query: [String: String], body: Data?, contentType: String) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: try url(path, query: query))
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(data: body))
        }
        return try await decode(try await execute(request, timeout: .seconds(30)))
    }
}
