import GristCore

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

    /// How `append` writes each character.
    enum Escaping {
        /// UTF-8 as it is (`merges.txt`).
        case none
        /// UTF-8 with `"` and `\` escaped, for the inside of a JSON string.
        case json
        /// Inside a JSON string with everything outside ASCII as `\u00e9`, as Python's `json.dumps` writes
        /// it by default (OpenAI's `encoder.json`).
        case jsonASCII
    }

    /// `written[escaping][b]` is what `append` writes for byte `b`.
    private static let written: [[[UInt8]]] = [Escaping.none, .json, .jsonASCII].map { escaping in
        (0..<256).map { byte in
            let character = String(Unicode.Scalar(scalar[byte]).unsafelyUnwrapped)
            switch escaping {
            case .none: return Array(character.utf8)
            case .json: return Array(JSONText.quoted(character).utf8.dropFirst().dropLast())
            case .jsonASCII: return Array(JSONText.quotedASCII(character).utf8.dropFirst().dropLast())
            }
        }
    }

    /// Appends the characters that stand for `bytes` to `out`, escaped as `escaping` says.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], escaping: Escaping) {
        let table = written[escaping == .none ? 0 : escaping == .json ? 1 : 2]
        for byte in bytes { out.append(contentsOf: table[Int(byte)]) }
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
