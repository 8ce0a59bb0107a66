/// A hand-written matcher for tiktoken's cl100k_base pattern over UTF-8 bytes:
///
///     '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
///
/// At each piece start, the first alternative that matches wins (leftmost-first, possessive where the
/// pattern says so):
/// 1. `'` and a contraction, any case;
/// 2. a letter run, with one leading character that is not CR, LF, a letter or a number;
/// 3. one to three numbers;
/// 4. an optional space, a run of "other" characters, then any CRs and LFs;
/// 5. a whitespace run that reaches the end of the text;
/// 6. whitespace up to and including its last CR or LF;
/// 7. a whitespace run of two or more characters before non-whitespace, minus its last character;
/// 8. one whitespace character.
/// Classes as in `CharacterClass`; invalid UTF-8 bytes are "other" characters.
struct CL100KPreTokenizer: PieceSplitter {
    let base: UnsafePointer<UInt8>
    let count: Int
    let classes: UnsafePointer<UInt8>

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        self.classes = CharacterClassTable.shared.bmp
    }

    private static let letter = CharacterClass.letter.rawValue
    private static let number = CharacterClass.number.rawValue
    private static let whitespace = CharacterClass.whitespace.rawValue
    private static let other = CharacterClass.other.rawValue

    @inline(__always)
    private func character(at index: Int) -> (UInt8, Int) {
        let byte = base[index]
        if byte < 0x80 { return (classes[Int(byte)], 1) }
        let (value, length) = UTF8Scalar.decode(base, count, at: index)
        if value == UTF8Scalar.invalid { return (Self.other, 1) }
        if value < 0x10000 { return (classes[Int(value)], length) }
        return (CharacterClass.of(scalar: value).rawValue, length)
    }

    @inline(__always)
    private func isLineBreak(_ index: Int) -> Bool { base[index] == 0x0A || base[index] == 0x0D }

    @inline(__always)
    private func runEnd(of cls: UInt8, from index: Int) -> Int {
        var i = index
        while i < count {
            let (next, length) = character(at: i)
            if next != cls { break }
            i += length
        }
        return i
    }

    func pieceEnd(from start: Int) -> Int {
        if base[start] == UInt8(ascii: "'"), let end = Contraction.end(base, count, at: start) { return end }
        let (first, firstLength) = character(at: start)
        // 2. [^\r\n\p{L}\p{N}]?+\p{L}++
        if first == Self.letter { return runEnd(of: Self.letter, from: start + firstLength) }
        if first != Self.number, !isLineBreak(start), start + firstLength < count {
            let (second, secondLength) = character(at: start + firstLength)
            if second == Self.letter { return runEnd(of: Self.letter, from: start + firstLength + secondLength) }
        }
        // 3. \p{N}{1,3}+
        if first == Self.number {
            var end = start + firstLength
            for _ in 0..<2 where end < count {
                let (next, length) = character(at: end)
                if next != Self.number { break }
                end += length
            }
            return end
        }
        // 4. ' ?[^\s\p{L}\p{N}]++[\r\n]*+'
        var otherStart = start
        if base[start] == UInt8(ascii: " "), start + 1 < count, character(at: start + 1).0 == Self.other {
            otherStart = start + 1
        }
        if otherStart > start || first == Self.other {
            var end = runEnd(of: Self.other, from: otherStart)
            while end < count, isLineBreak(end) { end += 1 }
            return end
        }
        // Whitespace from here on: its run is [start, runEnd).
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
        if end == count { return end }                      // 5. \s++$
        if lastBreak >= 0 { return lastBreak + 1 }          // 6. \s*[\r\n]
        if lastCharacter > start { return lastCharacter }   // 7. \s+(?!\S)
        return start + firstLength                          // 8. \s
    }
}
