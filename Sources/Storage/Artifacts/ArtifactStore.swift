import Crypto
import Foundation
import NIOCore
import SQLKit

#if canImport(Glibc)
import Glibc
#endif

/// Artifacts stored by content: each file's bytes live once under `root/sha256/ab/abcdef…`,
/// and the `artifact_files` table maps artifact paths to digests.
///
/// Uploads stream to a temporary file while they are hashed (memory stays bounded whatever
/// the size), are fsync'ed, renamed into place, and only then recorded, so a crash leaves
/// at worst an unreferenced blob, never a path that points at missing or partial bytes.
public struct ArtifactStore: Sendable {
    public let root: URL
    let client: any DatabaseClient

    public init(root: URL, client: any DatabaseClient) throws {
        self.root = root
        self.client = client
        for folder in ["sha256", "tmp"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    /// Stores the bytes of `body` at `path`, replacing any earlier file there.
    @discardableResult
    public func put<Body: AsyncSequence>(path: ArtifactPath, body: Body) async throws -> ArtifactFileInfo where Body.Element == ByteBuffer {
        let temporary = root.appendingPathComponent("tmp/\(UUID().uuidString)")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StorageError(.unavailable, "cannot create \(temporary.path): \(String(cString: strerror(errno)))") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
            unlink(temporary.path)
        }
        var hasher = SHA256()
        var size: Int64 = 0
        for try await buffer in body {
            try buffer.withUnsafeReadableBytes { bytes in
                hasher.update(bufferPointer: bytes)
                var offset = 0
                while offset < bytes.count {
                    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw StorageError(.unavailable, "cannot write artifact '\(path)': \(String(cString: strerror(errno)))")
                    }
                    offset += written
                }
            }
            size += Int64(buffer.readableBytes)
        }
        guard fsync(descriptor) == 0 else { throw StorageError(.unavailable, "cannot fsync artifact '\(path)'") }
        close(descriptor)
        closed = true
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let blob = blobURL(digest)
        try FileManager.default.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: blob.path) {
            guard rename(temporary.path, blob.path) == 0 else {
                throw StorageError(.unavailable, "cannot move artifact '\(path)' into place: \(String(cString: strerror(errno)))")
            }
        }
        let now = Clock.nowMillis()
        let storedSize = size
        try await client.write { db in
            try await db.raw("""
                INSERT INTO artifact_files (path, digest, size, created_time) VALUES (\(bind: path.value), \(bind: digest), \(bind: storedSize), \(bind: now))
                ON CONFLICT (path) DO UPDATE SET digest = excluded.digest, size = excluded.size, created_time = excluded.created_time
                """).run()
        }
        return ArtifactFileInfo(path: path.value, isDirectory: false, size: storedSize, digest: digest)
    }

    /// Stores `data` at `path` (for small files written by the server itself).
    @discardableResult
    public func put(path: ArtifactPath, data: some Sequence<UInt8>) async throws -> ArtifactFileInfo {
        try await put(path: path, body: SingleBuffer(buffer: ByteBuffer(bytes: data)))
    }

    /// The file at `path` and where its bytes are, or nil when there is none.
    public func file(at path: ArtifactPath) async throws -> (info: ArtifactFileInfo, location: URL)? {
        let row = try await client.read { db in
            try await db.raw("SELECT digest, size FROM artifact_files WHERE path = \(bind: path.value)").first()
        }
        guard let row else { return nil }
        let digest = try row.string("digest")
        return (ArtifactFileInfo(path: path.value, isDirectory: false, size: try row.int64("size"), digest: digest), blobURL(digest))
    }

    /// The whole content of the file at `path`.
    public func data(at path: ArtifactPath) async throws -> Data {
        guard let (_, location) = try await file(at: path) else { throw StorageError.notFound("no artifact at '\(path)'") }
        return try Data(contentsOf: location)
    }

    /// The direct children of `directory` (the root when nil): files with sizes, and subdirectories.
    public func list(directory: ArtifactPath?) async throws -> [ArtifactFileInfo] {
        let prefix = directory?.directoryPrefix ?? ""
        let rows = try await client.read { db in
            try await db.raw("""
                SELECT path, digest, size FROM artifact_files
                WHERE substr(path, 1, CAST(\(bind: prefix.utf8.count) AS INTEGER)) = \(bind: prefix) ORDER BY path
                """).all()
        }
        var entries: [String: ArtifactFileInfo] = [:]
        for row in rows {
            let full = try row.string("path")
            let rest = full.utf8.dropFirst(prefix.utf8.count)
            guard let rest = String(rest), !rest.isEmpty else { continue }
            if let slash = rest.firstIndex(of: "/") {
                let name = String(rest[..<slash])
                entries[name] = ArtifactFileInfo(path: name, isDirectory: true, size: nil, digest: nil)
            } else {
                entries[rest] = ArtifactFileInfo(path: rest, isDirectory: false, size: try row.int64("size"), digest: try row.string("digest"))
            }
        }
        return entries.values.sorted { $0.path < $1.path }
    }

    /// Removes the file at `path` or every file below it. Returns how many were removed.
    @discardableResult
    public func delete(_ path: ArtifactPath) async throws -> Int {
        try await client.write { db in
            try await db.raw("""
                DELETE FROM artifact_files WHERE path = \(bind: path.value)
                   OR substr(path, 1, CAST(\(bind: path.directoryPrefix.utf8.count) AS INTEGER)) = \(bind: path.directoryPrefix)
                RETURNING path
                """).all().count
        }
    }

    func blobURL(_ digest: String) -> URL {
        root.appendingPathComponent("sha256/\(digest.prefix(2))/\(digest)")
    }
}

/// An async sequence of one buffer, for storing in-memory data through the streaming path.
struct SingleBuffer: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffer: ByteBuffer
    struct AsyncIterator: AsyncIteratorProtocol {
        var buffer: ByteBuffer?
        mutating func next() async throws -> ByteBuffer? {
            defer { buffer = nil }
            return buffer
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}
