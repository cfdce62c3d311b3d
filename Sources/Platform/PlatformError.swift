/// An error from a platform service: input that breaks a domain rule.
/// Storage errors (missing or duplicate records) pass through as ``StorageError``.
public struct PlatformError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case invalidParameter, invalidState, limitExceeded, notFound, alreadyExists, unavailable }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A value is missing, malformed or out of range.
        public static let invalidParameter = Code(.invalidParameter)
        /// The target is in a state that forbids the call.
        public static let invalidState = Code(.invalidState)
        /// A request is larger than the service accepts in one call.
        public static let limitExceeded = Code(.limitExceeded)
        /// The named thing does not exist.
        public static let notFound = Code(.notFound)
        /// A thing with that name exists already.
        public static let alreadyExists = Code(.alreadyExists)
        /// A resource the server needs (a model, a file) is missing: a deployment problem.
        public static let unavailable = Code(.unavailable)

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

    public var description: String { "\(code): \(message)" }

    static func invalid(_ message: String, file: String = #fileID, line: Int = #line) -> PlatformError {
        PlatformError(.invalidParameter, message, file: file, line: line)
    }
}
