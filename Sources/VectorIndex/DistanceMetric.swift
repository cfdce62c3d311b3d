/// The similarity a vector index ranks by. Every index turns it into a *distance*
/// (smaller is closer), as hnswlib does.
///
/// - `l2`: squared Euclidean distance `sum (a_i - b_i)^2`.
/// - `innerProduct`: `1 - dot(a, b)` (hnswlib's `InnerProductSpace`); for unit vectors this
///   equals the cosine distance.
/// - `cosine`: vectors (stored and query) are normalised to unit length, then `1 - dot`.
public enum DistanceMetric: String, Sendable, Codable, CaseIterable, Hashable {
    case l2
    case innerProduct = "ip"
    case cosine

    /// Parses `l2`, `ip` / `inner_product`, `cosine`.
    public init?(name: String) {
        switch name.lowercased() {
        case "l2", "euclidean": self = .l2
        case "ip", "inner_product", "innerproduct", "dot": self = .innerProduct
        case "cosine", "cos": self = .cosine
        default: return nil
        }
    }

    /// Whether vectors are normalised to unit length before storage and search.
    @inlinable public var normalizes: Bool { self == .cosine }

    /// Distance between two vectors of `count` floats, using the SIMD kernels.
    /// For `.cosine` both inputs must already be unit length (indexes normalise on entry).
    @inlinable @inline(__always)
    public func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        switch self {
        case .l2: return Distance.l2Squared(a, b, count: count)
        case .innerProduct, .cosine: return 1 - Distance.dot(a, b, count: count)
        }
    }
}
