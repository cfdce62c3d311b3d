#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Full-precision vectors used to re-score candidates found through compressed codes: either
/// held in memory or memory-mapped from a file of raw little-endian float32 rows (a
/// `.npy` file's data section qualifies), so only the pages touched by re-scoring are resident.
public final class FullVectorSource: @unchecked Sendable {
    public let dimension: Int
    public let rows: Int
    private let base: UnsafePointer<Float>
    private let owned: UnsafeMutablePointer<Float>?
    private let mapped: MappedFile?

    /// Keeps a copy of row-major `values` in memory.
    public init(values: [Float], dimension: Int) {
        self.dimension = dimension
        rows = values.count / dimension
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, values.count))
        values.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: values.count) }
        owned = p
        base = UnsafePointer(p)
        mapped = nil
    }

    /// Maps `rows * dimension` floats starting at byte `offset` of `path`.
    public init(mapping path: String, offset: Int, rows: Int, dimension: Int) throws(VectorIndexError) {
        let m = try MappedFile(path: path)
        guard offset % 4 == 0, offset + rows * dimension * 4 <= m.count else {
            throw VectorIndexError(.corruptFile, "\(path) holds \(m.count) bytes, \(rows) rows of \(dimension) floats at offset \(offset) need \(offset + rows * dimension * 4)")
        }
        self.dimension = dimension
        self.rows = rows
        mapped = m
        owned = nil
        base = (m.bytes + offset).assumingMemoryBound(to: Float.self)
    }

    /// Writes row-major `values` as raw float32 to `path` (fsynced) and maps it.
    public static func writeAndMap(values: [Float], dimension: Int, path: String) throws(VectorIndexError) -> FullVectorSource {
        try FileIO.writeAtomically(values.withUnsafeBytes { Array($0) }, to: path)
        return try FullVectorSource(mapping: path, offset: 0, rows: values.count / dimension, dimension: dimension)
    }

    deinit { owned?.deallocate() }

    /// Bytes of vectors held in process memory (0 when mapped from disk).
    public var residentBytes: Int { mapped == nil ? rows * dimension * 4 : 0 }

    /// Row `i`. O(1).
    @inline(__always) public func row(_ i: Int) -> UnsafePointer<Float> { base + i * dimension }
}
