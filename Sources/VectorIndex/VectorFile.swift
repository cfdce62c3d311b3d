/// A dense row-major matrix read from a vector file.
public struct VectorMatrix<Element: Sendable>: Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [Element]

    public init(rows: Int, columns: Int, values: [Element]) {
        precondition(values.count == rows * columns, "values do not fill rows x columns")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Element] { Array(values[i * columns ..< (i + 1) * columns]) }
}

/// Readers and writers of the vector file formats benchmarks use:
/// - `.npy` (NumPy format 1.0/2.0/3.0, little-endian `<f4` float32 or `<i4` / `<i8` integers,
///   C order, 2-d or 1-d),
/// - `.fvecs` / `.ivecs` (texmex: each row is a little-endian int32 dimension then the values).
public enum VectorFile {
    /// Reads float32 vectors from `.npy` or `.fvecs` (chosen by extension).
    public static func readFloat32(path: String) throws(VectorIndexError) -> VectorMatrix<Float> {
        let bytes = try FileIO.read(path)
        if path.hasSuffix(".fvecs") { return try parseVecs(bytes, path: path, as: Float.self) }
        let (descr, shape, offset) = try parseNpyHeader(bytes, path: path)
        guard descr == "<f4" else {
            throw VectorIndexError(.unsupportedFormat, "\(path): dtype \(descr), expected float32 '<f4'")
        }
        return try npyMatrix(bytes, shape: shape, offset: offset, path: path, as: Float.self)
    }

    /// Reads integer rows (ground-truth ids) from `.npy` (`<i4` or `<i8`) or `.ivecs`.
    public static func readInt32(path: String) throws(VectorIndexError) -> VectorMatrix<Int32> {
        let bytes = try FileIO.read(path)
        if path.hasSuffix(".ivecs") { return try parseVecs(bytes, path: path, as: Int32.self) }
        let (descr, shape, offset) = try parseNpyHeader(bytes, path: path)
        switch descr {
        case "<i4": return try npyMatrix(bytes, shape: shape, offset: offset, path: path, as: Int32.self)
        case "<i8":
            let m = try npyMatrix(bytes, shape: shape, offset: offset, path: path, as: Int64.self)
            return VectorMatrix(rows: m.rows, columns: m.columns, values: m.values.map { Int32(truncatingIfNeeded: $0) })
        default:
            throw VectorIndexError(.unsupportedFormat, "\(path): dtype \(descr), expected int32 '<i4' or int64 '<i8'")
        }
    }

    /// Writes a float32 matrix as `.npy` (format 1.0).
    public static func npyBytes(_ m: VectorMatrix<Float>) -> [UInt8] { npyBytes(m, descr: "<f4") }

    /// Writes an int32 matrix as `.npy` (format 1.0).
    public static func npyBytes(_ m: VectorMatrix<Int32>) -> [UInt8] { npyBytes(m, descr: "<i4") }

    /// Encodes rows as `.fvecs`.
    public static func fvecsBytes(_ m: VectorMatrix<Float>) -> [UInt8] {
        var out: [UInt8] = []
        for r in 0..<m.rows {
            withUnsafeBytes(of: Int32(m.columns).littleEndian) { out.append(contentsOf: $0) }
            m.values[r * m.columns ..< (r + 1) * m.columns].withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes `bytes` to `path` atomically (fsynced).
    public static func write(_ bytes: [UInt8], to path: String) throws(VectorIndexError) {
        try FileIO.writeAtomically(bytes, to: path)
    }

    // MARK: parsing

    static func npyBytes<T>(_ m: VectorMatrix<T>, descr: String) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(m.rows), \(m.columns)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let hl = UInt16(header.utf8.count)
        out += [UInt8(hl & 0xFF), UInt8(hl >> 8)]
        out += Array(header.utf8)
        m.values.withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    static func parseNpyHeader(_ b: [UInt8], path: String) throws(VectorIndexError) -> (String, [Int], Int) {
        guard b.count >= 10, b[0] == 0x93, Array(b[1...5]) == Array("NUMPY".utf8) else {
            throw VectorIndexError(.unsupportedFormat, "\(path) is not a .npy file (bad magic)")
        }
        let major = b[6]
        let headerLen: Int, start: Int
        if major == 1 {
            headerLen = Int(b[8]) | Int(b[9]) << 8
            start = 10
        } else if major == 2 || major == 3, b.count >= 12 {
            headerLen = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            start = 12
        } else {
            throw VectorIndexError(.unsupportedVersion, "\(path): .npy format version \(major) not supported")
        }
        guard start + headerLen <= b.count else { throw VectorIndexError(.corruptFile, "\(path): .npy header runs past the end") }
        let header = String(decoding: b[start ..< start + headerLen], as: UTF8.self)
        guard let descr = quotedValue(header, key: "descr") else {
            throw VectorIndexError(.corruptFile, "\(path): .npy header has no descr")
        }
        if header.contains("'fortran_order': True") {
            throw VectorIndexError(.unsupportedFormat, "\(path): Fortran-order arrays are not supported")
        }
        guard let open = header.firstRange(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw VectorIndexError(.corruptFile, "\(path): .npy header has no shape")
        }
        let shape = header[open.upperBound ..< close].split(separator: ",").compactMap { Int($0.trimmingCharacters()) }
        guard !shape.isEmpty, shape.count <= 2 else {
            throw VectorIndexError(.unsupportedFormat, "\(path): only 1-d and 2-d arrays are supported, shape \(shape)")
        }
        return (descr, shape, start + headerLen)
    }

    static func quotedValue(_ header: String, key: String) -> String? {
        guard let k = header.firstRange(of: "'\(key)':") else { return nil }
        let rest = header[k.upperBound...]
        guard let q1 = rest.firstIndex(of: "'") else { return nil }
        let after = rest[rest.index(after: q1)...]
        guard let q2 = after.firstIndex(of: "'") else { return nil }
        return String(after[..<q2])
    }

    static func npyMatrix<T>(_ b: [UInt8], shape: [Int], offset: Int, path: String, as: T.Type) throws(VectorIndexError) -> VectorMatrix<T> {
        let rows = shape[0], cols = shape.count == 2 ? shape[1] : 1
        let need = rows * cols * MemoryLayout<T>.size
        guard b.count - offset >= need else {
            throw VectorIndexError(.corruptFile, "\(path): shape \(shape) needs \(need) data bytes, file has \(b.count - offset)")
        }
        let values = b.withUnsafeBytes { raw in
            (0..<(rows * cols)).map { raw.loadUnaligned(fromByteOffset: offset + $0 * MemoryLayout<T>.size, as: T.self) }
        }
        return VectorMatrix(rows: rows, columns: cols, values: values)
    }

    static func parseVecs<T>(_ b: [UInt8], path: String, as: T.Type) throws(VectorIndexError) -> VectorMatrix<T> {
        guard b.count >= 4 else { throw VectorIndexError(.corruptFile, "\(path): too short for a vecs file") }
        let dim = b.withUnsafeBytes { Int($0.loadUnaligned(as: Int32.self)) }
        guard dim > 0 else { throw VectorIndexError(.corruptFile, "\(path): dimension \(dim) in the first row") }
        let rowBytes = 4 + dim * 4
        guard b.count % rowBytes == 0 else {
            throw VectorIndexError(.corruptFile, "\(path): \(b.count) bytes is not a whole number of \(rowBytes)-byte rows")
        }
        let rows = b.count / rowBytes
        var values: [T] = []
        values.reserveCapacity(rows * dim)
        var bad: Int? = nil
        b.withUnsafeBytes { raw in
            for r in 0..<rows {
                if Int(raw.loadUnaligned(fromByteOffset: r * rowBytes, as: Int32.self)) != dim { bad = r; return }
                for j in 0..<dim { values.append(raw.loadUnaligned(fromByteOffset: r * rowBytes + 4 + j * 4, as: T.self)) }
            }
        }
        if let bad { throw VectorIndexError(.corruptFile, "\(path): row \(bad) has a different dimension than \(dim)") }
        return VectorMatrix(rows: rows, columns: dim, values: values)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
