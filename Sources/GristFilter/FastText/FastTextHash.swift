/// fastText's string hash: 32-bit FNV-1a, except that each byte is folded in as a *signed* char
/// sign-extended to 32 bits (`h ^= uint32(int8(c))`), so bytes 0x80...0xFF differ from textbook FNV-1a.
enum FastTextHash {
    static let offsetBasis: UInt32 = 2_166_136_261
    static let prime: UInt32 = 16_777_619

    @inline(__always)
    static func step(_ h: UInt32, _ byte: UInt8) -> UInt32 {
        (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: byte)))) &* prime
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h = offsetBasis
        for b in bytes { h = step(h, b) }
        return h
    }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var h = offsetBasis
        for b in bytes { h = step(h, b) }
        return h
    }
}
