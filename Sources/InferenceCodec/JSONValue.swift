/// A parsed JSON value (internal): objects keep key order as an array of pairs, which is faster
/// than a dictionary for the handful of keys in an inference body.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The value as a Double, and the exact `Int64` when written as an integer literal that fits.
    case number(Double, Int64?)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The first value of `key` in an object; `nil` for non-objects and absent keys.
    @inline(__always)
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// A short name of the JSON type, for error messages.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// An exact non-fractional integer (`3` or `3.0`); `nil` otherwise.
    var integerValue: Int64? {
        guard case .number(let d, let i) = self else { return nil }
        if let i { return i }
        if d.rounded(.towardZero) == d, abs(d) < 9.007_199_254_740_992e15 { return Int64(d) }
        return nil
    }
}
