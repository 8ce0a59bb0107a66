/// One pass over UTF-8 bytes that removes control characters and normalizes whitespace.
///
/// Control characters: C0 (except tab, newline, carriage return), DEL and C1 (U+0080–U+009F), and a
/// byte-order mark at the start. Whitespace: CRLF, lone CR, U+2028 and U+2029 become LF; spaces and tabs
/// at the end of a line go; at most one blank line in a row; no leading or trailing blank space.
/// Spaces inside lines (indentation, alignment) are kept.
///
/// The output is never longer than the input, so it is written in place into one allocation; runs of
/// ordinary bytes are found with a class table and copied whole.
enum WhitespaceAndControl {
    /// What a byte means to the cleaner.
    private enum ByteClass: UInt8 {
        case ordinary = 0, blank, lineFeed, carriageReturn, control, c2Lead, e2Lead
    }

    private static let classes: [ByteClass] = (0..<256).map { value in
        switch value {
        case 0x20, 0x09: return .blank
        case 0x0A: return .lineFeed
        case 0x0D: return .carriageReturn
        case 0x00..<0x20, 0x7F: return .control
        case 0xC2: return .c2Lead
        case 0xE2: return .e2Lead
        default: return .ordinary
        }
    }

    static func clean(_ text: [UInt8], removeControl: Bool, normalizeWhitespace: Bool) -> [UInt8] {
        let n = text.count
        return [UInt8](unsafeUninitializedCapacity: n) { out, count in
            text.withUnsafeBufferPointer { input in
                classes.withUnsafeBufferPointer { table in
                    count = run(input, into: out, table: table, removeControl: removeControl,
                                normalize: normalizeWhitespace)
                }
            }
        }
    }

    private static func run(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>,
                            table: UnsafeBufferPointer<ByteClass>, removeControl: Bool, normalize: Bool) -> Int {
        let n = input.count
        guard let source = input.baseAddress, let target = out.baseAddress else { return 0 }
        var i = 0, o = 0
        if removeControl, n >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { i = 3 }
        /// Nothing visible written yet: blanks and newlines are dropped.
        var atStart = normalize
        /// Newlines written since the last visible byte (at most two: one blank line).
        var newlineRun = 0
        /// Where the current run of spaces and tabs starts in `out` (removed if a newline ends it), or -1.
        var blankMark = -1

        @inline(__always) func newline() {
            if atStart { return }
            if blankMark >= 0 {
                o = blankMark
                blankMark = -1
            }
            if newlineRun < 2 {
                out[o] = 0x0A
                o += 1
                newlineRun += 1
            }
        }

        while i < n {
            let b = input[i]
            switch table[Int(b)] {
            case .ordinary:
                var j = i + 1
                while j < n, table[Int(input[j])] == .ordinary { j += 1 }
                let length = j - i
                (target + o).update(from: source + i, count: length)
                o += length
                i = j
                atStart = false
                newlineRun = 0
                blankMark = -1
                continue
            case .blank:
                if normalize {
                    if atStart {
                        i += 1
                        continue
                    }
                    if blankMark < 0 { blankMark = o }
                }
                out[o] = b
                o += 1
            case .lineFeed:
                if normalize { newline() } else {
                    out[o] = b
                    o += 1
                }
            case .carriageReturn:
                if normalize {
                    // CRLF is one line break, also with removed control characters in between.
                    var j = i + 1
                    while removeControl, j < n {
                        if table[Int(input[j])] == .control {
                            j += 1
                        } else if input[j] == 0xC2, j + 1 < n, input[j + 1] >= 0x80, input[j + 1] <= 0x9F {
                            j += 2
                        } else {
                            break
                        }
                    }
                    if j < n, input[j] == 0x0A { i = j }
                    newline()
                } else {
                    out[o] = b
                    o += 1
                }
            case .control:
                if !removeControl {
                    out[o] = b
                    o += 1
                    atStart = false
                    newlineRun = 0
                    blankMark = -1
                }
            case .c2Lead:
                // C1 controls are C2 80–C2 9F.
                if removeControl, i + 1 < n, input[i + 1] >= 0x80, input[i + 1] <= 0x9F {
                    i += 2
                    continue
                }
                out[o] = b
                o += 1
                atStart = false
                newlineRun = 0
                blankMark = -1
            case .e2Lead:
                // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are E2 80 A8 and E2 80 A9.
                if normalize, i + 2 < n, input[i + 1] == 0x80, input[i + 2] == 0xA8 || input[i + 2] == 0xA9 {
                    newline()
                    i += 3
                    continue
                }
                out[o] = b
                o += 1
                atStart = false
                newlineRun = 0
                blankMark = -1
            }
            i += 1
        }
        if normalize {
            while o > 0, out[o - 1] == 0x0A || out[o - 1] == 0x20 || out[o - 1] == 0x09 { o -= 1 }
        }
        return o
    }
}
