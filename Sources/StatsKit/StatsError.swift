/// The one error type of StatsKit.
///
/// `code` is a stable, growable identifier (a struct wrapping a private enum, so new codes
/// do not break callers); `message` says what was wrong with which argument.
public struct StatsError: Error, Sendable, CustomStringConvertible {
    /// A stable error category.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidArgument, insufficientData, noConvergence
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// An argument is outside its domain (negative count, probability outside (0, 1), ...).
        public static let invalidArgument = Code(.invalidArgument)
        /// Too few observations for the requested statistic.
        public static let insufficientData = Code(.insufficientData)
        /// An iterative solver did not converge.
        public static let noConvergence = Code(.noConvergence)
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

    public var description: String { "StatsError.\(code): \(message)" }
}

@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String,
             file: String = #fileID, line: Int = #line) throws(StatsError) {
    if !condition { throw StatsError(.invalidArgument, message(), file: file, line: line) }
}
