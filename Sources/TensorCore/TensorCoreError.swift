/// The one error type of TensorCore: a stable `code` plus a message naming what is wrong
/// (for serialization, the tensor).
public struct TensorCoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case shapeMismatch, dtypeMismatch, missingTensor, invalidFormat, io }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// A tensor's shape differs from the expected one.
        public static let shapeMismatch = Code(.shapeMismatch)
        /// A tensor's dtype is unsupported or not the expected one.
        public static let dtypeMismatch = Code(.dtypeMismatch)
        /// A required tensor is absent.
        public static let missingTensor = Code(.missingTensor)
        /// A file is not valid safetensors / checkpoint data.
        public static let invalidFormat = Code(.invalidFormat)
        /// Reading or writing a file failed.
        public static let io = Code(.io)
        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code; self.message = message; self.file = file; self.line = line
    }

    public var description: String { "TensorCoreError.\(code): \(message)" }
}
