/// The element storage of a tensor, in row-major order.
///
/// Integer types up to 64 bits (signed and unsigned) are widened to `Int64`; a UINT64 value
/// above `Int64.max` is rejected by the decoders. FP16 decodes to ``float32(_:)``.
public enum TensorValues: Sendable, Equatable {
    case float32([Float])
    case float64([Double])
    case int64([Int64])
    case bool([Bool])
    case bytes([[UInt8]])

    /// Number of elements.
    public var count: Int {
        switch self {
        case .float32(let v): return v.count
        case .float64(let v): return v.count
        case .int64(let v): return v.count
        case .bool(let v): return v.count
        case .bytes(let v): return v.count
        }
    }

    /// The values converted to `Float` (bools to 0/1). O(n).
    /// - Throws: ``InferenceCodecError/Code-swift.struct/invalidValue`` for BYTES.
    public func floats() throws(InferenceCodecError) -> [Float] {
        switch self {
        case .float32(let v): return v
        case .float64(let v): return v.map { Float($0) }
        case .int64(let v): return v.map { Float($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .bytes: throw InferenceCodecError(.invalidValue, "BYTES values cannot be converted to floats")
        }
    }

    /// The values converted to `Double` (bools to 0/1); `nil` for BYTES.
    func doubles() -> [Double]? {
        switch self {
        case .float32(let v): return v.map { Double($0) }
        case .float64(let v): return v
        case .int64(let v): return v.map { Double($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .bytes: return nil
        }
    }

    /// Empty storage of the natural case for `datatype`.
    static func empty(for datatype: InferenceDataType) -> TensorValues {
        switch datatype {
        case .fp16, .fp32: return .float32([])
        case .fp64: return .float64([])
        case .bool: return .bool([])
        case .bytes: return .bytes([])
        default: return .int64([])
        }
    }
}
