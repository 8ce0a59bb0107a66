/// One pass over UTF-8 bytes that removes control characters and normalizes whitespace.
///
/// Control characters: C0 (except tab, newline, carriage return), DEL and C1 (U+0080–U+009F), and a
/// byte-order mark at the start. Whitespace: CRLF, lone CR, U+2028 and U+2029 become LF; spaces and tabs
/// at the end of a line go; at most one blank line in a row; no leading or trailing blank space.
/// Spaces inside lines (indentation, alignment) are kept.
enum WhitespaceAndControl {
    static func clean(_ text: [UInt8], removeControl: Bool, normalizeWhitespace: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count)
        text.withUnsafeBufferPointer { bytes in
            var writer = Writer(normalize: normalizeWhitespace)
            let n = bytes.count
            var i = 0
            if removeControl, n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    switch b {
                    case 0x0A:
                        writer.newline(&out, b)
                    case 0x0D:
                        if normalizeWhitespace, i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                        writer.newline(&out, b)
                    case 0x20, 0x09:
                        writer.blank(&out, b)
                    case 0x00..<0x20, 0x7F:
                        if !removeControl { writer.visible(&out, CollectionOfOne(b)) }
                    default:
                        writer.visible(&out, CollectionOfOne(b))
                    }
                    i += 1
                    continue
                }
                // C1 controls are C2 80–C2 9F; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                if removeControl, b == 0xC2, i + 1 < n, bytes[i + 1] <= 0x9F {
                    i += 2
                    continue
                }
                if normalizeWhitespace, b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80,
                   bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                    writer.newline(&out, 0x0A)
                    i += 3
                    continue
                }
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                let end = min(i + length, n)
                writer.visible(&out, UnsafeBufferPointer(rebasing: bytes[i..<end]))
                i = end
            }
        }
        return out
    }

    /// Holds back newlines and blanks until a visible character shows they are not trailing.
    private struct Writer {
        let normalize: Bool
        var pendingNewlines = 0
        var pendingBlanks: [UInt8] = []
        var atStart = true

        mutating func newline(_ out: inout [UInt8], _ byte: UInt8) {
            guard normalize else { return out.append(byte) }
            pendingBlanks.removeAll(keepingCapacity: true)
            pendingNewlines += 1
        }

        mutating func blank(_ out: inout [UInt8], _ byte: UInt8) {
            guard normalize else { return out.append(byte) }
            if !atStart { pendingBlanks.append(byte) }
        }

        mutating func visible(_ out: inout [UInt8], _ bytes: some Collection<UInt8>) {
            if normalize {
                if !atStart, pendingNewlines > 0 { out.append(contentsOf: pendingNewlines > 1 ? [0x0A, 0x0A] : [0x0A]) }
                pendingNewlines = 0
                out.append(contentsOf: pendingBlanks)
                pendingBlanks.removeAll(keepingCapacity: true)
                atStart = false
            }
            out.append(contentsOf: bytes)
        }
    }
}
