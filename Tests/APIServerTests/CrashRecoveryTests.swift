import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// End to end with the real binary: every write acknowledged before `kill -9` is there
/// after a restart on the same data directory.
@Suite("Crash recovery (real binary)", .serialized)
struct CrashRecoveryTests {
    @Test func acknowledgedWritesSurviveKill9() async throws {
        let binary = try ServerProcess.locateBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("mlplane-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }

        var server = try await ServerProcess.start(binary: binary, dataDirectory: data)
        let base = server.baseURL
        let run = try await HTTP.json("POST", "\(base)/api/2.0/mlflow/runs/create", ["experiment_id": "0"])
        let runID = try #require(((run["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String)

        // 8 writers log metrics as fast as they can; each remembers what was acknowledged.
        let acknowledged = AcknowledgedSet()
        let writers = (0..<8).map { writer in
            Task {
                var step = 0
                while !Task.isCancelled {
                    let body: [String: Any] = ["run_id": runID, "key": "w\(writer)", "value": Double(step), "timestamp": 1, "step": step]
                    guard (try? await HTTP.json("POST", "\(base)/api/2.0/mlflow/runs/log-metric", body)) != nil else { return }
                    await acknowledged.insert(writer: writer, step: step)
                    step += 1
                }
            }
        }
        try await AcknowledgedSet.wait(for: acknowledged, atLeast: 60)
        server.kill9()
        for writer in writers { writer.cancel() }
        for writer in writers { await writer.value }
        let acked = await acknowledged.steps
        #expect(acked.values.map(\.count).reduce(0, +) > 50, "the writers should have logged something before the kill")

        server = try await ServerProcess.start(binary: binary, dataDirectory: data)
        defer { server.kill9() }
        for (writer, steps) in acked {
            let history = try await HTTP.json("GET", "\(server.baseURL)/api/2.0/mlflow/metrics/get-history?run_id=\(runID)&metric_key=w\(writer)")
            let stored = Set((history["metrics"] as? [[String: Any]] ?? []).compactMap { ($0["step"] as? NSNumber)?.intValue ?? Int($0["step"] as? String ?? "") })
            let lost = steps.subtracting(stored)
            #expect(lost.isEmpty, "writer \(writer): \(lost.count) acknowledged metrics lost after kill -9")
        }
    }
}

actor AcknowledgedSet {
    var steps: [Int: Set<Int>] = [:]
    private(set) var count = 0
    func insert(writer: Int, step: Int) {
        if steps[writer, default: []].insert(step).inserted { count += 1 }
    }

    /// Waits until at least `target` writes are acknowledged (or `deadline` passes), so a crash
    /// test kills the server mid-stream after real traffic however slow the machine is,
    /// instead of after a fixed sleep that a loaded CI host may not fill.
    static func wait(for set: AcknowledgedSet, atLeast target: Int, deadline: Duration = .seconds(60)) async throws {
        let clock = ContinuousClock(), end = clock.now + deadline
        while await set.count < target && clock.now < end { try await Task.sleep(for: .milliseconds(20)) }
    }
}

/// The mlplane binary running on a free loopback port.
struct ServerProcess {
    let process: Process
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `MLPLANE_BINARY`, or the debug build next to this package.
    static func locateBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["MLPLANE_BINARY"] { return URL(fileURLWithPath: path) }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let binary = root.appendingPathComponent(".build/debug/mlplane")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw HTTP.Failure(message: "no mlplane binary at \(binary.path): run `swift build` first or set MLPLANE_BINARY")
        }
        return binary
    }

    static func start(binary: URL, dataDirectory: URL) async throws -> ServerProcess {
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let process = Process()
            process.executableURL = binary
            process.arguments = ["serve", "--port", String(port), "--data-dir", dataDirectory.path, "--log-level", "error"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = ServerProcess(process: process, port: port)
            for _ in 0..<100 {
                if (try? await HTTP.json("GET", "\(server.baseURL)/healthz")) != nil { return server }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            server.kill9()
        }
        throw HTTP.Failure(message: "the server did not start")
    }

    func kill9() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

enum HTTP {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func json(_ method: String, _ url: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let body { request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = Data(buffer: try await response.body.collect(upTo: 16 << 20))
        guard (200..<300).contains(Int(response.status.code)) else { throw Failure(message: "HTTP \(response.status.code): \(String(decoding: data, as: UTF8.self))") }
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
