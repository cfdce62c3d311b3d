/// The one error type of `Reinforcement`: a stable `code` and a message naming what is wrong.
public struct ReinforcementError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// A hyperparameter is out of range; the message names it.
        case invalidConfiguration = "invalid_configuration"
        /// Observations handed to a policy do not fit it.
        case invalidObservation = "invalid_observation"
        /// A policy file is missing, unreadable or not a policy.
        case invalidPolicy = "invalid_policy"
        /// Reading or writing a file failed.
        case io
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
