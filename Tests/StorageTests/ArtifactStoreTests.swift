import Foundation
import Storage
import TestSupport
import Testing

@Suite("Artifact store")
struct ArtifactStoreTests {
    @Test("put, list, read, dedupe and delete", arguments: TestDatabases.kinds)
    func roundTrip(kind: DatabaseKind) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await TestDatabases.withDatabase(kind) { client in
            let store = try ArtifactStore(root: directory.url, client: client)
            let a = try await store.put(path: ArtifactPath("1/run/artifacts/model/weights.bin"), data: Array(repeating: UInt8(7), count: 100_000))
            let b = try await store.put(path: ArtifactPath("1/run/artifacts/copy.bin"), data: Array(repeating: UInt8(7), count: 100_000))
            try await store.put(path: ArtifactPath("1/run/artifacts/model/MLmodel"), data: Array("flavors: {}\n".utf8))
            #expect(a.digest == b.digest && a.size == 100_000)
            let blobs = try FileManager.default.subpathsOfDirectory(atPath: directory.url.appendingPathComponent("sha256").path).filter { $0.count > 10 }
            #expect(blobs.count == 2, "identical content is stored once")
            let root = try await store.list(directory: ArtifactPath("1/run/artifacts"))
            #expect(root == [
                ArtifactFileInfo(path: "copy.bin", isDirectory: false, size: 100_000, digest: a.digest),
                ArtifactFileInfo(path: "model", isDirectory: true, size: nil, digest: nil),
            ])
            #expect(try await store.list(directory: ArtifactPath("1/run/artifacts/model")).map(\.path) == ["MLmodel", "weights.bin"])
            #expect(String(decoding: try await store.data(at: ArtifactPath("1/run/artifacts/model/MLmodel")), as: UTF8.self) == "flavors: {}\n")
            #expect(try await store.delete(ArtifactPath("1/run/artifacts/model")) == 2)
            #expect(try await store.list(directory: ArtifactPath("1/run/artifacts")).map(\.path) == ["copy.bin"])
            #expect(try await store.file(at: ArtifactPath("1/run/artifacts/model/MLmodel")) == nil)
        }
    }

    @Test(arguments: ["", "/abs", "a/../b", "a/./b", "a//b", "a\\b", "..", "x/\0"])
    func rejectsUnsafePaths(path: String) {
        #expect(throws: StorageError.self) { try ArtifactPath(path) }
    }
}
