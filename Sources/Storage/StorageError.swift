/// An error from the storage layer: a missing or duplicate record, bad input that reached
/// storage, or a database or file-system failure.
///
/// `code` is a stable value callers switch on; `message` says what is wrong in words a
/// user can act on.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    /// A stable error code. New codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case notFound, alreadyExists, invalidInput, invalidState, corrupt, unavailable }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The record asked for does not exist.
        public static let notFound = Code(.notFound)
        /// A record with the same unique key exists already.
        public static let alreadyExists = Code(.alreadyExists)
        /// The input is malformed for storage (bad path, bad filter, bad page token).
        public static let invalidInput = Code(.invalidInput)
        /// The record exists but is in a state that forbids the change.
        public static let invalidState = Code(.invalidState)
        /// Stored data failed an integrity check.
        public static let corrupt = Code(.corrupt)
        /// The database or file system could not be reached or failed.
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

    static func notFound(_ message: String, file: String = #fileID, line: Int = #line) -> StorageError {
        StorageError(.notFound, message, file: file, line: line)
    }
    static func alreadyExists(_ message: String, file: String = #fileID, line: Int = #line) -> StorageError {
        StorageError(.alreadyExists, message, file: file, line: line)
    }
    static func invalidInput(_ message: String, file: String = #fileID, line: Int = #line) -> StorageError {
        StorageError(.invalidInput, message, file: file, line: line)
    }
}
