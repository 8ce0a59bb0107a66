/// UTF-8 checks on raw bytes, ASCII eight bytes at a time.
enum UTF8Validation {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Index of the first byte that does not belong to well-formed UTF-8 (overlong forms,
    /// surrogates and code points above U+10FFFF are ill-formed), or of the first NUL when
    /// `rejectNUL`; nil when the whole range is valid.
    static func firstInvalid(_ p: UnsafePointer<UInt8>, count n: Int, rejectNUL: Bool) -> Int? {
        var i = 0
        while true {
            while i &+ 8 <= n {
                let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let zero = rejectNUL ? (x &- ones) & ~x : 0
                let flags = (x | zero) & highBits
                if flags != 0 {
                    i &+= flags.trailingZeroBitCount >> 3
                    break
                }
                i &+= 8
            }
            guard i < n else { return nil }
            let b = p[i]
            if b < 0x80 {
                if b == 0, rejectNUL { return i }
                i &+= 1
            } else {
                let length = sequenceLength(p, count: n, at: i)
                if length == 0 { return i }
                i &+= length
            }
        }
    }

    /// Length (2...4) of the well-formed multi-byte sequence starting at `p[i]` (a byte >= 0x80),
    /// or 0 when it is ill-formed or cut off by the end. Table 3-7 of the Unicode standard.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, count n: Int, at i: Int) -> Int {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i &+ k < n && p[i &+ k] >= low && p[i &+ k] <= high
        }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0:
            return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(1) && cont(2) ? 3 : 0
        case 0xED:
            return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0:
            return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4:
            return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }
}
