/// Decodes one UTF-8 sequence for the pre-tokenizers: RFC 3629 ranges (no overlongs, no surrogates,
/// nothing above U+10FFFF). A byte that does not start a well-formed sequence decodes as
/// `UTF8Scalar.invalid` with length 1, which every pre-tokenizer treats as an "other" character.
enum UTF8Scalar {
    static let invalid: UInt32 = 0xFFFF_FFFF

    /// The scalar value and byte length of the sequence at `index` (`base[index] >= 0x80`).
    @inline(__always)
    static func decode(_ base: UnsafePointer<UInt8>, _ count: Int, at index: Int) -> (UInt32, Int) {
        let b0 = UInt32(base[index])
        let available = count - index
        @inline(__always) func continuation(_ offset: Int, _ low: UInt32 = 0x80, _ high: UInt32 = 0xBF) -> UInt32? {
            let byte = UInt32(base[index + offset])
            return byte >= low && byte <= high ? byte & 0x3F : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard available >= 2, let b1 = continuation(1) else { return (invalid, 1) }
            return ((b0 & 0x1F) << 6 | b1, 2)
        case 0xE0...0xEF:
            let low: UInt32 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt32 = b0 == 0xED ? 0x9F : 0xBF
            guard available >= 3, let b1 = continuation(1, low, high), let b2 = continuation(2) else { return (invalid, 1) }
            return ((b0 & 0x0F) << 12 | b1 << 6 | b2, 3)
        case 0xF0...0xF4:
            let low: UInt32 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt32 = b0 == 0xF4 ? 0x8F : 0xBF
            guard available >= 4, let b1 = continuation(1, low, high), let b2 = continuation(2),
                  let b3 = continuation(3) else { return (invalid, 1) }
            return ((b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
        default:
            return (invalid, 1)
        }
    }
}

/// Case-insensitive English contraction suffixes after an apostrophe, as `(?i:…)` in tiktoken's
/// cl100k and o200k patterns matches them (Unicode simple case folding: `ſ` U+017F folds to `s`).
enum Contraction {
    /// The end of `'s 't 'd 'm 're 've 'll` (any case) at `index` (which holds `'`), or nil.
    @inline(__always)
    static func end(_ base: UnsafePointer<UInt8>, _ count: Int, at index: Int) -> Int? {
        guard index + 1 < count else { return nil }
        @inline(__always) func lower(_ offset: Int) -> UInt8 {
            guard index + offset < count else { return 0 }
            let byte = base[index + offset]
            return byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        switch lower(1) {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "d"), UInt8(ascii: "m"):
            return index + 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return lower(2) == UInt8(ascii: "e") ? index + 3 : nil
        case UInt8(ascii: "l"):
            return lower(2) == UInt8(ascii: "l") ? index + 3 : nil
        case 0xC5:  // ſ (U+017F, LATIN SMALL LETTER LONG S) = C5 BF
            return index + 2 < count && base[index + 2] == 0xBF ? index + 3 : nil
        default:
            return nil
        }
    }
}
