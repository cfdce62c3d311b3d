/// The one error type of the `VectorIndex` module.
///
/// `code` is stable and machine-readable (new codes may be added without breaking
/// callers, as in swift-service-lifecycle's `ServiceRunnerError`); `message` says what is wrong
/// in words a person can act on.
public struct VectorIndexError: Error, Sendable, CustomStringConvertible {
    /// A stable error category.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case dimensionMismatch
            case invalidValue
            case invalidArgument
            case capacityExceeded
            case unknownID
            case io
            case corruptFile
            case unsupportedVersion
            case unsupportedFormat
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A vector whose length differs from the index dimension.
        public static let dimensionMismatch = Code(.dimensionMismatch)
        /// A NaN or infinite component, or a zero vector where a direction is needed.
        public static let invalidValue = Code(.invalidValue)
        /// A parameter out of range (k, M, ef, sizes).
        public static let invalidArgument = Code(.invalidArgument)
        /// More vectors than a fixed-capacity structure holds.
        public static let capacityExceeded = Code(.capacityExceeded)
        /// An id that is not in the index.
        public static let unknownID = Code(.unknownID)
        /// An operating-system I/O call failed.
        public static let io = Code(.io)
        /// A file failed a checksum or a structural check.
        public static let corruptFile = Code(.corruptFile)
        /// A file written by a format version this build does not read.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A file that is not of a format this module reads (npy dtype, fvecs layout).
        public static let unsupportedFormat = Code(.unsupportedFormat)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "VectorIndexError(\(code)): \(message)" }
}
