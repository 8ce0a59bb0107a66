/// Text as Unicode scalars (Python's `str` indexing), decoded once per document from UTF-8.
///
/// datatrove measures lengths and slices in code points (`len(line)`, `text[a:b]`), so the
/// filters work on scalar indices.
struct ScalarText {
    /// Code points of the text.
    private(set) var scalars: [UInt32] = []

    init() {}

    init(utf8 bytes: [UInt8]) { decode(bytes) }

    var count: Int { scalars.count }

    /// Decodes `bytes` (UTF-8; an invalid sequence becomes U+FFFD, one per bad byte).
    mutating func decode(_ bytes: [UInt8]) {
        let n = bytes.count
        scalars = [UInt32](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBufferPointer { b in
                var i = 0, k = 0
                let raw = UnsafeRawPointer(b.baseAddress)
                while i < n {
                    // Eight ASCII bytes at a time (most text).
                    if let raw, i + 8 <= n {
                        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                        if word & 0x8080_8080_8080_8080 == 0 {
                            for j in 0..<8 { out[k + j] = UInt32(truncatingIfNeeded: word >> (8 * UInt64(j))) & 0xFF }
                            i += 8
                            k += 8
                            continue
                        }
                    }
                    let b0 = b[i]
                    if b0 < 0x80 {
                        out[k] = UInt32(b0)
                        k += 1
                        i += 1
                        continue
                    }
                    var value: UInt32 = 0xFFFD
                    var length = 1
                    if b0 >= 0xC2, b0 < 0xE0, i + 1 < n, b[i + 1] & 0xC0 == 0x80 {
                        value = UInt32(b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                        length = 2
                    } else if b0 >= 0xE0, b0 < 0xF0, i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 {
                        let v = UInt32(b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                        if v >= 0x800, !(0xD800...0xDFFF).contains(v) { value = v; length = 3 }
                    } else if b0 >= 0xF0, b0 < 0xF5, i + 3 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80,
                              b[i + 3] & 0xC0 == 0x80 {
                        let v = UInt32(b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                            | UInt32(b[i + 3] & 0x3F)
                        if v >= 0x10000, v <= 0x10FFFF { value = v; length = 4 }
                    }
                    out[k] = value
                    k += 1
                    i += length
                }
                initialized = k
            }
        }
    }

    /// UTF-8 of `scalars` (valid code points, as this type produces them).
    static func utf8(_ scalars: [UInt32]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: scalars.count * 4) { out, initialized in
            var k = 0
            for c in scalars {
                switch c {
                case 0..<0x80:
                    out[k] = UInt8(c)
                    k += 1
                case 0x80..<0x800:
                    out[k] = UInt8(0xC0 | c >> 6)
                    out[k + 1] = UInt8(0x80 | c & 0x3F)
                    k += 2
                case 0x800..<0x10000:
                    out[k] = UInt8(0xE0 | c >> 12)
                    out[k + 1] = UInt8(0x80 | (c >> 6) & 0x3F)
                    out[k + 2] = UInt8(0x80 | c & 0x3F)
                    k += 3
                default:
                    out[k] = UInt8(0xF0 | c >> 18)
                    out[k + 1] = UInt8(0x80 | (c >> 12) & 0x3F)
                    out[k + 2] = UInt8(0x80 | (c >> 6) & 0x3F)
                    out[k + 3] = UInt8(0x80 | c & 0x3F)
                    k += 4
                }
            }
            initialized = k
        }
    }
}

/// 64-bit hashes of scalar runs, for hash tables keyed by text (collisions are always re-checked).
/// Two scalars (21 bits each) per multiply, so the dependency chain is half the text's length.
@inline(__always)
func hashScalars(_ text: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(end - start)
    var i = start
    while i + 1 < end {
        h = (h ^ (UInt64(text[i]) | UInt64(text[i + 1]) << 32)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        i += 2
    }
    if i < end {
        h = (h ^ UInt64(text[i])) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
    }
    return h ^ (h >> 32)
}

/// Whether `a[aStart..<aEnd]` and `b[bStart..<bEnd]` hold the same scalars.
@inline(__always)
func equalScalars(_ a: UnsafeBufferPointer<UInt32>, _ aStart: Int, _ aEnd: Int,
                  _ b: UnsafeBufferPointer<UInt32>, _ bStart: Int, _ bEnd: Int) -> Bool {
    let n = aEnd - aStart
    guard n == bEnd - bStart else { return false }
    var i = 0
    while i < n {
        if a[aStart + i] != b[bStart + i] { return false }
        i += 1
    }
    return true
}
