/// How much of a document a classifier scores at once (`granularity:`).
public enum TextGranularity: String, Sendable, CaseIterable {
    /// The whole text: one score, the document kept or dropped whole.
    case document
    /// Blocks of lines separated by blank lines, each with the blank lines after it.
    case paragraph
    /// Each line that is not blank, with the blank lines after it: datatrove's `PARAGRAPH` mode of
    /// `split_into_parts` (it splits at every line break).
    case line
}

/// A document's text cut into the units a classifier scores, on UTF-8 bytes with Python's rules, so that
/// the units and the text put back from them are datatrove's: lines end at `str.splitlines()`'s breaks
/// (\n, \r, \r\n, \v, \f, \x1c–\x1e, U+0085, U+2028, U+2029), each unit's lines are joined with "\n"
/// (a break after every line but the text's last), and a line is blank when `str.strip()` leaves nothing.
struct TextUnits {
    /// Byte ranges of the lines, without their breaks.
    private(set) var lines: [Range<Int>] = []
    /// Where each unit's lines start in `lines`; a unit runs to the next one's start.
    private(set) var unitStarts: [Int] = []

    var count: Int { unitStarts.count }

    /// Cuts `text` into units of `granularity` (`document`: one unit, the text as it is).
    mutating func split(_ text: UnsafeBufferPointer<UInt8>, _ granularity: TextGranularity) {
        lines.removeAll(keepingCapacity: true)
        unitStarts.removeAll(keepingCapacity: true)
        if granularity == .document {
            lines.append(0..<text.count)
            unitStarts.append(0)
            return
        }
        Self.splitLines(text, into: &lines)
        // A unit ends before a line that is not blank, when it has lines already (`line`), or also only
        // after a blank line (`paragraph`).
        var previousBlank = false
        for (index, line) in lines.enumerated() {
            let blank = Self.strip(text, line).isEmpty
            if index == 0 {
                unitStarts.append(0)
            } else if !blank && (granularity == .line || previousBlank) {
                unitStarts.append(index)
            }
            previousBlank = blank
        }
    }

    /// The line indices of unit `unit`.
    func lineRange(of unit: Int) -> Range<Int> {
        unitStarts[unit]..<(unit + 1 < unitStarts.count ? unitStarts[unit + 1] : lines.count)
    }

    /// Appends unit `unit` as datatrove rebuilds it (`document`: the text itself): its lines, each
    /// followed by "\n" unless it is the text's last line.
    func append(unit: Int, of text: UnsafeBufferPointer<UInt8>, granularity: TextGranularity, to out: inout [UInt8]) {
        if granularity == .document {
            out.append(contentsOf: text)
            return
        }
        for index in lineRange(of: unit) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[lines[index]]))
            if index != lines.count - 1 { out.append(0x0A) }
        }
    }

    /// Python's `splitlines()`: no empty line after a final break; no lines at all for empty text.
    static func splitLines(_ t: UnsafeBufferPointer<UInt8>, into lines: inout [Range<Int>]) {
        var start = 0, i = 0
        let n = t.count
        while i < n {
            let c = t[i]
            var breakLength = 0
            if (c >= 0x0A && c <= 0x0D) || (c >= 0x1C && c <= 0x1E) {
                breakLength = c == 0x0D && i + 1 < n && t[i + 1] == 0x0A ? 2 : 1
            } else if c == 0xC2, i + 1 < n, t[i + 1] == 0x85 {
                breakLength = 2
            } else if c == 0xE2, i + 2 < n, t[i + 1] == 0x80, t[i + 2] == 0xA8 || t[i + 2] == 0xA9 {
                breakLength = 3
            }
            if breakLength > 0 {
                lines.append(start..<i)
                i += breakLength
                start = i
            } else {
                i += 1
            }
        }
        if start < n { lines.append(start..<n) }
    }

    /// The range left of `range` by Python's `str.strip()` (Unicode whitespace at both ends).
    static func strip(_ t: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var a = range.lowerBound, b = range.upperBound
        while a < b {
            let (scalar, length) = UTF8Scalars.decode(t, at: a)
            guard PythonText.isSpace(scalar) else { break }
            a += length
        }
        while b > a {
            var start = b - 1
            while start > a, t[start] & 0xC0 == 0x80 { start -= 1 }
            guard PythonText.isSpace(UTF8Scalars.decode(t, at: start).scalar) else { break }
            b = start
        }
        return a..<b
    }
}

/// Decoding one scalar of valid UTF-8.
enum UTF8Scalars {
    @inline(__always)
    static func decode(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(t[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = t.count
        @inline(__always) func next(_ k: Int) -> UInt32 { i + k < n ? UInt32(t[i + k]) & 0x3F : 0 }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | next(1), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return ((b0 & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }
}
