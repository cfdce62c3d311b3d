import Foundation

/// OIP error body `{"error": "..."}` (what `tritonclient` reads into `InferenceServerException`).
public enum OIPError {
    /// The JSON body for `message`.
    public static func body(_ message: String) -> [UInt8] {
        var w = JSONWriter(capacity: message.utf8.count + 16)
        w.raw("{\"error\":")
        w.string(message)
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }

    /// The JSON body for a codec error (its message names the tensor or field).
    public static func body(_ error: InferenceCodecError) -> [UInt8] { body(error.message) }
}

/// One tensor in model metadata: `{"name", "datatype", "shape"}` (-1 = variable dimension).
public struct OIPTensorMetadata: Sendable, Codable, Equatable {
    public var name: String
    public var datatype: InferenceDataType
    public var shape: [Int]
    public init(name: String, datatype: InferenceDataType, shape: [Int]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }
}

/// `GET /v2/models/{name}[/versions/{v}]`: `{"name", "versions", "platform", "inputs", "outputs"}`.
public struct OIPModelMetadata: Sendable, Codable, Equatable {
    public var name: String
    public var versions: [String]?
    public var platform: String
    public var inputs: [OIPTensorMetadata]
    public var outputs: [OIPTensorMetadata]
    public init(name: String, versions: [String]? = nil, platform: String, inputs: [OIPTensorMetadata], outputs: [OIPTensorMetadata]) {
        self.name = name
        self.versions = versions
        self.platform = platform
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// `GET /v2`: `{"name", "version", "extensions"}`.
public struct OIPServerMetadata: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
    public var extensions: [String]
    public init(name: String, version: String, extensions: [String] = ["binary_tensor_data"]) {
        self.name = name
        self.version = version
        self.extensions = extensions
    }
}

/// `GET /v2/models/{name}/ready` body `{"name", "ready"}` (clients look only at the 200 status).
public struct OIPModelReady: Sendable, Codable, Equatable {
    public var name: String
    public var ready: Bool
    public init(name: String, ready: Bool) {
        self.name = name
        self.ready = ready
    }
}

extension Encodable {
    /// Compact JSON bytes of a metadata value (Foundation `JSONEncoder`; not a hot path).
    public func oipJSON() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(self))) ?? Array("{}".utf8)
    }
}
