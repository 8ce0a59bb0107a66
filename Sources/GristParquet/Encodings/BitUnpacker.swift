/// Unpacks values of `bitWidth` bits packed least significant bit first, as Parquet's RLE/bit-packed
/// hybrid and DELTA_BINARY_PACKED store them: value i is bits `i*w ..< (i+1)*w` of the byte stream.
enum BitUnpacker {
    /// Unpacks `count` values of up to 32 bits from `bytes`, the first at bit `startBit` (`bytes`
    /// must hold `startBit + count * bitWidth` bits).
    @inline(__always)
    static func unpack32(
        _ bytes: UnsafeRawBufferPointer, startBit: Int = 0, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<UInt32>
    ) {
        if bitWidth == 0 {
            out.update(repeating: 0, count: count)
            return
        }
        let base = bytes.baseAddress!
        let mask = bitWidth == 32 ? UInt64(UInt32.max) : (UInt64(1) << UInt64(bitWidth)) - 1
        var bit = startBit
        var i = 0
        // Fast path: one unaligned 8-byte load per value while 8 bytes remain.
        let fastEnd = bytes.count - 8
        while i < count, (bit >> 3) <= fastEnd {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
            out[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += bitWidth
            i += 1
        }
        while i < count {
            out[i] = UInt32(truncatingIfNeeded: slowValue(base, byteCount: bytes.count, bit: bit, bitWidth: bitWidth))
            bit += bitWidth
            i += 1
        }
    }

    /// Unpacks `count` values of up to 64 bits from `bytes`, the first at bit `startBit` (`bytes`
    /// must hold `startBit + count * bitWidth` bits).
    static func unpack64(
        _ bytes: UnsafeRawBufferPointer, startBit: Int = 0, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<UInt64>
    ) {
        if bitWidth == 0 {
            out.update(repeating: 0, count: count)
            return
        }
        let base = bytes.baseAddress!
        let mask = bitWidth == 64 ? UInt64.max : (UInt64(1) << UInt64(bitWidth)) - 1
        var bit = startBit
        var i = 0
        let fastEnd = bytes.count - 9
        while i < count, (bit >> 3) <= fastEnd {
            let byte = bit >> 3
            let shift = UInt64(bit & 7)
            var value = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) >> shift
            if shift > 0, Int(shift) + bitWidth > 64 {
                value |= UInt64(base.load(fromByteOffset: byte + 8, as: UInt8.self)) << (64 - shift)
            }
            out[i] = value & mask
            bit += bitWidth
            i += 1
        }
        while i < count {
            out[i] = slowValue(base, byteCount: bytes.count, bit: bit, bitWidth: bitWidth)
            bit += bitWidth
            i += 1
        }
    }

    /// One value assembled byte by byte (near the end of the buffer).
    private static func slowValue(_ base: UnsafeRawPointer, byteCount: Int, bit: Int, bitWidth: Int) -> UInt64 {
        var value: UInt64 = 0
        var got = 0
        var position = bit
        while got < bitWidth {
            let byteIndex = position >> 3
            let offset = position & 7
            let byte = byteIndex < byteCount ? UInt64(base.load(fromByteOffset: byteIndex, as: UInt8.self)) : 0
            let take = min(8 - offset, bitWidth - got)
            value |= ((byte >> UInt64(offset)) & ((1 << UInt64(take)) - 1)) << UInt64(got)
            got += take
            position += take
        }
        return value
    }
}
