import GristCore

/// Token ids as `grist tokenizer encode` prints them and `decode` reads them: decimal ids separated
/// by single spaces and ended by one newline, or raw little-endian `uint16` (`uint32` for vocabularies
/// with ids above 65,535).
public enum TokenIDStream {
    /// Bytes per id in the binary form for a vocabulary of `vocabularySize` ids.
    public static func binaryWidth(vocabularySize: Int) -> Int { vocabularySize > BPEVocabulary.uint16Limit ? 4 : 2 }

    /// `1 22 333\n` (an empty list is just the newline).
    public static func decimal(_ tokens: [UInt32]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(tokens.count * 6 + 1)
        var digits = [UInt8](repeating: 0, count: 10)
        for (index, token) in tokens.enumerated() {
            if index > 0 { out.append(UInt8(ascii: " ")) }
            var value = token
            var n = 0
            repeat {
                digits[n] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                n += 1
            } while value > 0
            while n > 0 {
                n -= 1
                out.append(digits[n])
            }
        }
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// Little-endian ids of `width` bytes (2 or 4); throws if an id does not fit.
    public static func binary(_ tokens: [UInt32], width: Int) throws -> [UInt8] {
        precondition(width == 2 || width == 4)
        var out = [UInt8]()
        out.reserveCapacity(tokens.count * width)
        for token in tokens {
            if width == 2 {
                guard token <= UInt32(UInt16.max) else {
                    throw GristError(.usage, "token \(token) does not fit in 16 bits")
                }
            }
            for byte in 0..<width { out.append(UInt8(truncatingIfNeeded: token >> (8 * byte))) }
        }
        return out
    }

    /// Parses decimal ids separated by any ASCII whitespace; `source` labels errors.
    public static func parseDecimal(_ bytes: UnsafeRawBufferPointer, source: String) throws -> [UInt32] {
        var tokens: [UInt32] = []
        var value: UInt64 = 0
        var inNumber = false
        var numberStart = 0
        for (offset, byte) in bytes.enumerated() {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if !inNumber { numberStart = offset }
                inNumber = true
                value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
                guard value <= UInt64(UInt32.max) else {
                    throw GristError(.badFormat, "token id too large", at: InputPosition(path: source, byteOffset: numberStart))
                }
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
                        || byte == UInt8(ascii: "\r") {
                if inNumber { tokens.append(UInt32(value)) }
                inNumber = false
                value = 0
            } else {
                throw GristError(.badFormat, "expected token ids (decimal digits and spaces), found byte \(byte)",
                                 at: InputPosition(path: source, byteOffset: offset),
                                 hint: "use --binary for token ids written with `encode --binary`")
            }
        }
        if inNumber { tokens.append(UInt32(value)) }
        return tokens
    }

    /// Parses little-endian ids of `width` bytes.
    public static func parseBinary(_ bytes: UnsafeRawBufferPointer, width: Int, source: String) throws -> [UInt32] {
        precondition(width == 2 || width == 4)
        guard bytes.count % width == 0 else {
            throw GristError(.badFormat, "\(bytes.count) bytes is not a whole number of \(width)-byte token ids",
                             at: InputPosition(path: source))
        }
        var tokens: [UInt32] = []
        tokens.reserveCapacity(bytes.count / width)
        var offset = 0
        while offset < bytes.count {
            if width == 2 {
                tokens.append(UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
            } else {
                tokens.append(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            }
            offset += width
        }
        return tokens
    }
}
