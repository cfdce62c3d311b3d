import Storage

/// MLflow's limits on names and values, enforced so that clients see the same errors here
/// as on an MLflow server, and so no single call can grow a row without bound.
enum TrackingLimits {
    static let maxKeyLength = 250
    static let maxParamValueLength = 6000
    static let maxTagValueLength = 8000
    static let maxBatchMetrics = 1000
    static let maxBatchParams = 100
    static let maxBatchTags = 100
    static let maxBatchTotal = 1000
    static let maxSearchResults = 50000

    /// Keys may hold letters, digits, `_ - . / ` and spaces, and must not climb directories.
    static func validateKey(_ key: String, kind: String) throws {
        guard !key.isEmpty else { throw PlatformError.invalid("\(kind) key must not be empty") }
        guard key.count <= maxKeyLength else {
            throw PlatformError.invalid("\(kind) key '\(key.prefix(40))…' is \(key.count) characters; the limit is \(maxKeyLength)")
        }
        let allowed = key.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "_-./ :".unicodeScalars.contains(scalar)
        }
        guard allowed else {
            throw PlatformError.invalid("invalid \(kind) key '\(key)': keys may contain only letters, digits, underscores, dashes, periods, colons, slashes and spaces")
        }
        guard !key.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }), !key.hasPrefix("/") else {
            throw PlatformError.invalid("invalid \(kind) key '\(key)': it must not be an absolute path or contain '.' or '..' segments")
        }
    }

    static func validateValue(_ value: String, kind: String, key: String, limit: Int) throws {
        guard value.count <= limit else {
            throw PlatformError.invalid("\(kind) '\(key)' has a value of \(value.count) characters; the limit is \(limit)")
        }
    }

    static func validate(metric: Metric) throws {
        try validateKey(metric.key, kind: "metric")
    }

    static func validate(param: Tag) throws {
        try validateKey(param.key, kind: "param")
        try validateValue(param.value, kind: "param", key: param.key, limit: maxParamValueLength)
    }

    static func validate(tag: Tag) throws {
        try validateKey(tag.key, kind: "tag")
        try validateValue(tag.value, kind: "tag", key: tag.key, limit: maxTagValueLength)
    }

    static func validateMaxResults(_ value: Int, limit: Int = maxSearchResults) throws {
        guard value > 0, value <= limit else {
            throw PlatformError.invalid("max_results must be between 1 and \(limit), got \(value)")
        }
    }
}
