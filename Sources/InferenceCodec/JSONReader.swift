#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small strict JSON (RFC 8259) reader for inference bodies.
///
/// Single pass over the bytes, O(n); nesting limited to ``maxDepth``. Rejects trailing
/// commas, comments, control characters in strings, invalid UTF-8, leading zeros, bare
/// NaN/Infinity and trailing garbage, with the byte offset in the message.
struct JSONReader {
    static let maxDepth = 64
    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    private var depth = 0
    private let what: String

    private init(_ bytes: UnsafeBufferPointer<UInt8>, what: String) {
        self.bytes = bytes
        self.what = what
    }

    /// Parses one complete JSON document; `what` names the body in errors (e.g. "request JSON").
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, what: String) throws(InferenceCodecError) -> JSONValue {
        var r = JSONReader(bytes, what: what)
        r.skipSpace()
        let v = try r.value()
        r.skipSpace()
        if r.pos != bytes.count { throw r.fail("unexpected data after the JSON value") }
        return v
    }

    static func parse(_ bytes: [UInt8], what: String) throws(InferenceCodecError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buf) throws(InferenceCodecError) -> JSONValue in try parse(buf, what: what) }
    }

    private func fail(_ msg: String) -> InferenceCodecError {
        InferenceCodecError(.malformedJSON, "malformed \(what) at byte \(pos): \(msg)")
    }

    @inline(__always) private mutating func skipSpace() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { return }
        }
    }

    private mutating func value() throws(InferenceCodecError) -> JSONValue {
        guard pos < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character '\(Unicode.Scalar(bytes[pos]))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(InferenceCodecError) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw fail("invalid literal") }
        let w = word.utf8Start
        for i in 0..<n where bytes[pos + i] != w[i] { throw fail("invalid literal") }
        pos += n
    }

    private mutating func object() throws(InferenceCodecError) -> JSONValue {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
        pos += 1
        var members: [(key: String, value: JSONValue)] = []
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; depth -= 1; return .object(members) }
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try string()
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            pos += 1
            skipSpace()
            members.append((key, try value()))
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input in object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("expected ',' or '}'")
        }
        depth -= 1
        return .object(members)
    }

    private mutating func array() throws(InferenceCodecError) -> JSONValue {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
        pos += 1
        var items: [JSONValue] = []
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; depth -= 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of input in array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        return .array(items)
    }

    private mutating func string() throws(InferenceCodecError) -> String {
        pos += 1
        let start = pos
        // Fast path: plain ASCII without escapes.
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { break }
            pos += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while true {
            guard pos < bytes.count else { throw fail("unterminated string") }
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; break }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { throw fail("unterminated escape") }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired surrogate in \\u escape")
                    }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid low surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw fail("unpaired surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("invalid escape '\\\(Unicode.Scalar(e))'")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
        return s
    }

    private mutating func hex4() throws(InferenceCodecError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
            pos += 1
        }
        return v
    }

    private static let pow10: [Double] = (0...22).map { e in var p = 1.0; for _ in 0..<e { p *= 10 }; return p }

    private mutating func number() throws(InferenceCodecError) -> JSONValue {
        let start = pos
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") { negative = true; pos += 1 }
        guard pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 else { throw fail("invalid number") }
        var mantissa: UInt64 = 0
        var digits = 0
        var exp10 = 0
        var truncated = false
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { throw fail("leading zero in number") }
        } else {
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[pos] - 0x30); digits += 1 } else { exp10 += 1; truncated = true }
                pos += 1
            }
        }
        var isInteger = true
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 else { throw fail("digit expected after '.'") }
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
                let d = UInt64(bytes[pos] - 0x30)
                if mantissa == 0 && d == 0 {
                    exp10 -= 1
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ d; digits += 1; exp10 -= 1
                } else if d != 0 {
                    truncated = true
                }
                pos += 1
            }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            var expNegative = false
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") {
                expNegative = bytes[pos] == UInt8(ascii: "-"); pos += 1
            }
            guard pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 else { throw fail("digit expected in exponent") }
            var e = 0
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(bytes[pos] - 0x30) }
                pos += 1
            }
            exp10 += expNegative ? -e : e
        }
        if isInteger, !truncated {
            if negative, mantissa <= UInt64(Int64.max) + 1 {
                let i = mantissa == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mantissa)
                return .number(Double(i), i)
            }
            if !negative, mantissa <= UInt64(Int64.max) { return .number(Double(mantissa), Int64(mantissa)) }
        }
        // Exact fast path (Clinger): mantissa < 2^53 and |exp10| <= 22.
        if !truncated, mantissa < (1 << 53), exp10 >= -22, exp10 <= 22 {
            var d = Double(mantissa)
            if exp10 < 0 { d /= Self.pow10[-exp10] } else { d *= Self.pow10[exp10] }
            return .number(negative ? -d : d, nil)
        }
        // Slow path: the C library's correctly rounded strtod.
        let len = pos - start
        let d: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: len + 1) { tmp in
            for i in 0..<len { tmp[i] = CChar(bitPattern: bytes[start + i]) }
            tmp[len] = 0
            return strtod(tmp.baseAddress!, nil)
        }
        return .number(d, nil)
    }
}
