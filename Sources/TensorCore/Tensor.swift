/// A dense Float32 tensor stored contiguously in row-major (C) order.
///
/// `Tensor` is a value type with copy-on-write storage (a Swift `[Float]`), so it is
/// `Sendable` and cheap to pass around. Views are materialised: `transposed()`,
/// `slice` and friends return new contiguous tensors. This keeps every kernel a plain
/// loop over a buffer and every BLAS call a contiguous one.
///
/// Shape conventions follow PyTorch: the last axis is the fastest-varying one; a
/// `Linear` weight is `[out, in]`; a batch of sequences is `[batch, seq, hidden]`.
public struct Tensor: Sendable, Equatable {
    /// Extent of every axis. A scalar has shape `[]` and one element.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    /// Read-only outside the module so the count can never drift from the shape; write
    /// through `subscript(flat:)` or `withUnsafeMutableBufferPointer` (no copy when unique).
    public internal(set) var scalars: [Float] {
        get { storage }
        _modify { yield &storage }
        set { storage = newValue }
    }
    @usableFromInline var storage: [Float]

    /// Element at a row-major flat index.
    @inlinable
    public subscript(flat index: Int) -> Float {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Gives mutable access to the elements in place (count fixed).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }

    /// Gives read access to the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Wraps `scalars` (row-major) with `shape`. Traps when the counts differ.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor: shape \(shape) holds \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self.shape = shape
        self.storage = scalars
    }

    /// A 1-D tensor of `values`.
    public init(_ values: [Float]) { self.init(shape: [values.count], scalars: values) }

    /// A 2-D tensor from rows of equal length.
    public init(_ rows: [[Float]]) {
        let cols = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == cols }, "Tensor: ragged rows")
        self.init(shape: [rows.count, cols], scalars: rows.flatMap { $0 })
    }

    /// A scalar (rank-0) tensor.
    public init(scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// Builds a tensor by writing its elements into an uninitialised buffer. `body` must
    /// initialise every element. Used by kernels to avoid a zero-fill pass.
    @inlinable
    public init(shape: [Int], unsafeUninitialized body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let n = shape.reduce(1, *)
        let s = [Float](unsafeUninitializedCapacity: n) { buf, count in
            body(buf)
            count = n
        }
        self.init(shape: shape, scalars: s)
    }

    /// Number of elements.
    @inlinable public var count: Int { scalars.count }
    /// Number of axes.
    @inlinable public var rank: Int { shape.count }
    /// Row-major strides in elements (for callers that index by hand).
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements")
        return scalars[0]
    }

    /// Element at a full multi-index (slow; for tests and debugging).
    public subscript(_ index: Int...) -> Float {
        get { scalars[offset(index)] }
        set { scalars[offset(index)] = newValue }
    }

    private func offset(_ index: [Int]) -> Int {
        precondition(index.count == rank, "Tensor: index \(index) for shape \(shape)")
        var o = 0
        for (i, s) in zip(index, shape) {
            precondition(i >= 0 && i < s, "Tensor: index \(index) out of bounds for shape \(shape)")
            o = o * s + i
        }
        return o
    }

    /// Size of the last axis (1 for a scalar).
    @inlinable public var lastDim: Int { shape.last ?? 1 }
    /// Number of rows when viewed as `[count / lastDim, lastDim]`.
    @inlinable public var rowCount: Int { lastDim == 0 ? 0 : count / lastDim }

    /// Replaces the shape keeping the element count and order (no copy).
    /// One extent may be `-1` and is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var t = self
        t.shape = Tensor.resolve(newShape, count: count)
        return t
    }

    static func resolve(_ newShape: [Int], count: Int) -> [Int] {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "Tensor.reshaped: cannot infer -1 in \(newShape) for \(count) elements")
            s[i] = count / known
        }
        precondition(s.reduce(1, *) == count, "Tensor.reshaped: \(newShape) does not hold \(count) elements")
        return s
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", ..." : "")])"
    }
}
