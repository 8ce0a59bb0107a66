import GristCore

/// The parsed contents of a tiktoken ranks file: one `base64(token bytes) rank` per line.
///
/// Stricter than tiktoken's loader, because a silently wrong vocabulary corrupts every shard:
/// bad base64, a missing or non-numeric rank, extra fields, a duplicate rank or duplicate token
/// bytes, or a rank far above the token count are `.badFormat` errors naming the line.
/// Empty lines (and a trailing `\r`) are ignored.
struct TiktokenFile {
    /// Decoded token bytes, in file order; each entry's bytes are a slice of one shared buffer.
    var entries: [(bytes: ArraySlice<UInt8>, rank: UInt32)] = []

    /// Parses `contents`; `path` only labels errors.
    init(contents: UnsafeRawBufferPointer, path: String) throws {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(contents.count / 2)
        var spans: [(start: Int, end: Int, rank: UInt32)] = []
        var lineOfRank: [UInt32: Int] = [:]
        var lineOfToken: [[UInt8]: Int] = [:]

        var lineNumber = 0
        var lineStart = 0
        let bytes = contents.assumingMemoryBound(to: UInt8.self)
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            defer { lineStart = next }
            if lineEnd == lineStart { continue }

            func fail(_ message: String) -> GristError {
                GristError(.badFormat, "tiktoken ranks file: \(message)",
                           at: InputPosition(path: path, line: lineNumber),
                           hint: "each line must be `base64(token bytes) rank`, e.g. `IQ== 0`")
            }
            let fields = bytes[lineStart..<lineEnd]
                .split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard !fields.isEmpty else { throw fail("blank line with spaces") }
            guard fields.count >= 2 else { throw fail("missing rank") }
            guard fields.count == 2 else { throw fail("expected 2 fields, found \(fields.count)") }

            let start = decoded.count
            guard Base64.decode(fields[0], into: &decoded), decoded.count > start else {
                throw fail("invalid base64 token '\(String(decoding: fields[0].prefix(40), as: UTF8.self))'")
            }
            guard let rank = Self.parseRank(fields[1]) else {
                throw fail("invalid rank '\(String(decoding: fields[1].prefix(40), as: UTF8.self))'")
            }
            if let previous = lineOfRank[rank] { throw fail("duplicate rank \(rank) (first on line \(previous))") }
            lineOfRank[rank] = lineNumber
            let token = Array(decoded[start...])
            if let previous = lineOfToken[token] {
                throw fail("duplicate token bytes (first on line \(previous))")
            }
            lineOfToken[token] = lineNumber
            spans.append((start, decoded.count, rank))
        }
        guard !spans.isEmpty else {
            throw GristError(.badFormat, "tiktoken ranks file has no tokens", at: InputPosition(path: path))
        }
        // Ranks index dense tables, so they must stay near the token count (they are 0..<n in practice).
        if let (rank, line) = lineOfRank.max(by: { $0.key < $1.key }), Int(rank) >= 2 * spans.count + 65_536 {
            throw GristError(.badFormat, "tiktoken ranks file: rank \(rank) is far above the \(spans.count) tokens",
                             at: InputPosition(path: path, line: line))
        }
        let shared = decoded
        entries = spans.map { (shared[$0.start..<$0.end], $0.rank) }
    }

    /// A decimal rank below `UInt32.max` (which the rank table reserves for "absent").
    private static func parseRank<Digits: Collection<UInt8>>(_ digits: Digits) -> UInt32? {
        guard !digits.isEmpty, digits.count <= 10 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(digit - UInt8(ascii: "0"))
        }
        return value < UInt64(UInt32.max) ? UInt32(value) : nil
    }
}

extension TiktokenFile {
    /// One line of a ranks file: `base64(bytes) rank` and a newline.
    static func line(bytes: [UInt8], rank: Int) -> String {
        Base64.encode(bytes) + " " + String(rank) + "\n"
    }

    /// The ranks file of `vocabulary`'s ordinary tokens (ids are ranks for files this writes).
    static func text(of vocabulary: BPEVocabulary) -> String {
        var out = ""
        for token in vocabulary.ordinaryTokens { out += line(bytes: token.bytes, rank: Int(token.id)) }
        return out
    }
}

/// Standard base64 (RFC 4648 alphabet, `=` padding required), as tiktoken writes it.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` in padded base64.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let quad = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(quad >> 18 & 63)])
            out.append(alphabet[Int(quad >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(quad >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(quad & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(char)] = UInt8(index)
        }
        return table
    }()

    /// Appends the decoded bytes of `text` to `out`; false if `text` is not valid padded base64.
    static func decode<Text: Collection<UInt8>>(_ text: Text, into out: inout [UInt8]) -> Bool where Text.Index == Int {
        guard !text.isEmpty, text.count % 4 == 0 else { return false }
        let values = Self.values
        var padding = 0
        if text[text.endIndex - 1] == UInt8(ascii: "=") {
            padding = text[text.endIndex - 2] == UInt8(ascii: "=") ? 2 : 1
        }
        var index = text.startIndex
        while index < text.endIndex {
            let isLast = index + 4 == text.endIndex
            var quad: UInt32 = 0
            for k in 0..<4 {
                let char = text[index + k]
                if isLast, k >= 4 - padding {
                    quad <<= 6
                    continue
                }
                let value = values[Int(char)]
                if value == 0xFF { return false }
                quad = quad << 6 | UInt32(value)
            }
            out.append(UInt8(truncatingIfNeeded: quad >> 16))
            if !isLast || padding < 2 { out.append(UInt8(truncatingIfNeeded: quad >> 8)) }
            if !isLast || padding < 1 { out.append(UInt8(truncatingIfNeeded: quad)) }
            index += 4
        }
        return true
    }
}
