/// A validated relative artifact path such as `1/abc123/artifacts/model/MLmodel`:
/// no empty, `.` or `..` segments, no leading `/`, no backslashes or NUL bytes.
public struct ArtifactPath: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String) throws {
        let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard !trimmed.isEmpty else { throw StorageError.invalidInput("the artifact path is empty") }
        guard !trimmed.hasPrefix("/") else { throw StorageError.invalidInput("artifact path '\(raw)' must be relative, not start with '/'") }
        guard !trimmed.contains("\\"), !trimmed.contains("\0") else {
            throw StorageError.invalidInput("artifact path '\(raw)' contains a backslash or NUL byte")
        }
        for segment in trimmed.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment != ".", segment != ".." else {
                throw StorageError.invalidInput("artifact path '\(raw)' has an empty, '.' or '..' segment")
            }
        }
        self.value = trimmed
    }

    public var description: String { value }

    /// The directory-listing prefix: the path followed by `/`.
    var directoryPrefix: String { value + "/" }
}

/// One entry of an artifact listing.
public struct ArtifactFileInfo: Sendable, Equatable {
    /// The path relative to the listed directory.
    public var path: String
    public var isDirectory: Bool
    /// Bytes, for files.
    public var size: Int64?
    /// Hex SHA-256 of the content, for files.
    public var digest: String?

    public init(path: String, isDirectory: Bool, size: Int64?, digest: String?) {
        self.path = path
        self.isDirectory = isDirectory
        self.size = size
        self.digest = digest
    }
}
