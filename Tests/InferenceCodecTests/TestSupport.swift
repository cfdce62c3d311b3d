import Foundation
import InferenceCodec
import Testing

/// Fixture loading and small helpers shared by the tests.
enum Fixture {
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
                     "missing fixture \(name)")
    }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }

    /// A fixture JSON file parsed by Foundation (an independent oracle for our reader).
    static func json(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url(name))) as? [String: Any])
    }
}

/// Parses bytes with Foundation's JSONSerialization (oracle for our writer).
func foundationJSON(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

/// Asserts `body` throws an ``InferenceCodecError`` with `code` whose message contains every fragment.
func expectCodecError(
    _ code: InferenceCodecError.Code, contains fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(InferenceCodecError) -> Void
) {
    do {
        try body()
        Issue.record("expected \(code) error containing \(fragments), got success", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "message: \(error.message)", sourceLocation: sourceLocation)
        for f in fragments {
            #expect(error.message.contains(f), "'\(error.message)' should contain '\(f)'", sourceLocation: sourceLocation)
        }
    }
}

/// UTF-8 bytes of a string.
func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Little-endian bytes of FP32 values.
func le(_ xs: [Float]) -> [UInt8] { xs.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
