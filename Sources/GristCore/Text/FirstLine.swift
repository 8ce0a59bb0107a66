/// A document's first line, to name it in a listing (the dedup audit's largest clusters): the first line
/// that is not blank, at most `maxBytes` of it, cut at a character, without its trailing spaces.
public enum FirstLine {
    public static let maxBytes = 120

    /// Whether `text` (a document's beginning) already holds its first line: a line end after the
    /// leading blanks, or more than `maxBytes` after them. For reading a document piece by piece.
    public static func isComplete(_ text: [UInt8]) -> Bool {
        let body = text.drop { isBlank($0) }
        return body.contains(0x0A) || body.count > maxBytes
    }

    /// The first line of `text`.
    public static func of(_ text: [UInt8]) -> String {
        let body = text.drop { isBlank($0) }
        let line = body.prefix { $0 != 0x0A }
        var cut = line.prefix(maxBytes)
        if line.count > maxBytes {
            // Not in the middle of a character: drop the continuation bytes of a cut one, then its lead byte.
            while let last = cut.last, last & 0xC0 == 0x80 { cut = cut.dropLast() }
            if let last = cut.last, last >= 0xC0 { cut = cut.dropLast() }
        }
        while let last = cut.last, last == 0x0D || last == 0x20 || last == 0x09 { cut = cut.dropLast() }
        return String(decoding: cut, as: UTF8.self)
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09 }
}
