/// UTF-8 checks on raw bytes, ASCII eight bytes at a time. The bytes come as a `Span` (bounds and
/// lifetime carried together, instead of a pointer and a count); the inner loops read it unchecked.
enum UTF8Validation {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Index of the first byte that does not belong to well-formed UTF-8 (overlong forms,
    /// surrogates and code points above U+10FFFF are ill-formed), or of the first NUL when
    /// `rejectNUL`; nil when the whole range is valid.
    static func firstInvalid(_ p: Span<UInt8>, rejectNUL: Bool) -> Int? {
        let n = p.count, raw = p.bytes
        var i = 0
        while true {
            while i &+ 8 <= n {
                let x = raw.unsafeLoadUnaligned(fromUncheckedByteOffset: i, as: UInt64.self)
                let zero = rejectNUL ? (x &- ones) & ~x : 0
                let flags = (x | zero) & highBits
                if flags != 0 {
                    i &+= flags.trailingZeroBitCount >> 3
                    break
                }
                i &+= 8
            }
            guard i < n else { return nil }
            let b = p[unchecked: i]
            if b < 0x80 {
                if b == 0, rejectNUL { return i }
                i &+= 1
            } else {
                let length = sequenceLength(p, at: i)
                if length == 0 { return i }
                i &+= length
            }
        }
    }

    /// Length (2...4) of the well-formed multi-byte sequence starting at `p[i]` (a byte >= 0x80),
    /// or 0 when it is ill-formed or cut off by the end. Table 3-7 of the Unicode standard.
    @inline(__always)
    static func sequenceLength(_ p: Span<UInt8>, at i: Int) -> Int {
        let b0 = p[unchecked: i]
        let n = p.count
        @inline(__always) func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i &+ k < n && p[unchecked: i &+ k] >= low && p[unchecked: i &+ k] <= high
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

    /// Replaces each ill-formed sequence of `bytes` with U+FFFD, one per maximal subpart (as
    /// WHATWG's decoder and Python's `errors="replace"` do). Returns the number of replacements.
    @discardableResult
    static func repair(_ bytes: inout [UInt8]) -> Int {
        guard let first = firstInvalid(bytes.span, rejectNUL: false) else { return 0 }
        let (out, replaced) = repaired(bytes, from: first)
        bytes = out
        return replaced
    }

    /// `bytes` with each ill-formed sequence from `first` on replaced, and the number of replacements.
    private static func repaired(_ bytes: [UInt8], from first: Int) -> (bytes: [UInt8], replaced: Int) {
        var replaced = 0
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        out.append(contentsOf: bytes[..<first])
        let p = bytes.span, n = p.count
        var i = first
        while i < n {
            let b = p[unchecked: i]
            if b < 0x80 {
                out.append(b)
                i += 1
                continue
            }
            let length = sequenceLength(p, at: i)
            if length > 0 {
                out.append(contentsOf: bytes[i..<(i + length)])
                i += length
            } else {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                replaced += 1
                i += maximalSubpart(p, at: i)
            }
        }
        return (out, replaced)
    }

    /// Length (1...3) of the longest prefix of a well-formed sequence at `p[i]`, which itself is not
    /// well-formed: the bytes one U+FFFD replaces.
    static func maximalSubpart(_ p: Span<UInt8>, at i: Int) -> Int {
        let n = p.count
        var need = 0
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch p[i] {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; high = 0x9F
        case 0xF0: need = 3; low = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; high = 0x8F
        default: return 1
        }
        var k = 1
        while k <= need, i + k < n {
            let c = p[i + k]
            let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard c >= lo, c <= hi else { break }
            k += 1
        }
        return min(k, need)
    }
}
