/// The one error type of CausalEngine: a stable, growable `code` and a message that names
/// the node, column or argument that is wrong.
public struct CausalError: Error, Sendable, CustomStringConvertible {
    /// A stable error category (a struct wrapping a private enum so codes can be added).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case cycle, unknownNode, invalidArgument, invalidData, missingValue, nonNumericColumn, notFitted
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The edges would form a directed cycle.
        public static let cycle = Code(.cycle)
        /// A node name is not in the graph or data set.
        public static let unknownNode = Code(.unknownNode)
        /// An argument is outside its domain.
        public static let invalidArgument = Code(.invalidArgument)
        /// Data has the wrong shape (ragged columns, too few rows, ...).
        public static let invalidData = Code(.invalidData)
        /// A CSV cell is empty or NA.
        public static let missingValue = Code(.missingValue)
        /// A CSV column holds a value that is not a number.
        public static let nonNumericColumn = Code(.nonNumericColumn)
        /// A model is used on a node it has no mechanism for.
        public static let notFitted = Code(.notFitted)
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

    public var description: String { "CausalError.\(code): \(message)" }
}
