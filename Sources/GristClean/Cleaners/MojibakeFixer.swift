import GristCore

/// `fix_mojibake`: repairs UTF-8 text that was once decoded as Windows-1252 (or Latin-1) and encoded
/// again, the most common mojibake on the web: `Ã©` → `é`, `â€™` → `’`, `Â ` → no-break space.
///
/// A run of characters that all exist in Windows-1252 (the five bytes it leaves undefined read as
/// Latin-1 controls) is turned back into those bytes, and every complete UTF-8 sequence of two to
/// four bytes among them is decoded; other characters stay as they are. Twice-garbled text is
/// repaired by a second pass when the first changed something. Like ftfy's `fix_encoding` (which
/// datatrove's `FTFYFormatter` uses) in its common cases, without its heuristics for rarer ones.
public struct MojibakeFixer: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        enum CodingKeys: String, CodingKey, CaseIterable { case unused }
        public init() {}
        public init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: CodingKeys.self) }
    }

    public static let kind = "fix_mojibake"
    public init(options: Options = .init()) {}
    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        var text = document.text
        for _ in 0..<2 {
            guard let fixed = Self.fix(text) else { break }
            text = fixed
        }
        if text != document.text { document.text = text }
        return .keep
    }

    /// Windows-1252 bytes 0x80–0x9F as code points (0 where undefined: Latin-1's C1 control then).
    private static let cp1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// The Windows-1252 byte of code point `c`, if it has one.
    @inline(__always)
    static func byte(_ c: UInt32) -> UInt8? {
        if c < 0x80 || (c >= 0xA0 && c <= 0xFF) { return UInt8(c) }
        if c >= 0x80 && c <= 0x9F { return cp1252High[Int(c - 0x80)] == 0 ? UInt8(c) : nil }
        if let i = cp1252High.firstIndex(of: c) { return UInt8(0x80 + i) }
        return nil
    }

    /// The repaired text, or nil when nothing looks garbled.
    static func fix(_ text: [UInt8]) -> [UInt8]? {
        // Fast exit: mojibake of UTF-8 always contains a character from U+00C2…U+00F4 (a lead byte).
        var candidate = false
        for i in 0..<max(text.count - 1, 0) where text[i] == 0xC3 && text[i + 1] >= 0x82 && text[i + 1] <= 0xB4 {
            candidate = true
            break
        }
        guard candidate else { return nil }
        let scalars = Array(String(decoding: text, as: UTF8.self).unicodeScalars)
        var out = String.UnicodeScalarView()
        var changed = false
        var i = 0
        while i < scalars.count {
            // A lead byte, then continuation bytes, all as Windows-1252 characters.
            if let lead = byte(scalars[i].value), lead >= 0xC2, lead <= 0xF4 {
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                var bytes = [lead]
                var j = i + 1
                while j < scalars.count, bytes.count < length, let b = byte(scalars[j].value), b & 0xC0 == 0x80 {
                    bytes.append(b)
                    j += 1
                }
                if bytes.count == length, let decoded = decodeOne(bytes) {
                    out.append(decoded)
                    changed = true
                    i = j
                    continue
                }
            }
            out.append(scalars[i])
            i += 1
        }
        return changed ? Array(String(out).utf8) : nil
    }

    private static func decodeOne(_ bytes: [UInt8]) -> Unicode.Scalar? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&iterator), iterator.next() == nil { return s }
        return nil
    }
}
