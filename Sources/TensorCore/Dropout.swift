/// Inverted dropout with probability `p`; active only on a training tape.
public struct Dropout: Sendable {
    public let p: Float
    public init(_ p: Float) { self.p = p }
    public func callAsFunction(_ x: Variable) -> Variable { x.dropout(p) }
}
