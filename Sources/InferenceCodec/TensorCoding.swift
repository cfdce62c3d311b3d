import Foundation

/// Conversions between ``TensorValues`` and the wire forms (JSON elements, binary blobs). Internal.
enum TensorCoding {
    // MARK: JSON -> values

    /// Flattens nested JSON arrays (row-major) into leaves; a flat array is returned as is.
    static func flatten(_ value: JSONValue, what: String) throws(InferenceCodecError) -> [JSONValue] {
        guard case .array(let items) = value else { return [value] }
        var nested = false
        for item in items { if case .array = item { nested = true; break } }
        if !nested { return items }
        var out: [JSONValue] = []
        out.reserveCapacity(items.count)
        func walk(_ v: JSONValue) {
            if case .array(let xs) = v { for x in xs { walk(x) } } else { out.append(v) }
        }
        walk(value)
        if out.count > InferenceTensor.maxElementCount {
            throw InferenceCodecError(.tooLarge, "\(what): more than \(InferenceTensor.maxElementCount) elements")
        }
        return out
    }

    /// Converts JSON leaves to the storage of `datatype`. `allowB64` accepts `{"b64": "..."}` for BYTES
    /// (TF Serving). Errors name `what` and the element index.
    static func values(
        from items: [JSONValue], datatype: InferenceDataType, what: String, allowB64: Bool = false
    ) throws(InferenceCodecError) -> TensorValues {
        func bad(_ i: Int, _ v: JSONValue, _ expected: String) -> InferenceCodecError {
            InferenceCodecError(.invalidValue, "\(what): element \(i) is \(v.typeName), expected \(expected) for \(datatype.rawValue)")
        }
        switch datatype {
        case .fp16, .fp32:
            var out = [Float](repeating: 0, count: items.count)
            for i in items.indices {
                guard case .number(let d, _) = items[i] else { throw bad(i, items[i], "a number") }
                out[i] = Float(d)
            }
            if datatype == .fp16 {
                // Round to binary16 precision, as a server holding real FP16 would.
                for i in out.indices { out[i] = Half.toFloat(Half.fromFloat(out[i])) }
            }
            return .float32(out)
        case .fp64:
            var out = [Double](repeating: 0, count: items.count)
            for i in items.indices {
                guard case .number(let d, _) = items[i] else { throw bad(i, items[i], "a number") }
                out[i] = d
            }
            return .float64(out)
        case .bool:
            var out = [Bool](repeating: false, count: items.count)
            for i in items.indices {
                guard case .bool(let b) = items[i] else { throw bad(i, items[i], "true or false") }
                out[i] = b
            }
            return .bool(out)
        case .bytes:
            var out: [[UInt8]] = []
            out.reserveCapacity(items.count)
            for i in items.indices {
                switch items[i] {
                case .string(let s): out.append(Array(s.utf8))
                case .object where allowB64:
                    guard let b64 = items[i]["b64"]?.stringValue, let data = Data(base64Encoded: b64) else {
                        throw InferenceCodecError(.invalidValue, "\(what): element \(i) is not a valid {\"b64\": \"...\"} object")
                    }
                    out.append([UInt8](data))
                default: throw bad(i, items[i], "a string")
                }
            }
            return .bytes(out)
        default:
            let range = datatype.integerRange!
            var out = [Int64](repeating: 0, count: items.count)
            for i in items.indices {
                guard case .number(let d, _) = items[i] else { throw bad(i, items[i], "an integer") }
                guard let v = items[i].integerValue else {
                    if d.isFinite && d.rounded(.towardZero) == d {
                        throw InferenceCodecError(.invalidValue, "\(what): element \(i) (\(d)) is out of range for \(datatype.rawValue)")
                    }
                    throw InferenceCodecError(.invalidValue, "\(what): element \(i) (\(d)) is not an integer for \(datatype.rawValue)")
                }
                guard range.contains(v) else {
                    throw InferenceCodecError(.invalidValue, "\(what): element \(i) (\(v)) is out of range for \(datatype.rawValue)")
                }
                out[i] = v
            }
            return .int64(out)
        }
    }

    // MARK: binary -> values

    /// Decodes `count` elements of `datatype` from exactly `raw` (little-endian; BYTES as
    /// 4-byte LE length + bytes per element).
    static func values(
        binary raw: UnsafeRawBufferPointer, datatype: InferenceDataType, count: Int, what: String
    ) throws(InferenceCodecError) -> TensorValues {
        if let size = datatype.byteSize {
            guard raw.count == size * count else {
                throw InferenceCodecError(.binaryDataMismatch,
                    "\(what): binary_data_size \(raw.count) does not match \(count) \(datatype.rawValue) elements (\(size * count) bytes)")
            }
        }
        @inline(__always) func le<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
            T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
        }
        switch datatype {
        case .fp32:
            var out = [Float](repeating: 0, count: count)
            out.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
            #if _endian(big)
            for i in 0..<count { out[i] = Float(bitPattern: le(i, UInt32.self)) }
            #endif
            return .float32(out)
        case .fp64:
            var out = [Double](repeating: 0, count: count)
            out.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
            #if _endian(big)
            for i in 0..<count { out[i] = Double(bitPattern: le(i, UInt64.self)) }
            #endif
            return .float64(out)
        case .fp16:
            return .float32((0..<count).map { Half.toFloat(le($0, UInt16.self)) })
        case .bool:
            return .bool((0..<count).map { raw[$0] != 0 })
        case .uint8: return .int64((0..<count).map { Int64(raw[$0]) })
        case .int8: return .int64((0..<count).map { Int64(Int8(bitPattern: raw[$0])) })
        case .uint16: return .int64((0..<count).map { Int64(le($0, UInt16.self)) })
        case .int16: return .int64((0..<count).map { Int64(le($0, Int16.self)) })
        case .uint32: return .int64((0..<count).map { Int64(le($0, UInt32.self)) })
        case .int32: return .int64((0..<count).map { Int64(le($0, Int32.self)) })
        case .int64: return .int64((0..<count).map { le($0, Int64.self) })
        case .uint64:
            var out = [Int64](repeating: 0, count: count)
            for i in 0..<count {
                let v = le(i, UInt64.self)
                guard v <= UInt64(Int64.max) else {
                    throw InferenceCodecError(.invalidValue, "\(what): element \(i) (\(v)) exceeds Int64.max")
                }
                out[i] = Int64(v)
            }
            return .int64(out)
        case .bytes:
            var out: [[UInt8]] = []
            out.reserveCapacity(count)
            var off = 0
            while off < raw.count {
                guard out.count < count else {
                    throw InferenceCodecError(.binaryDataMismatch, "\(what): BYTES data holds more than the \(count) elements of its shape")
                }
                guard off + 4 <= raw.count else {
                    throw InferenceCodecError(.binaryDataMismatch, "\(what): BYTES element \(out.count) has a truncated 4-byte length prefix")
                }
                let len = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt32.self)))
                off += 4
                guard len <= raw.count - off else {
                    throw InferenceCodecError(.binaryDataMismatch, "\(what): BYTES element \(out.count) length \(len) overruns binary_data_size")
                }
                out.append([UInt8](UnsafeRawBufferPointer(rebasing: raw[off..<(off + len)])))
                off += len
            }
            guard out.count == count else {
                throw InferenceCodecError(.shapeMismatch, "\(what): shape needs \(count) BYTES elements, binary data holds \(out.count)")
            }
            return .bytes(out)
        }
    }

    // MARK: values -> binary

    /// Appends the binary encoding of `values` as `datatype` (values are converted when the
    /// storage case differs: e.g. `.float32` written as FP64; integers truncate to the width).
    static func appendBinary(_ values: TensorValues, as datatype: InferenceDataType, to out: inout [UInt8]) {
        @inline(__always) func put<T: FixedWidthInteger>(_ v: T) {
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
        switch (datatype, values) {
        case (.fp32, .float32(let v)):
            #if _endian(little)
            v.withUnsafeBytes { out.append(contentsOf: $0) }
            #else
            for x in v { put(x.bitPattern) }
            #endif
        case (.fp64, .float64(let v)):
            #if _endian(little)
            v.withUnsafeBytes { out.append(contentsOf: $0) }
            #else
            for x in v { put(x.bitPattern) }
            #endif
        case (.bytes, .bytes(let v)):
            for e in v { put(UInt32(truncatingIfNeeded: e.count)); out.append(contentsOf: e) }
        case (.bytes, _):
            for s in stringsForBytes(values) { put(UInt32(truncatingIfNeeded: s.count)); out.append(contentsOf: s) }
        case (.bool, .bool(let v)):
            for b in v { out.append(b ? 1 : 0) }
        default:
            let n = values.count
            for i in 0..<n {
                let d = double(values, i)
                switch datatype {
                case .fp32: put(Float(d).bitPattern)
                case .fp64: put(d.bitPattern)
                case .fp16: put(Half.fromFloat(Float(d)))
                case .bool: out.append(d != 0 ? 1 : 0)
                case .uint8: put(UInt8(truncatingIfNeeded: int(values, i)))
                case .int8: put(Int8(truncatingIfNeeded: int(values, i)))
                case .uint16: put(UInt16(truncatingIfNeeded: int(values, i)))
                case .int16: put(Int16(truncatingIfNeeded: int(values, i)))
                case .uint32: put(UInt32(truncatingIfNeeded: int(values, i)))
                case .int32: put(Int32(truncatingIfNeeded: int(values, i)))
                case .uint64: put(UInt64(truncatingIfNeeded: int(values, i)))
                case .int64: put(int(values, i))
                case .bytes: break
                }
            }
        }
    }

    /// Element `i` as Double (BYTES: 0).
    @inline(__always) static func double(_ values: TensorValues, _ i: Int) -> Double {
        switch values {
        case .float32(let v): return Double(v[i])
        case .float64(let v): return v[i]
        case .int64(let v): return Double(v[i])
        case .bool(let v): return v[i] ? 1 : 0
        case .bytes: return 0
        }
    }

    /// Element `i` as Int64 (floats truncated toward zero and clamped; BYTES: 0).
    @inline(__always) static func int(_ values: TensorValues, _ i: Int) -> Int64 {
        switch values {
        case .int64(let v): return v[i]
        case .bool(let v): return v[i] ? 1 : 0
        case .bytes: return 0
        default:
            let d = double(values, i)
            if d.isNaN { return 0 }
            return d >= 9.2e18 ? Int64.max : d <= -9.2e18 ? Int64.min : Int64(d)
        }
    }

    /// Non-BYTES values rendered as their decimal text (for a BYTES output fed numbers).
    private static func stringsForBytes(_ values: TensorValues) -> [[UInt8]] {
        (0..<values.count).map { i in
            switch values {
            case .int64(let v): return Array(String(v[i]).utf8)
            case .bool(let v): return Array(String(v[i]).utf8)
            case .float32(let v): return Array(String(v[i]).utf8)
            case .float64(let v): return Array(String(v[i]).utf8)
            case .bytes(let v): return v[i]
            }
        }
    }
}
