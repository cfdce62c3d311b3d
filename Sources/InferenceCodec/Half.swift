/// IEEE 754 binary16 <-> binary32 conversion by bit manipulation (portable: no `Float16`).
enum Half {
    /// Exact widening of a binary16 bit pattern to Float (subnormals, inf, NaN preserved).
    @inlinable @inline(__always)
    static func toFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exp = UInt32(h >> 10) & 0x1F
        let mant = UInt32(h & 0x3FF)
        if exp == 0 {
            // Zero or subnormal: mant * 2^-24.
            let v = Float(mant) * (1.0 / 16_777_216.0)
            return sign != 0 ? -v : v
        }
        if exp == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mant << 13))
        }
        return Float(bitPattern: sign | ((exp + 112) << 23) | (mant << 13))
    }

    /// Narrowing Float -> binary16 with round-to-nearest-even; overflow -> inf, NaN stays NaN.
    @inlinable @inline(__always)
    static func fromFloat(_ f: Float) -> UInt16 {
        let x = f.bitPattern
        let sign = UInt16((x >> 16) & 0x8000)
        let exp = Int((x >> 23) & 0xFF)
        var mant = x & 0x7F_FFFF
        if exp == 0xFF {
            return sign | 0x7C00 | (mant != 0 ? 0x200 : 0)
        }
        let e = exp - 127 + 15
        if e >= 0x1F { return sign | 0x7C00 }
        if e <= 0 {
            if e < -10 { return sign }  // underflows to zero
            mant |= 0x80_0000
            let shift = UInt32(14 - e)
            var half = mant >> shift
            let rem = mant & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if rem > halfway || (rem == halfway && (half & 1) == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var h = UInt32(e) << 10 | (mant >> 13)
        let rem = mant & 0x1FFF
        if rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1) { h += 1 }  // carry may roll into inf: correct
        return sign | UInt16(h)
    }
}
