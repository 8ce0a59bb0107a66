/// Byte offsets and Unicode scalar offsets in valid UTF-8 text: a scalar starts at every byte that is
/// not a continuation byte (`10xxxxxx`).
enum UTF8Offsets {
    @inline(__always)
    static func isScalarStart(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

    /// Scalars in `text[range]`.
    static func scalarCount(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        for i in range where isScalarStart(text[i]) { count += 1 }
        return count
    }

    /// The byte offset `scalars` scalars before `offset` (a scalar boundary), clamped at 0.
    static func back(_ text: UnsafeBufferPointer<UInt8>, from offset: Int, scalars: Int) -> Int {
        var i = offset
        var left = scalars
        while left > 0, i > 0 {
            i -= 1
            while i > 0, !isScalarStart(text[i]) { i -= 1 }
            left -= 1
        }
        return i
    }

    /// The byte offset `scalars` scalars after `offset` (a scalar boundary), clamped at the end.
    static func forward(_ text: UnsafeBufferPointer<UInt8>, from offset: Int, scalars: Int) -> Int {
        var i = offset
        var left = scalars
        let n = text.count
        while left > 0, i < n {
            i += 1
            while i < n, !isScalarStart(text[i]) { i += 1 }
            left -= 1
        }
        return i
    }
}
