/// The one error type of `RadioSim`.
///
/// `code` says what kind of failure it is (stable, switchable); `field` names the offending
/// input where there is one (for example `stations[2].x` in a scenario file) and `message`
/// says in words what is wrong.
public struct RadioSimError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. A struct wrapping a private enum so codes can be added later
    /// without breaking exhaustive switches in callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case invalidScenario
            case invalidOptions
            case invalidAction
            case unknownScenario
            case decodingFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A scenario (built-in, generated or read from a file) breaks a rule; `field` names it.
        public static let invalidScenario = Code(.invalidScenario)
        /// Operator-mode options break a rule; `field` names the option.
        public static let invalidOptions = Code(.invalidOptions)
        /// An action does not fit the environment's action space.
        public static let invalidAction = Code(.invalidAction)
        /// A scenario name that is neither built in nor a readable file.
        public static let unknownScenario = Code(.unknownScenario)
        /// A scenario file is not valid JSON or does not have the expected shape.
        public static let decodingFailed = Code(.decodingFailed)

        public var description: String {
            switch base {
            case .invalidScenario: "invalid_scenario"
            case .invalidOptions: "invalid_options"
            case .invalidAction: "invalid_action"
            case .unknownScenario: "unknown_scenario"
            case .decodingFailed: "decoding_failed"
            }
        }
    }

    public let code: Code
    /// The offending field (JSON path such as `stations[1].bandwidth`), if any.
    public let field: String?
    public let message: String
    public let file: String
    public let line: Int

    public init(_ code: Code, field: String? = nil, _ message: String,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.field = field
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        if let field { return "\(code): \(field): \(message)" }
        return "\(code): \(message)"
    }
}
