import Foundation
import Hummingbird
import NIOCore
import Storage

/// The fields of a request, from its JSON body or, for GET and bodiless calls, its query
/// string, with typed accessors whose errors name the field and what was expected.
///
/// MLflow clients send GET fields as query parameters and proto-JSON bodies otherwise
/// (int64 values may be strings, non-finite doubles are "NaN" / "Infinity").
struct RequestFields {
    static let maxJSONBody = 16 * 1024 * 1024

    let values: [String: Any]

    init(values: [String: Any]) {
        self.values = values
    }

    static func from(_ request: Request, context: some RequestContext) async throws -> RequestFields {
        var values: [String: Any] = [:]
        for (key, value) in Self.formDecodedQuery(request.uri.query) {
            if let existing = values[key] {
                values[key] = ((existing as? [Any]) ?? [existing]) + [value]
            } else {
                values[key] = value
            }
        }
        if request.method != .get, request.method != .head {
            let buffer = try await request.body.collect(upTo: maxJSONBody)
            if buffer.readableBytes > 0 {
                let object: Any
                do {
                    object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
                } catch {
                    throw APIError.malformed("the request body is not valid JSON")
                }
                guard let dictionary = object as? [String: Any] else { throw APIError.malformed("the request body must be a JSON object") }
                values.merge(dictionary) { _, body in body }
            }
        }
        return RequestFields(values: values)
    }

    /// Query pairs decoded as HTML forms do (`+` is a space, then percent-escapes), which is
    /// how Python's `requests` and most clients encode them.
    static func formDecodedQuery(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    func has(_ key: String) -> Bool {
        guard let value = values[key] else { return false }
        return !(value is NSNull)
    }

    func string(_ key: String) throws -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let string = value as? String { return string }
        if let number = value as? NSNumber, !Self.isBool(number) { return number.stringValue }
        throw APIError.badRequest("field '\(key)' must be a string")
    }

    func required(_ key: String) throws -> String {
        guard let value = try string(key), !value.isEmpty else { throw APIError.badRequest("missing value for required field '\(key)'") }
        return value
    }

    func int64(_ key: String) throws -> Int64? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let number = value as? NSNumber, !Self.isBool(number) {
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 9.2e18 else { throw APIError.badRequest("field '\(key)' must be an integer, got \(number)") }
            return number.int64Value
        }
        if let string = value as? String, let parsed = Int64(string) { return parsed }
        throw APIError.badRequest("field '\(key)' must be an integer")
    }

    func int(_ key: String, default fallback: Int) throws -> Int {
        guard let value = try int64(key) else { return fallback }
        guard let small = Int(exactly: value) else { throw APIError.badRequest("field '\(key)' is out of range") }
        return small
    }

    func double(_ key: String) throws -> Double? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let number = value as? NSNumber, !Self.isBool(number) { return number.doubleValue }
        if let string = value as? String {
            switch string {
            case "NaN", "nan": return .nan
            case "Infinity", "inf": return .infinity
            case "-Infinity", "-inf": return -.infinity
            default: if let parsed = Double(string) { return parsed }
            }
        }
        throw APIError.badRequest("field '\(key)' must be a number")
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let number = value as? NSNumber { return number.boolValue }
        if let string = value as? String {
            switch string.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: break
            }
        }
        throw APIError.badRequest("field '\(key)' must be true or false")
    }

    func strings(_ key: String) throws -> [String] {
        guard let value = values[key], !(value is NSNull) else { return [] }
        if let array = value as? [Any] {
            return try array.map { element in
                if let string = element as? String { return string }
                if let number = element as? NSNumber, !Self.isBool(number) { return number.stringValue }
                throw APIError.badRequest("field '\(key)' must be a list of strings")
            }
        }
        if let single = try? string(key) { return [single] }
        throw APIError.badRequest("field '\(key)' must be a list of strings")
    }

    /// A nested object (e.g. `"record": {...}`).
    func object(_ key: String) throws -> RequestFields {
        guard let object = values[key] as? [String: Any] else { throw APIError.badRequest("field '\(key)' must be an object") }
        return RequestFields(values: object)
    }

    func objects(_ key: String) throws -> [RequestFields] {
        guard let value = values[key], !(value is NSNull) else { return [] }
        guard let array = value as? [Any] else { throw APIError.badRequest("field '\(key)' must be a list of objects") }
        return try array.enumerated().map { index, element in
            guard let object = element as? [String: Any] else { throw APIError.badRequest("field '\(key)[\(index)]' must be an object") }
            return RequestFields(values: object)
        }
    }

    /// A list of `{"key": ..., "value": ...}` objects.
    func tags(_ key: String = "tags") throws -> [Tag] {
        try objects(key).enumerated().map { index, object in
            guard let tagKey = try object.string("key"), !tagKey.isEmpty else { throw APIError.badRequest("\(key)[\(index)] is missing 'key'") }
            return Tag(key: tagKey, value: try object.string("value") ?? "")
        }
    }

    private static func isBool(_ number: NSNumber) -> Bool {
        // JSON booleans arrive as NSNumbers of C type `char`; JSON numbers never do.
        String(cString: number.objCType) == "c"
    }
}
