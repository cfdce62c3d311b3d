/// Which model a variant or a request means: a registered model at a version, an alias
/// (`champion`) or its latest version, or a rule-based policy.
public enum ModelReference: Sendable, Hashable, Codable, CustomStringConvertible {
    case version(model: String, version: String)
    case alias(model: String, alias: String)
    case latest(model: String)
    /// `strongest_signal?ues=5&stations=3`.
    case rule(String)

    /// Parses `models:/NAME/VERSION`, `models:/NAME@ALIAS`, `models:/NAME` (latest),
    /// `NAME:VERSION`, `NAME@ALIAS`, `NAME`, or `rule:NAME?params`.
    public init(parsing text: String) throws(ServingError) {
        var rest = Substring(text)
        if rest.hasPrefix("rule:") {
            self = .rule(String(rest.dropFirst(5)))
            return
        }
        if rest.hasPrefix("models:/") { rest = rest.dropFirst(8) }
        if let at = rest.firstIndex(of: "@") {
            self = .alias(model: String(rest[..<at]), alias: String(rest[rest.index(after: at)...]))
        } else if let sep = rest.lastIndex(where: { $0 == "/" || $0 == ":" }) {
            self = .version(model: String(rest[..<sep]), version: String(rest[rest.index(after: sep)...]))
        } else {
            self = .latest(model: String(rest))
        }
        if case .rule = self { return }
        guard !modelName.isEmpty else { throw ServingError(.invalidInput, "model reference '\(text)' names no model") }
    }

    public var modelName: String {
        switch self {
        case .version(let m, _), .alias(let m, _), .latest(let m): m
        case .rule(let r): "rule:" + r
        }
    }

    public var description: String {
        switch self {
        case .version(let m, let v): "models:/\(m)/\(v)"
        case .alias(let m, let a): "models:/\(m)@\(a)"
        case .latest(let m): "models:/\(m)"
        case .rule(let r): "rule:\(r)"
        }
    }
}
