/// The one error type of the inference codecs.
///
/// `message` always names the tensor or field at fault, e.g.
/// `input 'x': shape [2, 3] needs 6 values, got 5`, so a server can return it verbatim
/// as a 400 body. `code` is a stable category for mapping to HTTP statuses and `error_code`s.
public struct InferenceCodecError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A stable error category. New codes may be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case malformedJSON, missingField, invalidField, unsupportedDatatype, shapeMismatch
            case binaryDataMismatch, tooLarge, invalidValue, unknownTensor
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The body is not well-formed JSON (or the JSON header length is wrong).
        public static let malformedJSON = Code(.malformedJSON)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong JSON type or an impossible value.
        public static let invalidField = Code(.invalidField)
        /// The datatype is unknown or not supported here (e.g. BF16).
        public static let unsupportedDatatype = Code(.unsupportedDatatype)
        /// Shape and element count (or the model's declared shape) disagree.
        public static let shapeMismatch = Code(.shapeMismatch)
        /// `binary_data_size` values do not add up to the trailing bytes, or a BYTES element overruns.
        public static let binaryDataMismatch = Code(.binaryDataMismatch)
        /// A tensor exceeds the element cap (``InferenceTensor/maxElementCount``) or a dim is absurd.
        public static let tooLarge = Code(.tooLarge)
        /// An element does not fit the datatype (wrong JSON type, out of range, bad base64...).
        public static let invalidValue = Code(.invalidValue)
        /// A tensor name the model does not have, or a missing/duplicate input.
        public static let unknownTensor = Code(.unknownTensor)

        public var description: String { kind.rawValue }
    }

    /// The category.
    public var code: Code
    /// A human-readable message naming the tensor or field at fault.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
