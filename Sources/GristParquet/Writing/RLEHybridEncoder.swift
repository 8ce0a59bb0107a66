/// Parquet's RLE / bit-packing hybrid: the encoding of definition levels and of dictionary indices.
///
/// ```
/// run            := rle-run | bit-packed-run
/// rle-run        := varint(count << 1)      value in ceil(bitWidth / 8) bytes, little-endian
/// bit-packed-run := varint(groups << 1 | 1) groups × 8 values, bitWidth bits each, low bits first
/// ```
/// Like Arrow's `RleEncoder`: a run of 8 or more equal values that starts on a group boundary is an
/// RLE run, everything else is bit-packed, at most 63 groups a run (so its header is one byte); the
/// last group is padded with zeros (readers stop at the page's value count). Spec: parquet-format's
/// `Encodings.md`, "Run Length Encoding / Bit-Packing Hybrid".
enum RLEHybridEncoder {
    /// The fewest bits that hold every value below `count` (at least 1): the bit width of dictionary
    /// indices into a dictionary of `count` entries.
    static func bitWidth(forValuesBelow count: Int) -> Int {
        count <= 2 ? 1 : Int.bitWidth - (count - 1).leadingZeroBitCount
    }

    /// Appends the runs of `values` to `out`; every value must fit in `bitWidth` bits (1...32).
    static func encode<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, bitWidth: Int, into out: inout [UInt8]
    ) {
        precondition(bitWidth >= 1 && bitWidth <= 32, "bit width \(bitWidth) is outside 1...32")
        let count = values.count
        var start = 0
        while start < count {
            let run = runLength(values, at: start, limit: Int(Int32.max))
            if run >= 8 {
                writeRLERun(value: UInt32(values[start]), count: run, bitWidth: bitWidth, into: &out)
                start += run
                continue
            }
            var end = start
            var groups = 0
            repeat {
                end += 8
                groups += 1
            } while end < count && groups < 63 && runLength(values, at: end, limit: 8) < 8
            writeBitPackedRun(values, from: start, groups: groups, bitWidth: bitWidth, into: &out)
            start = end
        }
    }

    /// How many values from `start` on equal `values[start]`, counting up to `limit`.
    @inline(__always)
    private static func runLength<Value: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<Value>, at start: Int, limit: Int
    ) -> Int {
        let first = values[start]
        let end = min(values.count, start + limit)
        var index = start + 1
        while index < end && values[index] == first { index += 1 }
        return index - start
    }

    private static func writeRLERun(value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        writeVarint(UInt64(count) << 1, into: &out)
        var rest = value
        for _ in 0..<(bitWidth + 7) / 8 {
            out.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// `groups` groups of 8 values from `start`, the values past the end taken as 0.
    private static func writeBitPackedRun<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, from start: Int, groups: Int, bitWidth: Int, into out: inout [UInt8]
    ) {
        writeVarint(UInt64(groups) << 1 | 1, into: &out)
        var pending: UInt64 = 0
        var pendingBits = 0
        for index in start..<(start + groups * 8) {
            let value = index < values.count ? UInt64(values[index]) : 0
            pending |= value << UInt64(pendingBits)
            pendingBits += bitWidth
            while pendingBits >= 8 {
                out.append(UInt8(truncatingIfNeeded: pending))
                pending >>= 8
                pendingBits -= 8
            }
        }
        assert(pendingBits == 0, "8 values of any width fill whole bytes")
    }

    private static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }
}
