import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Artifacts stream through the real server: a 512 MiB upload and download keep the
/// server's peak memory far below the file size, and the bytes come back intact.
@Suite("Streaming artifacts (real binary)", .serialized)
struct StreamingArtifactTests {
    @Test func largeUploadInBoundedMemory() async throws {
        let binary = try ServerProcess.locateBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("mlplane-stream-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try await ServerProcess.start(binary: binary, dataDirectory: data)
        defer { server.kill9() }

        let chunk = 1 << 20, chunks = 512
        var pattern = [UInt8](repeating: 0, count: chunk)
        for i in pattern.indices { pattern[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        var expected = SHA256()
        for _ in 0..<chunks { expected.update(data: pattern) }
        let expectedDigest = Data(expected.finalize())

        let url = "\(server.baseURL)/api/2.0/mlflow-artifacts/artifacts/0/big/artifacts/blob.bin"
        var upload = HTTPClientRequest(url: url)
        upload.method = .PUT
        let buffer = ByteBuffer(bytes: pattern)
        let body = AsyncStream<ByteBuffer> { continuation in
            for _ in 0..<chunks { continuation.yield(buffer) }
            continuation.finish()
        }
        upload.body = .stream(body, length: .known(Int64(chunk * chunks)))
        let uploaded = try await HTTPClient.shared.execute(upload, timeout: .seconds(300))
        #expect(uploaded.status == .ok)
        _ = try await uploaded.body.collect(upTo: 1 << 16)

        let download = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(300))
        #expect(download.status == .ok)
        var hasher = SHA256()
        var received = 0
        for try await part in download.body {
            part.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            received += part.readableBytes
        }
        #expect(received == chunk * chunks)
        #expect(Data(hasher.finalize()) == expectedDigest, "downloaded bytes differ from the upload")

        let peak = try #require(Self.peakResidentMiB(pid: server.process.processIdentifier))
        #expect(peak < 200, "server peak memory \(peak) MiB while streaming \(chunks) MiB")
    }

    /// VmHWM (peak resident set) of a process, in MiB, from /proc.
    static func peakResidentMiB(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes / 1024
        }
        return nil
    }
}
