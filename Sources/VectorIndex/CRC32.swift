/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's `crc32`), slicing-by-4.
/// `CRC32.checksum("123456789".utf8) == 0xCBF43926`.
public enum CRC32 {
    static let tables: [[UInt32]] = {
        var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 4)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[0][i] = c
        }
        for i in 0..<256 {
            for k in 1..<4 { t[k][i] = (t[k - 1][i] >> 8) ^ t[0][Int(t[k - 1][i] & 0xFF)] }
        }
        return t
    }()

    /// Continues a checksum over `bytes` (start with `crc = 0`).
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        let t0 = tables[0], t1 = tables[1], t2 = tables[2], t3 = tables[3]
        var i = 0
        let n = bytes.count
        while i + 4 <= n {
            c ^= UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            c = t3[Int(c & 0xFF)] ^ t2[Int((c >> 8) & 0xFF)] ^ t1[Int((c >> 16) & 0xFF)] ^ t0[Int(c >> 24)]
            i += 4
        }
        while i < n {
            c = t0[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
            i += 1
        }
        return ~c
    }

    /// CRC-32 of a byte sequence.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        let a = Array(bytes)
        return a.withUnsafeBytes { update(0, $0) }
    }
}

/// Appends little-endian primitives to a byte buffer.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes += s.utf8
    }
    mutating func blob(_ b: [UInt8]) {
        u64(UInt64(b.count))
        bytes += b
    }
    mutating func floats(_ v: UnsafeBufferPointer<Float>) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(v))
    }
    mutating func raw(_ p: UnsafeRawPointer, count: Int) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: count))
    }
}

/// Reads little-endian primitives with bounds checks; any overrun is a `.corruptFile` error
/// naming `what` and the offset.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let what: String

    init(_ bytes: [UInt8], offset: Int = 0, what: String) {
        self.bytes = bytes
        self.offset = offset
        self.what = what
    }

    var remaining: Int { bytes.count - offset }

    mutating func need(_ n: Int) throws(VectorIndexError) {
        guard n >= 0, remaining >= n else {
            throw VectorIndexError(.corruptFile, "\(what): needs \(n) bytes at offset \(offset), \(remaining) left")
        }
    }
    mutating func u8() throws(VectorIndexError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }
    mutating func u32() throws(VectorIndexError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }
    mutating func u64() throws(VectorIndexError) -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }
    mutating func f32() throws(VectorIndexError) -> Float { Float(bitPattern: try u32()) }
    mutating func int(max: Int) throws(VectorIndexError) -> Int {
        let v = try u64()
        guard v <= UInt64(max) else { throw VectorIndexError(.corruptFile, "\(what): value \(v) at offset \(offset - 8) exceeds \(max)") }
        return Int(v)
    }
    mutating func string() throws(VectorIndexError) -> String {
        let n = Int(try u32())
        try need(n)
        defer { offset += n }
        return String(decoding: bytes[offset ..< offset + n], as: UTF8.self)
    }
    mutating func blob() throws(VectorIndexError) -> [UInt8] {
        let n = try int(max: remaining)
        defer { offset += n }
        return Array(bytes[offset ..< offset + n])
    }
    mutating func floats(_ n: Int) throws(VectorIndexError) -> [Float] {
        try need(n * 4)
        defer { offset += n * 4 }
        return bytes.withUnsafeBytes { raw in (0..<n).map { raw.loadUnaligned(fromByteOffset: offset + $0 * 4, as: Float.self) } }
    }
    mutating func rawCopy(into p: UnsafeMutableRawPointer, count: Int) throws(VectorIndexError) {
        try need(count)
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
    }
}
