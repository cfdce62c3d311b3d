/// A minimal JSON writer appending UTF-8 to a byte buffer (internal).
///
/// Floats use Swift's shortest round-trip form; non-finite values are written as
/// `NaN`, `Infinity`, `-Infinity` (accepted by Python's `json` and `rapidjson`, not by strict JSON).
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func byte(_ c: UInt8) { bytes.append(c) }

    /// A quoted, escaped string.
    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                switch c {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    raw("\\u00")
                    bytes.append(hex[Int(c >> 4)])
                    bytes.append(hex[Int(c & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A decimal integer, without allocation.
    mutating func int(_ v: Int64) {
        if v == 0 { bytes.append(UInt8(ascii: "0")); return }
        var u = v.magnitude
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { tmp in
            var n = 0
            while u > 0 { tmp[n] = UInt8(truncatingIfNeeded: u % 10) + 0x30; u /= 10; n += 1 }
            while n > 0 { n -= 1; bytes.append(tmp[n]) }
        }
    }

    @inline(__always) mutating func int(_ v: Int) { int(Int64(v)) }

    mutating func bool(_ v: Bool) { if v { raw("true") } else { raw("false") } }

    mutating func float(_ v: Float) { real(v) }

    mutating func double(_ v: Double) { real(v) }

    /// A finite value in its shortest round-trip form (integral values keep a `.0`);
    /// non-finite ones in Python's spelling.
    private mutating func real<F: BinaryFloatingPoint & CustomStringConvertible>(_ v: F) {
        if v.isFinite {
            if v == v.rounded(.towardZero), abs(v) < 1e15 {
                if v == 0 && v.sign == .minus { byte(UInt8(ascii: "-")) }
                int(Int64(v)); raw(".0")
            } else {
                bytes.append(contentsOf: v.description.utf8)
            }
        } else {
            nonFinite(isNaN: v.isNaN, negative: v < 0)
        }
    }

    private mutating func nonFinite(isNaN: Bool, negative: Bool) {
        if isNaN { raw("NaN") } else if negative { raw("-Infinity") } else { raw("Infinity") }
    }

    /// A list of ints `[1,2,3]`.
    mutating func intArray(_ values: [Int]) {
        byte(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            int(v)
        }
        byte(UInt8(ascii: "]"))
    }
}
