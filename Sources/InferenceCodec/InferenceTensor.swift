/// A named tensor: datatype, shape and row-major values, as carried by the inference protocols.
public struct InferenceTensor: Sendable, Equatable {
    /// Largest element count any decoder accepts for one tensor (64M), so a hostile shape
    /// cannot make the server allocate without bound.
    public static let maxElementCount = 64 * 1024 * 1024

    /// The tensor name (an input or output name of the model).
    public var name: String
    /// The wire datatype; decoders store values in the matching ``TensorValues`` case.
    public var datatype: InferenceDataType
    /// Dimensions, row-major; the product is `values.count`.
    public var shape: [Int]
    /// The elements, row-major.
    public var values: TensorValues

    public init(name: String, datatype: InferenceDataType, shape: [Int], values: TensorValues) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
        self.values = values
    }

    /// An FP32 tensor from floats.
    public init(name: String, shape: [Int], floats: [Float]) {
        self.init(name: name, datatype: .fp32, shape: shape, values: .float32(floats))
    }

    /// The values as `Float`; the error names this tensor.
    public func floats() throws(InferenceCodecError) -> [Float] {
        do { return try values.floats() } catch {
            throw InferenceCodecError(.invalidValue, "tensor '\(name)': BYTES values cannot be converted to floats")
        }
    }

    /// Product of `shape`, validated: no negative dim, no overflow, at most ``maxElementCount``.
    /// `what` names the tensor in the error (e.g. `input 'x'`).
    static func elementCount(of shape: [Int], what: String) throws(InferenceCodecError) -> Int {
        var n = 1
        for d in shape {
            if d < 0 {
                throw InferenceCodecError(.shapeMismatch, "\(what): negative dimension in shape \(shape)")
            }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow || p > maxElementCount {
                throw InferenceCodecError(.tooLarge, "\(what): shape \(shape) exceeds the limit of \(maxElementCount) elements")
            }
            n = p
        }
        return n
    }
}
