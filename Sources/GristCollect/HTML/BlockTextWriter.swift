/// Lays out extracted text: inline text flows with single spaces, blocks are separated by a blank
/// line, list items, table rows and `<br>` start a new line, preformatted text is kept verbatim.
///
/// Breaks and markers are pending until real text follows, so empty elements leave no blank lines
/// and the text never starts or ends with whitespace.
struct BlockTextWriter {
    private(set) var bytes: [UInt8] = []
    /// 0: none, 1: newline, 2: blank line, before the next text.
    private var pendingBreak = 0
    private var pendingSpace = false
    /// A list marker or cell separator to write before the next text.
    private var pendingPrefix: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var isEmpty: Bool { bytes.isEmpty }

    /// Ends the current line (`lines: 1`) or paragraph (`lines: 2`) before the next text.
    mutating func lineBreak(_ lines: Int) {
        pendingBreak = max(pendingBreak, lines)
        pendingSpace = false
    }

    /// Text to write before the next text of this line: `- `, `3. `, ` | `.
    mutating func prefix(_ marker: [UInt8]) { pendingPrefix = marker }

    mutating func clearPrefix() { pendingPrefix.removeAll(keepingCapacity: true) }

    /// Appends flowing text: every run of HTML whitespace becomes one space.
    mutating func appendCollapsed(_ text: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if Self.isSpace(b) {
                pendingSpace = true
                i += 1
                continue
            }
            var j = i + 1
            while j < n, !Self.isSpace(text[j]) { j += 1 }
            flushPending()
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<j]))
            i = j
        }
    }

    /// Appends preformatted text as it is (line breaks and indentation kept; `\r\n` becomes `\n`).
    mutating func appendVerbatim(_ text: UnsafeBufferPointer<UInt8>) {
        guard text.contains(where: { !Self.isSpace($0) }) || !bytes.isEmpty && pendingBreak == 0 else { return }
        flushPending(keepSpace: false)
        for b in text where b != 0x0D { bytes.append(b) }
    }

    private mutating func flushPending(keepSpace: Bool = true) {
        if !bytes.isEmpty {
            if pendingBreak > 0 {
                while let last = bytes.last, last == 0x20 || last == 0x0A { bytes.removeLast() }
                bytes.append(0x0A)
                if pendingBreak > 1 { bytes.append(0x0A) }
            } else if pendingSpace, keepSpace, let last = bytes.last, last != 0x0A, last != 0x20, pendingPrefix.isEmpty {
                bytes.append(0x20)
            }
        }
        if !pendingPrefix.isEmpty {
            if bytes.isEmpty || bytes.last == 0x0A {
                // A cell separator does not start a line; a list marker does.
                if pendingPrefix.first != 0x20 { bytes.append(contentsOf: pendingPrefix) }
            } else {
                bytes.append(contentsOf: pendingPrefix)
            }
            pendingPrefix.removeAll(keepingCapacity: true)
        }
        pendingBreak = 0
        pendingSpace = false
    }

    /// The text, with trailing whitespace removed.
    mutating func finish() -> [UInt8] {
        while let last = bytes.last, Self.isSpace(last) { bytes.removeLast() }
        return bytes
    }

    /// HTML's ASCII whitespace, plus the no-break space's UTF-8 bytes are not treated as space.
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }
}
