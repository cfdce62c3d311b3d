import Foundation
import InferenceCodec
import Testing

/// The dedicated JSON reader, exercised through OIP bodies and checked against Foundation
/// (JSONSerialization) and the C library (strtod via `Double(String)`) as oracles.
@Suite struct JSONReaderTests {
    /// Decodes one FP64 input whose data is `[text]`.
    func decodeNumber(_ text: String) throws -> Double {
        let body = utf8(#"{"inputs":[{"name":"x","datatype":"FP64","shape":[1],"data":[\#(text)]}]}"#)
        guard case .float64(let v) = try OIPInferRequest.decode(body: body, jsonHeaderLength: nil).inputs[0].values else {
            throw InferenceCodecError(.invalidValue, "not float64")
        }
        return v[0]
    }

    @Test func numbersMatchStrtodExactly() throws {
        var rng = SplitMix64(seed: 42)
        var texts = ["0", "-0", "1", "-1", "0.1", "1e300", "1E-300", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
                     "123456789012345678901234567890", "0.000000000000000000000000000001", "9007199254740993", "-9223372036854775808",
                     "3.14159265358979323846264338327950288", "1e23", "8.98846567431158e307", "0.30000000000000004", "1.5e+2"]
        for _ in 0..<2000 {
            let bits = rng.next()
            let d = Double(bitPattern: bits & 0x7FEF_FFFF_FFFF_FFFF)  // finite
            texts.append(d.description)
            texts.append(String(format: "%.17g", d))
            texts.append(String(format: "%.6e", Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)) .isFinite ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) : 1)))
            texts.append(String(Int64(bitPattern: bits) >> Int64(bits % 60)))
        }
        for t in texts {
            let want = try #require(Double(t), "oracle cannot parse \(t)")
            let got = try decodeNumber(t)
            #expect(got.bitPattern == want.bitPattern || (got == 0 && want == 0), "\(t): got \(got), want \(want)")
        }
    }

    @Test func stringsMatchFoundation() throws {
        let strings = [#""plain""#, #""esc \" \\ \/ \b \f \n \r \t""#, #""\u00e9\u00E9 \u2713 \ud83d\ude00""#, "\"naïve ✓ 😀\"", #""""#]
        for s in strings {
            let body = utf8(#"{"inputs":[{"name":"x","datatype":"BYTES","shape":[1],"data":[\#(s)]}]}"#)
            guard case .bytes(let v) = try OIPInferRequest.decode(body: body, jsonHeaderLength: nil).inputs[0].values else {
                Issue.record("not bytes"); continue
            }
            let want = try #require(try foundationJSON(utf8(s)) as? String)
            #expect(v[0] == Array(want.utf8), "\(s)")
        }
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,2]x", #"{"inputs":[1,]}"#, #"{"inputs":[1 2]}"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{a:1}"#,
        "{'a':1}", #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#, #"{"a":1e}"#, #"{"a":NaN}"#, #"{"a":Infinity}"#,
        #"{"a":tru}"#, #"{"a":nul}"#, #"{"a":"x"#, "{\"a\":\"\u{01}\"}", #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":"\ud800"}"#,
        #"{"a":"\udc00"}"#, "{\"a\":1}/*c*/", #"{"a":+1}"#,
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func rejectsMalformedJSON(_ text: String) {
        expectCodecError(.malformedJSON, contains: ["malformed inference request JSON at byte"]) { () throws(InferenceCodecError) in
            _ = try OIPInferRequest.decode(body: utf8(text), jsonHeaderLength: nil)
        }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let body = utf8(#"{"inputs":[{"name":"x","datatype":"BYTES","shape":[1],"data":[""#) + [0xC3, 0x28] + utf8(#""]}]}"#)
        expectCodecError(.malformedJSON, contains: ["invalid UTF-8"]) { () throws(InferenceCodecError) in
            _ = try OIPInferRequest.decode(body: body, jsonHeaderLength: nil)
        }
    }

    @Test func whitespaceAndKeyOrderAreFree() throws {
        let body = utf8(" {\n\t\"inputs\" : [ { \"data\" : [ 1 , 2 ] , \"shape\" : [ 2 ] , \"datatype\" : \"INT16\" , \"name\" : \"x\" } ] }\r\n ")
        let r = try OIPInferRequest.decode(body: body, jsonHeaderLength: nil)
        #expect(r.inputs == [InferenceTensor(name: "x", datatype: .int16, shape: [2], values: .int64([1, 2]))])
    }
}

/// A tiny seeded generator for reproducible test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
