#if canImport(Glibc)
import Glibc
#endif

/// Decodes JSON string contents that `JSONScanner` has already validated.
///
/// Validation and decoding are separate passes: the scanner checks every byte once, and this
/// pass only has to find backslashes (`memchr`) and copy the runs between them.
enum JSONString {
    /// The UTF-8 bytes of the string whose contents (without quotes) are `p[start..<end]`.
    /// `escaped: false` promises the contents have no backslash, so they are copied as they are.
    static func decode(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, escaped: Bool = true) -> [UInt8] {
        let count = end - start
        if count <= 0 { return [] }
        if !escaped { return Array(UnsafeBufferPointer(start: p + start, count: count)) }
        // Escapes only shrink: the decoded text is never longer than the escaped one.
        return [UInt8](unsafeUninitializedCapacity: count) { out, written in
            guard let o = out.baseAddress else { return }
            var w = 0
            var i = start
            while i < end {
                guard let found = memchr(p + i, 0x5C, end - i) else {
                    (o + w).update(from: p + i, count: end - i)
                    w += end - i
                    break
                }
                let backslash = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p
                (o + w).update(from: p + i, count: backslash - i)
                w += backslash - i
                i = backslash
                let code = i + 1 < end ? p[i + 1] : 0
                switch code {
                case UInt8(ascii: "b"): o[w] = 0x08
                case UInt8(ascii: "f"): o[w] = 0x0C
                case UInt8(ascii: "n"): o[w] = 0x0A
                case UInt8(ascii: "r"): o[w] = 0x0D
                case UInt8(ascii: "t"): o[w] = 0x09
                case UInt8(ascii: "u"):
                    guard i + 6 <= end else {  // cannot happen after validation; never read past the end
                        o[w] = 0x3F
                        w += 1
                        i = end
                        continue
                    }
                    var scalar = hex4(p, i + 2)
                    i += 6
                    if (0xD800...0xDBFF).contains(scalar), i + 6 <= end, p[i] == 0x5C, p[i + 1] == UInt8(ascii: "u") {
                        let low = hex4(p, i + 2)
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                    }
                    w += encode(scalar, into: o + w)
                    continue
                default: o[w] = code  // \" \\ \/
                }
                w += 1
                i += 2
            }
            written = w
        }
    }

    /// The value of four hex digits (already validated).
    @inline(__always)
    static func hex4(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let d = hexValue(p[i + k]) else { return 0xFFFD }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Writes `scalar` as UTF-8 at `o`, returning the byte count (U+FFFD for a value that is not a scalar).
    @inline(__always)
    static func encode(_ scalar: UInt32, into o: UnsafeMutablePointer<UInt8>) -> Int {
        var s = scalar
        if (0xD800...0xDFFF).contains(s) || s > 0x10FFFF { s = 0xFFFD }
        switch s {
        case 0..<0x80:
            o[0] = UInt8(s)
            return 1
        case 0x80..<0x800:
            o[0] = UInt8(0xC0 | s >> 6)
            o[1] = UInt8(0x80 | s & 0x3F)
            return 2
        case 0x800..<0x10000:
            o[0] = UInt8(0xE0 | s >> 12)
            o[1] = UInt8(0x80 | s >> 6 & 0x3F)
            o[2] = UInt8(0x80 | s & 0x3F)
            return 3
        default:
            o[0] = UInt8(0xF0 | s >> 18)
            o[1] = UInt8(0x80 | s >> 12 & 0x3F)
            o[2] = UInt8(0x80 | s >> 6 & 0x3F)
            o[3] = UInt8(0x80 | s & 0x3F)
            return 4
        }
    }
}
