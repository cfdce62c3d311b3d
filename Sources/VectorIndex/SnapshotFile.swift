/// The versioned, checksummed container of every snapshot this module writes.
///
///     offset 0  magic     8 bytes  "MLPVIDX\0"
///     offset 8  version   UInt32   (currently 1)
///     offset 12 kind      UInt32   (1 = HNSW index, 2 = vector store, 3 = backup archive)
///     offset 16 length    UInt64   payload bytes
///     offset 24 crc       UInt32   CRC-32 of the payload
///     offset 28 headerCRC UInt32   CRC-32 of bytes 0..<28
///     offset 32 payload
///
/// All integers little-endian. A reader checks magic, version, both CRCs and the exact
/// length before it parses a byte of the payload; any mismatch is a typed error
/// (`.corruptFile` or `.unsupportedVersion`) that names the file and what failed.
public enum SnapshotFile {
    static let magic: [UInt8] = Array("MLPVIDX".utf8) + [0]
    public static let currentVersion: UInt32 = 1
    static let headerSize = 32

    public enum Kind: UInt32, Sendable {
        case hnswIndex = 1
        case vectorStore = 2
        case backupArchive = 3
    }

    static func encode(kind: Kind, payload: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.bytes = magic
        w.u32(currentVersion)
        w.u32(kind.rawValue)
        w.u64(UInt64(payload.count))
        w.u32(CRC32.checksum(payload))
        w.u32(CRC32.checksum(w.bytes))
        w.bytes += payload
        return w.bytes
    }

    /// Checks the container and returns a reader positioned at the payload.
    static func decode(_ bytes: [UInt8], kind: Kind, path: String) throws(VectorIndexError) -> ByteReader {
        guard bytes.count >= headerSize else {
            throw VectorIndexError(.corruptFile, "\(path): \(bytes.count) bytes, shorter than the \(headerSize)-byte snapshot header (truncated)")
        }
        guard Array(bytes[0..<8]) == magic else { throw VectorIndexError(.corruptFile, "\(path): not a vector index snapshot (bad magic)") }
        var r = ByteReader(bytes, offset: 8, what: path)
        let version = try r.u32()
        let k = try r.u32()
        let length = try r.u64()
        let crc = try r.u32()
        let headerCRC = try r.u32()
        guard CRC32.checksum(bytes[0..<28]) == headerCRC else {
            throw VectorIndexError(.corruptFile, "\(path): snapshot header checksum mismatch")
        }
        guard version == currentVersion else {
            throw VectorIndexError(.unsupportedVersion, "\(path): snapshot format version \(version), this build reads \(currentVersion)")
        }
        guard k == kind.rawValue else {
            throw VectorIndexError(.corruptFile, "\(path): snapshot holds kind \(k), expected \(kind.rawValue)")
        }
        guard UInt64(bytes.count - headerSize) == length else {
            throw VectorIndexError(.corruptFile, "\(path): payload is \(bytes.count - headerSize) bytes, header says \(length) (truncated or extended)")
        }
        let actual = bytes.withUnsafeBytes { CRC32.update(0, UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
        guard actual == crc else {
            throw VectorIndexError(.corruptFile, "\(path): payload checksum mismatch (stored \(crc), computed \(actual))")
        }
        return r
    }
}
