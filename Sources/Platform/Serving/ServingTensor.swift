/// A batch of values as the serving layer passes them to models: Float32 numbers (every
/// numeric wire type converts) or strings (text models), with the shape, batch first.
public struct ServingTensor: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case floats([Float])
        case strings([String])
    }

    public var shape: [Int]
    public var values: Values

    public init(shape: [Int], floats: [Float]) {
        self.shape = shape
        values = .floats(floats)
    }

    public init(shape: [Int], strings: [String]) {
        self.shape = shape
        values = .strings(strings)
    }

    /// Rows in the batch (the first dimension).
    public var batchSize: Int { shape.first ?? 1 }

    public var floats: [Float]? {
        if case .floats(let f) = values { return f }
        return nil
    }

    public var strings: [String]? {
        if case .strings(let s) = values { return s }
        return nil
    }
}

/// The element type a model input or output carries.
public enum ServingDataType: String, Sendable, Codable, Hashable {
    /// Float32 numbers (on the wire: FP32, or any number type converted).
    case float = "FP32"
    /// UTF-8 strings (on the wire: BYTES).
    case string = "BYTES"
}

/// One named input or output of a model: its type and shape, -1 for the batch dimension.
public struct TensorSpec: Sendable, Codable, Hashable {
    public var name: String
    public var datatype: ServingDataType
    public var shape: [Int]

    public init(name: String, datatype: ServingDataType = .float, shape: [Int]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }

    /// Values per batch row (product of the dimensions after the batch one).
    public var rowSize: Int { shape.dropFirst().reduce(1, *) }

    /// Checks a request tensor against this spec and returns its batch size; the error
    /// names the input and the expected shape.
    public func validate(_ tensor: ServingTensor) throws(ServingError) -> Int {
        let expected = "[" + shape.map { $0 < 0 ? "-1" : String($0) }.joined(separator: ", ") + "]"
        guard tensor.shape.count == shape.count,
              zip(tensor.shape, shape).allSatisfy({ $1 < 0 ? $0 >= 1 : $0 == $1 }) else {
            throw ServingError(.invalidInput, "input '\(name)' has shape \(tensor.shape), expected \(expected)")
        }
        let count = tensor.shape.reduce(1, *)
        switch (datatype, tensor.values) {
        case (.float, .floats(let f)):
            guard f.count == count else { throw ServingError(.invalidInput, "input '\(name)': shape \(tensor.shape) needs \(count) values, got \(f.count)") }
            if let i = f.firstIndex(where: { !$0.isFinite }) {
                throw ServingError(.invalidInput, "input '\(name)': value \(i) is not a finite number")
            }
        case (.string, .strings(let s)):
            guard s.count == count else { throw ServingError(.invalidInput, "input '\(name)': shape \(tensor.shape) needs \(count) strings, got \(s.count)") }
        case (.float, .strings):
            throw ServingError(.invalidInput, "input '\(name)' must hold numbers (FP32), got strings")
        case (.string, .floats):
            throw ServingError(.invalidInput, "input '\(name)' must hold strings (BYTES), got numbers")
        }
        return tensor.shape[0]
    }
}

/// What a model takes and returns.
public struct ModelSignature: Sendable, Codable, Hashable {
    public var inputs: [TensorSpec]
    public var outputs: [TensorSpec]

    public init(inputs: [TensorSpec], outputs: [TensorSpec]) {
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// The one error type of serving and rollouts: a code the HTTP layer maps to a status, and
/// a message naming what is wrong.
public struct ServingError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The request does not fit the model (shape, type, missing input): 400.
        case invalidInput = "invalid_input"
        /// An unknown model, version, label or deployment: 404.
        case notFound = "not_found"
        /// A model file that cannot be loaded, or a deployment spec that breaks a rule: 400.
        case invalidModel = "invalid_model"
        /// The operation does not fit the deployment's state (e.g. promoting a rolled-back one): 409.
        case invalidState = "invalid_state"
        /// Overloaded (the batch queue is full): 503.
        case unavailable
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
