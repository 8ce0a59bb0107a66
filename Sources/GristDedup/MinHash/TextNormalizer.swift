import Foundation

/// datatrove's `simplify_text` (0.10.1, `utils/text.py`, default `TextNormConfig`) on UTF-8 bytes:
/// lowercase, numbers to `0`, punctuation to spaces, whitespace collapsed and stripped, then NFD with
/// nonspacing marks (category Mn) removed, then stripped again.
///
/// The steps run in datatrove's order, so the output is byte-identical to Python's for the same
/// input (checked against fixtures made by datatrove, `scripts/golden/make_dedup_golden.py`):
/// - lowercase is Python's `str.lower()`: full case mappings, and `Σ` becomes `ς` in the final-sigma context;
/// - a number is `\p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?` (one decimal separator), replaced by `0`;
/// - punctuation is datatrove's `PUNCTUATION` string (ASCII punctuation, C0/C1 controls other than tab and
///   newline, and 34 others such as `—` `“` `”` `…` `、` `。`), each replaced by a space;
/// - whitespace is Python's `\s`;
/// - NFD is Unicode canonical decomposition with canonical reordering; marks are removed after it, so a
///   mark standing alone between spaces leaves two spaces, as in datatrove.
///
/// ASCII bytes go through a table; other scalars are mapped once and cached per normalizer, so a
/// normalizer is per thread. `Complexity:` O(n) in the text's bytes.
public struct TextNormalizer {
    /// Lowercased, classified and decomposed form of one non-ASCII scalar (cached).
    private struct Mapping {
        /// Each lowercased scalar: nil for "becomes a space", else its decomposition without Mn marks
        /// (as (scalar, canonical combining class), a mark with class 0 is kept as a boundary with scalar 0).
        var parts: [[(scalar: UInt32, ccc: UInt8)]?]
    }

    private var cache: [UInt32: Mapping] = [:]
    /// Whether the last text had content that normalized to nothing (a lone mark), which can leave two
    /// spaces in a row inside the output, as in datatrove.
    public private(set) var mayHaveDoubleSpaces = false
    /// `asciiClass`, held by the instance so the hot loop does not go through the static's lazy initializer.
    private let classes = TextNormalizer.asciiClass
    /// Marks waiting for canonical reordering (nonzero combining class), in stable ccc order.
    private var marks: [(scalar: UInt32, ccc: UInt8)] = []

    public init() {}

    /// The normalized text of `text` (valid UTF-8) appended to `output` (which is cleared first).
    public mutating func normalize(_ text: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        let bytes = text.bindMemory(to: UInt8.self)
        let n = bytes.count
        var pendingSpace = false
        var seenContent = false
        var i = 0
        marks.removeAll(keepingCapacity: true)
        mayHaveDoubleSpaces = false

        @inline(__always) func startContent(_ output: inout [UInt8]) {
            if pendingSpace, seenContent { output.append(0x20) }
            pendingSpace = false
            seenContent = true
        }

        while i < n {
            let byte = bytes[i]
            if byte < 0x80 {
                let cls = classes[Int(byte)]
                if cls == Self.classDigit {
                    flushMarks(&output)
                    i = Self.endOfNumber(bytes, from: i)
                    startContent(&output)
                    output.append(0x30)
                } else if cls == Self.classSpace {
                    flushMarks(&output)
                    pendingSpace = true
                    i += 1
                } else {
                    // A run of ASCII letters and other content: appended whole, then lowercased in place.
                    flushMarks(&output)
                    startContent(&output)
                    var j = i + 1
                    var upper = cls == Self.classUpper
                    while j < n {
                        let next = bytes[j]
                        guard next < 0x80 else { break }
                        let nextClass = classes[Int(next)]
                        guard nextClass <= Self.classUpper else { break }
                        upper = upper || nextClass == Self.classUpper
                        j += 1
                    }
                    let start = output.count
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                    if upper {
                        output.withUnsafeMutableBufferPointer { out in
                            for k in start..<out.count where out[k] >= 0x41 && out[k] <= 0x5A { out[k] |= 0x20 }
                        }
                    }
                    i = j
                }
                continue
            }
            let (scalar, length) = Self.decode(bytes, at: i)
            if Self.isDecimalDigit(scalar) {
                flushMarks(&output)
                i = Self.endOfNumber(bytes, from: i)
                startContent(&output)
                output.append(0x30)
                continue
            }
            let mapping: Mapping
            if scalar == 0x3A3 {
                mapping = Self.map(lowercased: [Self.finalSigma(bytes, at: i, length: length) ? 0x3C2 : 0x3C3])
            } else if let cached = cache[scalar] {
                mapping = cached
            } else {
                mapping = Self.map(scalar)
                cache[scalar] = mapping
            }
            for part in mapping.parts {
                guard let part else {
                    flushMarks(&output)
                    pendingSpace = true
                    continue
                }
                startContent(&output)
                if part.allSatisfy({ $0.scalar == 0 }) { mayHaveDoubleSpaces = true }
                for (decomposed, ccc) in part {
                    if decomposed == 0 {  // a removed mark of class 0: ends a reordering run
                        flushMarks(&output)
                    } else if ccc == 0 {
                        flushMarks(&output)
                        Self.appendUTF8(decomposed, to: &output)
                    } else {
                        var at = marks.count
                        while at > 0, marks[at - 1].ccc > ccc { at -= 1 }
                        marks.insert((decomposed, ccc), at: at)
                    }
                }
            }
            i += length
        }
        flushMarks(&output)
        // Strip: a leading or trailing space is left when the first or last content was only marks.
        var end = output.count
        while end > 0, output[end - 1] == 0x20 { end -= 1 }
        var start = 0
        while start < end, output[start] == 0x20 { start += 1 }
        if end < output.count { output.removeLast(output.count - end) }
        if start > 0 { output.removeFirst(start) }
    }

    public mutating func normalize(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        text.withUnsafeBytes { normalize($0, into: &output) }
        return output
    }

    private mutating func flushMarks(_ output: inout [UInt8]) {
        guard !marks.isEmpty else { return }
        for mark in marks { Self.appendUTF8(mark.scalar, to: &output) }
        marks.removeAll(keepingCapacity: true)
    }

    // MARK: - Classes

    private static let classContent: UInt8 = 0
    private static let classUpper: UInt8 = 1
    private static let classDigit: UInt8 = 2
    private static let classSpace: UInt8 = 3

    /// For each ASCII byte: space (punctuation, controls, whitespace), digit, uppercase letter, or content.
    private static let asciiClass: [UInt8] = (0..<128).map { byte -> UInt8 in
        switch byte {
        case 0x30...0x39: return classDigit
        case 0x41...0x5A: return classUpper
        case 0x61...0x7A: return classContent
        case 0x00...0x20, 0x7F: return classSpace  // controls, tab, newline, space
        default: return classSpace  // the 32 ASCII punctuation characters
        }
    }

    /// Non-ASCII characters of datatrove's `PUNCTUATION` (besides C1 controls U+0080–U+009F).
    private static let punctuation: Set<UInt32> = [
        0xAB, 0xB4, 0xBB, 0x2013, 0x2014, 0x2019, 0x201C, 0x201D, 0x201E, 0x2026, 0x2236, 0x2501, 0x25BA,
        0x3001, 0x3002, 0x3008, 0x3009, 0x300A, 0x300B, 0x300C, 0x300D, 0x3010, 0x3011,
        0xFF01, 0xFF05, 0xFF08, 0xFF09, 0xFF0C, 0xFF0E, 0xFF11, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF5E,
    ]

    /// Decimal separators that may join two digit runs into one number.
    private static func isDecimalSeparator(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x2E, 0x2C, 0x60C, 0x66B, 0x2396, 0x2397, 0x2398: return true
        default: return false
        }
    }

    private static func isDecimalDigit(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar >= 0x30 && scalar <= 0x39 }
        guard let s = Unicode.Scalar(scalar) else { return false }
        return s.properties.numericType == .decimal
    }

    private static func becomesSpace(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return asciiClass[Int(scalar)] == classSpace }
        if scalar <= 0x9F || punctuation.contains(scalar) { return true }
        guard let s = Unicode.Scalar(scalar) else { return false }
        return s.properties.isWhitespace
    }

    /// Index just past the number starting at `start`: digits, then optionally one separator and digits.
    private static func endOfNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = skipDigits(bytes, from: start)
        if i < bytes.count {
            let (separator, length) = decode(bytes, at: i)
            if isDecimalSeparator(separator), i + length < bytes.count {
                let (next, _) = decode(bytes, at: i + length)
                if isDecimalDigit(next) { i = skipDigits(bytes, from: i + length) }
            }
        }
        return i
    }

    private static func skipDigits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0x80 {
                guard byte >= 0x30, byte <= 0x39 else { break }
                i += 1
            } else {
                let (scalar, length) = decode(bytes, at: i)
                guard isDecimalDigit(scalar) else { break }
                i += length
            }
        }
        return i
    }

    // MARK: - Non-ASCII scalars

    private static func map(_ scalar: UInt32) -> Mapping {
        guard let s = Unicode.Scalar(scalar) else { return Mapping(parts: [nil]) }
        return map(lowercased: s.properties.lowercaseMapping.unicodeScalars.map(\.value))
    }

    private static func map(lowercased: [UInt32]) -> Mapping {
        Mapping(parts: lowercased.map { lower -> [(scalar: UInt32, ccc: UInt8)]? in
            if becomesSpace(lower) { return nil }
            if lower < 0x80 { return [(lower, 0)] }
            guard let s = Unicode.Scalar(lower) else { return [] }
            let decomposed = String(Character(s)).decomposedStringWithCanonicalMapping.unicodeScalars
            var out: [(scalar: UInt32, ccc: UInt8)] = []
            for d in decomposed {
                let ccc = UInt8(truncatingIfNeeded: d.properties.canonicalCombiningClass.rawValue)
                if d.properties.generalCategory == .nonspacingMark {
                    if ccc == 0 { out.append((0, 0)) }  // removed, but still a boundary for reordering
                } else {
                    out.append((d.value, ccc))
                }
            }
            return out
        })
    }

    /// Python's final-sigma rule: a cased letter before (skipping case-ignorable ones), none after.
    private static func finalSigma(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> Bool {
        var j = index
        var before: UInt32?
        while j > 0 {
            var start = j - 1
            while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
            let (scalar, _) = decode(bytes, at: start)
            j = start
            if !isCaseIgnorable(scalar) {
                before = scalar
                break
            }
        }
        guard let before, isCased(before) else { return false }
        var k = index + length
        while k < bytes.count {
            let (scalar, n) = decode(bytes, at: k)
            if !isCaseIgnorable(scalar) { return !isCased(scalar) }
            k += n
        }
        return true
    }

    private static func isCased(_ scalar: UInt32) -> Bool { Unicode.Scalar(scalar)?.properties.isCased ?? false }

    private static func isCaseIgnorable(_ scalar: UInt32) -> Bool {
        Unicode.Scalar(scalar)?.properties.isCaseIgnorable ?? false
    }

    // MARK: - UTF-8

    /// The scalar starting at `i` and its length in bytes (the text is valid UTF-8).
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = bytes.count
        if b0 < 0xE0, i + 1 < n { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < n {
            return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
        }
        if i + 3 < n {
            return ((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                | UInt32(bytes[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)  // truncated sequence: cannot happen in valid UTF-8
    }

    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
