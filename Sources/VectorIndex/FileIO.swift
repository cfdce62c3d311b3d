#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX file helpers (no Foundation): whole-file read, atomic replace, fsync.
enum FileIO {
    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Reads a whole file.
    static func read(_ path: String) throws(VectorIndexError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw VectorIndexError(.io, "cannot open \(path): \(errnoText())") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw VectorIndexError(.io, "cannot stat \(path): \(errnoText())") }
        let size = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        let failed: Bool = bytes.withUnsafeMutableBytes { buf in
            while done < size {
                let r = Glibc.read(fd, buf.baseAddress! + done, size - done)
                if r < 0 && errno == EINTR { continue }
                if r <= 0 { return true }
                done += r
            }
            return false
        }
        if failed { throw VectorIndexError(.io, "short read of \(path) at byte \(done) of \(size): \(errnoText())") }
        return bytes
    }

    /// Writes all of `bytes` to `fd`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(VectorIndexError) {
        var done = 0
        while done < bytes.count {
            let r = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { throw VectorIndexError(.io, "write to \(path) failed: \(errnoText())") }
            done += r
        }
    }

    static func fsyncOrThrow(_ fd: Int32, path: String) throws(VectorIndexError) {
        guard fsync(fd) == 0 else { throw VectorIndexError(.io, "fsync of \(path) failed: \(errnoText())") }
    }

    /// Fsyncs a directory so that a rename or create inside it is durable.
    static func fsyncDirectory(_ path: String) throws(VectorIndexError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw VectorIndexError(.io, "cannot open directory \(path): \(errnoText())") }
        defer { close(fd) }
        try fsyncOrThrow(fd, path: path)
    }

    /// Replaces `path` atomically: writes `path.tmp`, fsyncs it, renames, fsyncs the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(VectorIndexError) {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw VectorIndexError(.io, "cannot create \(tmp): \(errnoText())") }
        do throws(VectorIndexError) {
            let written: Result<Void, VectorIndexError> = bytes.withUnsafeBytes { b in
                Result { () throws(VectorIndexError) in try writeAll(fd, b, path: tmp) }
            }
            try written.get()
            try fsyncOrThrow(fd, path: tmp)
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        guard rename(tmp, path) == 0 else { throw VectorIndexError(.io, "cannot rename \(tmp) to \(path): \(errnoText())") }
        try fsyncDirectory(directory(of: path))
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    static func makeDirectory(_ path: String) throws(VectorIndexError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw VectorIndexError(.io, "cannot create directory \(path): \(errnoText())")
        }
    }
}

/// A read-only memory map of a whole file (used to keep full vectors on disk for re-scoring).
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    public let bytes: UnsafeRawPointer

    /// Maps `path` read-only. Throws `.io` when it cannot be opened or mapped.
    public init(path: String) throws(VectorIndexError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw VectorIndexError(.io, "cannot open \(path): \(FileIO.errnoText())") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw VectorIndexError(.io, "cannot stat \(path): \(FileIO.errnoText())") }
        count = Int(st.st_size)
        guard count > 0 else { throw VectorIndexError(.corruptFile, "\(path) is empty") }
        let p = mmap(nil, count, PROT_READ, MAP_SHARED, fd, 0)
        guard let p, p != MAP_FAILED else { throw VectorIndexError(.io, "cannot mmap \(path): \(FileIO.errnoText())") }
        bytes = UnsafeRawPointer(p)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
}
