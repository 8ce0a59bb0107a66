/// GPT-2's byte-to-character table (`bytes_to_unicode` in OpenAI's `encoder.py`, Hugging Face's
/// `ByteLevel`): each byte is written as one printable character, so a byte-level token can be
/// stored as a JSON string in `tokenizer.json`.
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 bytes map,
/// in increasing order, to U+0100, U+0101, ….
enum ByteLevelAlphabet {
    /// `scalar[b]` is the character that stands for byte `b`.
    static let scalar: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte a character stands for, if it is one of the 256.
    static func byte(for scalar: UInt32) -> UInt8? {
        if scalar < 256 { return isPrintable(Int(scalar)) ? UInt8(scalar) : nil }
        guard scalar < 256 + 68 else { return nil }
        return reverse[Int(scalar - 256)]
    }

    private static let reverse: [UInt8] = {
        var out: [UInt8] = []
        for byte in 0..<256 where !isPrintable(byte) { out.append(UInt8(byte)) }
        return out
    }()

    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The token bytes written as a `tokenizer.json` string.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        for byte in bytes { out.append(Unicode.Scalar(scalar[Int(byte)]).unsafelyUnwrapped) }
        return String(out)
    }

    /// The bytes a `tokenizer.json` string stands for, or nil if it uses a character outside the table.
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let byte = byte(for: scalar.value) else { return nil }
            out.append(byte)
        }
        return out
    }
}
