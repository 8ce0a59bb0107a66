/// A hand-written matcher for tiktoken's o200k_base pattern over UTF-8 bytes:
///
///     [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///     |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///     |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// With U = `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`, W = `[\p{Ll}\p{Lm}\p{Lo}\p{M}]` and P = `[^\r\n\p{L}\p{N}]`,
/// backtracking reduces to: (1) P? U* W+: after the longest U run, a W run if one starts there, else
/// the run up to and including its last W character; tried with the P character first, then without;
/// (2) P? U+ W*; each followed by an optional contraction. Then numbers in threes, "other" runs (marks
/// count as other there) with trailing CR, LF and `/`, and the whitespace rules. Classes as in
/// `FineCharacterClass`; invalid UTF-8 bytes are "other" characters.
struct O200KPreTokenizer: PieceSplitter {
    let base: UnsafePointer<UInt8>
    let count: Int
    let classes: UnsafePointer<UInt8>

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        self.classes = FineCharacterClassTable.shared.bmp
    }

    // Class masks: bit n is FineCharacterClass raw value n.
    private static let upperSet: UInt8 = 0b0000_1101     // upper, otherLetter, mark
    private static let lowerSet: UInt8 = 0b0000_1110     // lower, otherLetter, mark
    private static let prefixSet: UInt8 = 0b0110_1000    // mark, whitespace, other (minus CR, LF)
    private static let otherSet: UInt8 = 0b0100_1000     // mark, other
    private static let number = FineCharacterClass.number.rawValue
    private static let whitespace = FineCharacterClass.whitespace.rawValue

    @inline(__always)
    private func character(at index: Int) -> (UInt8, Int) {
        let byte = base[index]
        if byte < 0x80 { return (classes[Int(byte)], 1) }
        let (value, length) = UTF8Scalar.decode(base, count, at: index)
        if value == UTF8Scalar.invalid { return (FineCharacterClass.other.rawValue, 1) }
        if value < 0x10000 { return (classes[Int(value)], length) }
        return (FineCharacterClass.of(scalar: value).rawValue, length)
    }

    @inline(__always)
    private func isIn(_ set: UInt8, _ cls: UInt8) -> Bool { set & (1 << cls) != 0 }

    @inline(__always)
    private func isLineBreak(_ index: Int) -> Bool { base[index] == 0x0A || base[index] == 0x0D }

    /// End of the run of characters in `set` from `index`.
    @inline(__always)
    private func runEnd(_ set: UInt8, from index: Int) -> Int {
        var i = index
        while i < count {
            let (cls, length) = character(at: i)
            if !isIn(set, cls) { break }
            i += length
        }
        return i
    }

    /// `U* W+` from `index` (with backtracking), or nil.
    private func upperThenLower(from index: Int) -> Int? {
        var i = index
        var lastLowerEnd = -1
        while i < count {
            let (cls, length) = character(at: i)
            if !isIn(Self.upperSet, cls) { break }
            if isIn(Self.lowerSet, cls) { lastLowerEnd = i + length }
            i += length
        }
        if i < count, isIn(Self.lowerSet, character(at: i).0) { return runEnd(Self.lowerSet, from: i) }
        return lastLowerEnd >= 0 ? lastLowerEnd : nil
    }

    /// `U+ W*` from `index`, or nil.
    private func upperRunThenLower(from index: Int) -> Int? {
        let upperEnd = runEnd(Self.upperSet, from: index)
        return upperEnd > index ? runEnd(Self.lowerSet, from: upperEnd) : nil
    }

    @inline(__always)
    private func withContraction(_ end: Int) -> Int {
        guard end < count, base[end] == UInt8(ascii: "'") else { return end }
        return Contraction.end(base, count, at: end) ?? end
    }

    func pieceEnd(from start: Int) -> Int {
        let (first, firstLength) = character(at: start)
        let hasPrefix = isIn(Self.prefixSet, first) && !isLineBreak(start)
        // 1. P? U* W+ C?   2. P? U+ W* C?
        if hasPrefix, start + firstLength < count, let end = upperThenLower(from: start + firstLength) {
            return withContraction(end)
        }
        if let end = upperThenLower(from: start) { return withContraction(end) }
        if hasPrefix, start + firstLength < count, let end = upperRunThenLower(from: start + firstLength) {
            return withContraction(end)
        }
        if let end = upperRunThenLower(from: start) { return withContraction(end) }
        // 3. \p{N}{1,3}
        if first == Self.number {
            var end = start + firstLength
            for _ in 0..<2 where end < count {
                let (next, length) = character(at: end)
                if next != Self.number { break }
                end += length
            }
            return end
        }
        // 4. ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
        var otherStart = start
        if base[start] == UInt8(ascii: " "), start + 1 < count, isIn(Self.otherSet, character(at: start + 1).0) {
            otherStart = start + 1
        }
        if otherStart > start || isIn(Self.otherSet, first) {
            var end = runEnd(Self.otherSet, from: otherStart)
            while end < count, isLineBreak(end) || base[end] == UInt8(ascii: "/") { end += 1 }
            return end
        }
        // Whitespace from here on.
        var lastBreak = -1
        var lastCharacter = start
        var end = start
        while end < count {
            let (cls, length) = character(at: end)
            if cls != Self.whitespace { break }
            if isLineBreak(end) { lastBreak = end }
            lastCharacter = end
            end += length
        }
        if lastBreak >= 0 {                                  // 5. \s*[\r\n]+
            var breakEnd = lastBreak + 1
            while breakEnd < count, isLineBreak(breakEnd) { breakEnd += 1 }
            return breakEnd
        }
        if end == count || lastCharacter == start { return end }  // 6. \s+(?!\S) at the end; 7. \s+
        return lastCharacter                                 // 6. \s+(?!\S) before non-whitespace
    }
}
