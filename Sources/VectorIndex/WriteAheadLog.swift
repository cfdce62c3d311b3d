#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One logged mutation of a ``VectorStore``.
public enum WALRecord: Sendable, Equatable {
    case upsert(sequence: UInt64, id: String, vector: [Float], metadata: [UInt8])
    case delete(sequence: UInt64, id: String)

    public var sequence: UInt64 {
        switch self {
        case .upsert(let s, _, _, _), .delete(let s, _): return s
        }
    }
}

/// What opening a log found.
public struct WALRecoveryReport: Sendable, Equatable {
    /// Records that passed their checksum and were returned.
    public var validRecords: Int
    /// Byte length of the valid prefix (the file is truncated to it).
    public var validBytes: Int
    /// Bytes discarded after the valid prefix (0 for a clean log).
    public var discardedBytes: Int
    /// Why the tail was discarded, nil for a clean log.
    public var problem: String?
    public var isClean: Bool { discardedBytes == 0 }
}

/// A write-ahead log: append-only records, each fsync'ed before ``append(_:)`` returns.
///
///     file   = header record*
///     header = "MLPVWAL\0" version:UInt32 crc:UInt32 (CRC-32 of the first 12 bytes)
///     record = length:UInt32 crc:UInt32 payload[length]      (crc = CRC-32 of payload)
///     payload = type:UInt8 (1 upsert, 2 delete) sequence:UInt64 id:(UInt32 length, UTF-8)
///               [upsert: count:UInt32 floats[count] metadata:(UInt64 length, bytes)]
///
/// Opening reads every record; at the first short or checksum-failing record the rest is
/// reported as a torn or corrupt tail and the file is truncated to the valid prefix (and
/// fsync'ed), so nothing after a bad record is ever applied.
public final class WriteAheadLog: @unchecked Sendable {
    static let magic: [UInt8] = Array("MLPVWAL".utf8) + [0]
    static let version: UInt32 = 1
    static let headerSize = 16
    public let path: String
    private var fd: Int32
    public private(set) var size: Int

    /// Opens (creating if absent) the log at `path`, recovering it as described above.
    /// - Returns: the log, the valid records in order, and the recovery report.
    public static func open(path: String) throws(VectorIndexError) -> (WriteAheadLog, [WALRecord], WALRecoveryReport) {
        if !FileIO.exists(path) {
            var w = ByteWriter()
            w.bytes = magic
            w.u32(version)
            w.u32(CRC32.checksum(w.bytes))
            try FileIO.writeAtomically(w.bytes, to: path)
        }
        let (records, report) = try parse(try FileIO.read(path), path: path)
        let offset = report.validBytes
        let fd = Glibc.open(path, O_WRONLY)
        guard fd >= 0 else { throw VectorIndexError(.io, "cannot open \(path) for appending: \(FileIO.errnoText())") }
        if report.discardedBytes > 0 {
            guard ftruncate(fd, off_t(offset)) == 0 else {
                close(fd)
                throw VectorIndexError(.io, "cannot truncate \(path) to \(offset) bytes: \(FileIO.errnoText())")
            }
            try FileIO.fsyncOrThrow(fd, path: path)
        }
        lseek(fd, off_t(offset), SEEK_SET)
        return (WriteAheadLog(path: path, fd: fd, size: offset), records, report)
    }

    /// Reads the log at `path` without changing it: the valid records and what a recovering
    /// ``open(path:)`` would discard. Integrity checks use it.
    public static func inspect(path: String) throws(VectorIndexError) -> ([WALRecord], WALRecoveryReport) {
        try parse(try FileIO.read(path), path: path)
    }

    /// Checks the header (a damaged one throws) and reads records up to the first bad one.
    static func parse(_ bytes: [UInt8], path: String) throws(VectorIndexError) -> ([WALRecord], WALRecoveryReport) {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else {
            throw VectorIndexError(.corruptFile, "\(path): not a write-ahead log (bad or truncated header)")
        }
        var hr = ByteReader(bytes, offset: 8, what: path)
        let v = try hr.u32()
        let hcrc = try hr.u32()
        guard CRC32.checksum(bytes[0..<12]) == hcrc else { throw VectorIndexError(.corruptFile, "\(path): log header checksum mismatch") }
        guard v == version else { throw VectorIndexError(.unsupportedVersion, "\(path): log version \(v), this build reads \(version)") }

        var records: [WALRecord] = []
        var offset = headerSize
        var problem: String? = nil
        while offset < bytes.count {
            guard bytes.count - offset >= 8 else { problem = "torn record header at byte \(offset)"; break }
            var r = ByteReader(bytes, offset: offset, what: path)
            let length = Int(try r.u32()), crc = try r.u32()
            guard length <= bytes.count - offset - 8 else { problem = "torn record at byte \(offset): \(length) payload bytes, \(bytes.count - offset - 8) present"; break }
            let payload = Array(bytes[offset + 8 ..< offset + 8 + length])
            guard CRC32.checksum(payload) == crc else { problem = "checksum mismatch in record at byte \(offset)"; break }
            do {
                records.append(try decode(payload, path: path))
            } catch {
                problem = "undecodable record at byte \(offset): \(error.message)"
                break
            }
            offset += 8 + length
        }
        return (records, WALRecoveryReport(validRecords: records.count, validBytes: offset, discardedBytes: bytes.count - offset, problem: problem))
    }

    private init(path: String, fd: Int32, size: Int) {
        self.path = path
        self.fd = fd
        self.size = size
    }

    deinit { close(fd) }

    /// Appends one record and fsyncs; when this returns the record survives a crash.
    public func append(_ record: WALRecord) throws(VectorIndexError) {
        let payload = Self.encode(record)
        var w = ByteWriter()
        w.u32(UInt32(payload.count))
        w.u32(CRC32.checksum(payload))
        w.bytes += payload
        let result: Result<Void, VectorIndexError> = w.bytes.withUnsafeBytes { b in
            Result { () throws(VectorIndexError) in try FileIO.writeAll(fd, b, path: path) }
        }
        do throws(VectorIndexError) {
            try result.get()
            guard fdatasync(fd) == 0 else { throw VectorIndexError(.io, "fdatasync of \(path) failed: \(FileIO.errnoText())") }
        } catch {
            // Not acknowledged: cut any partial record so later appends stay parseable.
            _ = ftruncate(fd, off_t(size))
            lseek(fd, off_t(size), SEEK_SET)
            throw error
        }
        size += w.bytes.count
    }

    /// Drops every record (after a snapshot made them redundant): truncates to the header, fsyncs.
    public func reset() throws(VectorIndexError) {
        guard ftruncate(fd, off_t(Self.headerSize)) == 0 else { throw VectorIndexError(.io, "cannot truncate \(path): \(FileIO.errnoText())") }
        try FileIO.fsyncOrThrow(fd, path: path)
        lseek(fd, off_t(Self.headerSize), SEEK_SET)
        size = Self.headerSize
    }

    static func encode(_ record: WALRecord) -> [UInt8] {
        var w = ByteWriter()
        switch record {
        case .upsert(let seq, let id, let vector, let metadata):
            w.u8(1)
            w.u64(seq)
            w.string(id)
            w.u32(UInt32(vector.count))
            vector.withUnsafeBufferPointer { w.floats($0) }
            w.blob(metadata)
        case .delete(let seq, let id):
            w.u8(2)
            w.u64(seq)
            w.string(id)
        }
        return w.bytes
    }

    static func decode(_ payload: [UInt8], path: String) throws(VectorIndexError) -> WALRecord {
        var r = ByteReader(payload, what: path)
        let type = try r.u8()
        let seq = try r.u64()
        let id = try r.string()
        let record: WALRecord
        switch type {
        case 1:
            let n = Int(try r.u32())
            let v = try r.floats(n)
            record = .upsert(sequence: seq, id: id, vector: v, metadata: try r.blob())
        case 2: record = .delete(sequence: seq, id: id)
        default: throw VectorIndexError(.corruptFile, "unknown record type \(type)")
        }
        guard r.remaining == 0 else { throw VectorIndexError(.corruptFile, "\(r.remaining) trailing bytes in record") }
        return record
    }
}
