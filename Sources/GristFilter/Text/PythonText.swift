/// Python `str` operations on scalar ranges, with Python's exact rules: datatrove's filters are
/// written with `splitlines()`, `strip()`, `split()`, `count()` and `endswith()`, and agreement
/// depends on their details (which characters are line breaks or whitespace).
enum PythonText {
    /// Python's line boundaries for `str.splitlines()`: \n \r (and \r\n) \v \f \x1c \x1d \x1e \x85 U+2028 U+2029.
    @inline(__always)
    static func isLineBreak(_ c: UInt32) -> Bool {
        (c >= 0x0A && c <= 0x0D) || (c >= 0x1C && c <= 0x1E) || c == 0x85 || c == 0x2028 || c == 0x2029
    }

    @inline(__always)
    static func isSpace(_ c: UInt32) -> Bool {
        c < 0x80 ? (c == 0x20 || c &- 0x09 < 5 || c &- 0x1C < 4) : CharacterClasses.space.contains(c)
    }

    /// `text[a..<b].splitlines()` as ranges (no trailing empty line after a final break).
    static func splitLines(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, into lines: inout [(Int, Int)]) {
        var start = a
        var i = a
        while i < b {
            let c = t[i]
            if isLineBreak(c) {
                lines.append((start, i))
                if c == 0x0D, i + 1 < b, t[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < b { lines.append((start, b)) }
    }

    /// `text[a..<b].split(sep)` for a one-character separator, as ranges (empty pieces kept).
    static func split(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, on sep: UInt32, into parts: inout [(Int, Int)]) {
        var start = a
        for i in a..<b where t[i] == sep {
            parts.append((start, i))
            start = i + 1
        }
        parts.append((start, b))
    }

    /// The range of `text[a..<b].strip()`.
    @inline(__always)
    static func strip(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> (Int, Int) {
        var s = a, e = b
        while s < e, isSpace(t[s]) { s += 1 }
        while e > s, isSpace(t[e - 1]) { e -= 1 }
        return (s, e)
    }

    /// `text[a..<b].split()` (runs of whitespace separate words), as ranges.
    static func words(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, into words: inout [(Int, Int)]) {
        var i = a
        while i < b {
            while i < b, isSpace(t[i]) { i += 1 }
            if i == b { break }
            let start = i
            while i < b, !isSpace(t[i]) { i += 1 }
            words.append((start, i))
        }
    }

    /// `text[a..<b].count(needle)`: non-overlapping occurrences, left to right.
    static func count(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ needle: [UInt32]) -> Int {
        let m = needle.count
        guard m > 0, b - a >= m else { return 0 }
        var n = 0
        var i = a
        let first = needle[0]
        while i + m <= b {
            if t[i] == first, hasPrefix(t, i, b, needle) {
                n += 1
                i += m
            } else {
                i += 1
            }
        }
        return n
    }

    @inline(__always)
    static func hasPrefix(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ p: [UInt32]) -> Bool {
        if p.count > b - a { return false }
        var k = 0
        while k < p.count {
            if t[a + k] != p[k] { return false }
            k += 1
        }
        return true
    }

    @inline(__always)
    static func hasSuffix(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ s: [UInt32]) -> Bool {
        if s.count > b - a { return false }
        return hasPrefix(t, b - s.count, b, s)
    }

    /// Whether `text[a..<b].lower()` contains `needle` (lowercase ASCII). Only A–Z and the Kelvin
    /// sign lower to ASCII letters (checked by the table generator); U+0130 lowers to "i̇", whose
    /// combining dot no needle has, so it is mapped to a character that matches nothing.
    static func lowercasedContains(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ needle: [UInt32]) -> Bool {
        let m = needle.count
        guard m > 0, b - a >= m else { return false }
        var i = a
        while i + m <= b {
            var k = 0
            while k < m, lower(t[i + k]) == needle[k] { k += 1 }
            if k == m { return true }
            i += 1
        }
        return false
    }

    /// Whether `text[i..<b].lower()` starts with `needle` (lowercase ASCII).
    @inline(__always)
    static func lowercasedHasPrefix(_ t: UnsafeBufferPointer<UInt32>, _ i: Int, _ b: Int, _ needle: [UInt32]) -> Bool {
        if needle.count > b - i { return false }
        var k = 0
        while k < needle.count {
            if lower(t[i + k]) != needle[k] { return false }
            k += 1
        }
        return true
    }

    @inline(__always)
    static func lower(_ c: UInt32) -> UInt32 {
        if c &- 0x41 < 26 { return c | 0x20 }
        if c == 0x212A { return 0x6B }
        if c == 0x130 { return 0xFFFF_FFFF }
        return c
    }

    static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
}
