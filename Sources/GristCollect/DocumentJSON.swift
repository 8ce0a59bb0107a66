import GristCore

/// Writes documents as JSON Lines: `{"id": …, "text": …, "metadata": {…}}`, one object per line.
///
/// Keys come in that order and metadata keys sorted by their UTF-8 bytes, so the same documents
/// give the same bytes. Strings are escaped as RFC 8259 requires (`"`, `\`, and control characters
/// below U+0020, the common ones as `\n`, `\t`, … and the rest as `\u00XX`); everything else,
/// including non-ASCII text, is written as UTF-8. Bytes that are not UTF-8 (a reader bug) are
/// written as U+FFFD, so the output is always valid JSON.
public enum DocumentJSON {
    /// Appends `document` as one line (with its `\n`) to `out`.
    public static func append(_ document: Document, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        appendString(document.id.utf8, to: &out)
        out.append(contentsOf: #","text":"#.utf8)
        document.text.withUnsafeBufferPointer { appendString($0, to: &out) }
        out.append(contentsOf: #","metadata":{"#.utf8)
        for (index, entry) in document.metadata.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(entry.key.utf8, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(entry.value.utf8, to: &out)
        }
        out.append(contentsOf: "}}\n".utf8)
    }

    /// Appends `bytes` as a JSON string literal, quotes included.
    public static func appendString<Bytes: Collection<UInt8>>(_ bytes: Bytes, to out: inout [UInt8]) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { appendString(buffer: $0, to: &out) }
        if done == nil { Array(bytes).withUnsafeBufferPointer { appendString(buffer: $0, to: &out) } }
    }

    private static func appendString(buffer: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if UTF8Validation.firstInvalid(buffer.span, rejectNUL: false) != nil {
            var repaired = Array(buffer)
            UTF8Validation.repair(&repaired)
            repaired.withUnsafeBufferPointer { appendValidString($0, to: &out) }
        } else {
            appendValidString(buffer, to: &out)
        }
    }

    /// Copies runs of bytes that need no escape in one piece.
    private static func appendValidString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + bytes.count + 2)
        out.append(UInt8(ascii: "\""))
        var start = 0
        for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            start = i + 1
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            default:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, digits[Int(b >> 4)], digits[Int(b & 15)]])
            }
        }
        if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        out.append(UInt8(ascii: "\""))
    }
}
