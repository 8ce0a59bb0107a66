/// The regular expression that splits text into pieces before byte-pair merging.
///
/// Pieces never merge across each other, so the pattern is part of a vocabulary's identity. Each has a
/// hand-written matcher over UTF-8 bytes (regex engines are 15-100x slower).
public enum PreTokenizerPattern: String, Sendable, CaseIterable {
    /// GPT-2 / r50k_base / p50k_base: `'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    /// (tiktoken's `r50k_pat_str`; its possessive `++`/`\s++$` spelling matches the same pieces).
    case gpt2
    /// cl100k_base (GPT-3.5/GPT-4): case-insensitive contractions, a letter run with one leading
    /// non-letter, numbers in groups of up to three, newlines kept with their punctuation.
    case cl100k
    /// o200k_base (GPT-4o): cl100k's rules with case-aware words (`HTMLParser` → `HTML`, `Parser`).
    case o200k

    /// The pattern as tiktoken spells it, for logs and manifests.
    public var regex: String {
        switch self {
        case .gpt2: #"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .cl100k:
            #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
        case .o200k:
            [#"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
             #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
             #"\p{N}{1,3}"#, #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#, #"\s*[\r\n]+"#, #"\s+(?!\S)"#, #"\s+"#]
                .joined(separator: "|")
        }
    }

    /// The spelling written into `tokenizer.json` (Oniguruma, which Hugging Face `tokenizers` uses,
    /// reads `{1,3}+` as a repetition of a repetition, so cl100k's number rule drops the `+`, which
    /// matches the same pieces there because nothing follows it in its alternative).
    var huggingFaceRegex: String {
        self == .cl100k ? regex.replacingOccurrences(of: #"\p{N}{1,3}+"#, with: #"\p{N}{1,3}"#) : regex
    }

    /// Other spellings of the same pattern found in the wild (tiktoken's `r50k_pat_str`, Hugging Face's
    /// `ByteLevel` regex), all matching exactly the same pieces.
    var spellings: [String] {
        switch self {
        case .gpt2:
            [regex,
             #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#,
             #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#]
        case .cl100k: [regex, huggingFaceRegex]
        case .o200k: [regex]
        }
    }

    /// The pattern a regular expression spells, if it is one this module implements.
    public init?(regex: String) {
        guard let match = Self.allCases.first(where: { $0.spellings.contains(regex) }) else { return nil }
        self = match
    }
}

/// A pattern matcher: where the piece that starts at a byte offset ends.
protocol PieceSplitter {
    init(base: UnsafePointer<UInt8>, count: Int)
    /// The end (exclusive) of the piece that starts at `start` (`start < count`).
    func pieceEnd(from start: Int) -> Int
}

/// A hand-written matcher for the GPT-2 pattern over UTF-8 bytes (regex engines are 15-100x slower).
///
/// It reproduces the leftmost-first alternation of the pattern at each piece start:
/// 1. `'s 'd 'm 't 'll 've 're` (ASCII apostrophe, case-sensitive);
/// 2-4. an optional ASCII space followed by a run of letters, of numbers, or of "other" characters;
/// 5. a whitespace run; if non-whitespace follows, the run gives back its last character
///    (`\s+(?!\S)`), which then starts the next piece (a lone space joins the following word).
///
/// Invalid UTF-8: every byte that does not start a well-formed sequence counts as one "other"
/// character. Pieces still cover the input exactly, so tokens decode to the same bytes.
struct PreTokenizer: PieceSplitter {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// `CharacterClassTable.shared.bmp`, kept in a local field so hot loops skip the global's once-check.
    let classes: UnsafePointer<UInt8>

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        self.classes = CharacterClassTable.shared.bmp
    }

    /// The end (exclusive) of the piece that starts at `start` (`start < count`).
    @inline(__always)
    func pieceEnd(from start: Int) -> Int {
        let first = base[start]
        if first == UInt8(ascii: "'"), let end = contractionEnd(from: start) { return end }
        if first == UInt8(ascii: " "), start + 1 < count {
            let (next, length) = character(at: start + 1)
            if next != CharacterClass.whitespace.rawValue { return runEnd(of: next, from: start + 1 + length) }
        }
        let (cls, length) = character(at: start)
        if cls != CharacterClass.whitespace.rawValue { return runEnd(of: cls, from: start + length) }
        return whitespaceEnd(from: start, firstLength: length)
    }

    /// `'s 'd 'm 't` or `'ll 've 're` at `start`, else nil.
    @inline(__always)
    private func contractionEnd(from start: Int) -> Int? {
        guard start + 1 < count else { return nil }
        switch base[start + 1] {
        case UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "t"):
            return start + 2
        case UInt8(ascii: "l"), UInt8(ascii: "v"), UInt8(ascii: "r"):
            guard start + 2 < count else { return nil }
            let pair = (base[start + 1], base[start + 2])
            if pair == (UInt8(ascii: "l"), UInt8(ascii: "l")) || pair == (UInt8(ascii: "v"), UInt8(ascii: "e"))
                || pair == (UInt8(ascii: "r"), UInt8(ascii: "e")) {
                return start + 3
            }
            return nil
        default:
            return nil
        }
    }

    /// Extends a run of class `cls` from `index` as far as the class holds.
    @inline(__always)
    private func runEnd(of cls: UInt8, from index: Int) -> Int {
        var i = index
        while i < count {
            let byte = base[i]
            if byte < 0x80 {
                if classes[Int(byte)] != cls { break }
                i += 1
            } else {
                let (next, length) = multibyteCharacter(at: i)
                if next != cls { break }
                i += length
            }
        }
        return i
    }

    /// `\s+(?!\S)|\s+`: the whole run at the end of text or before more whitespace; before
    /// non-whitespace, the run minus its last character (unless the run is a single character).
    @inline(__always)
    private func whitespaceEnd(from start: Int, firstLength: Int) -> Int {
        var last = start
        var i = start + firstLength
        while i < count {
            let (cls, length) = character(at: i)
            if cls != CharacterClass.whitespace.rawValue { return last > start ? last : i }
            last = i
            i += length
        }
        return i
    }

    /// Class raw value and byte length of the character at `index` (`index < count`).
    @inline(__always)
    func character(at index: Int) -> (UInt8, Int) {
        let byte = base[index]
        if byte < 0x80 { return (classes[Int(byte)], 1) }
        return multibyteCharacter(at: index)
    }

    /// A multi-byte character (`UTF8Scalar.decode`); a byte that starts no well-formed sequence is a
    /// one-byte "other" character. Out of line: most text is ASCII.
    @inline(never)
    private func multibyteCharacter(at index: Int) -> (UInt8, Int) {
        let (value, length) = UTF8Scalar.decode(base, count, at: index)
        if value == UTF8Scalar.invalid { return (CharacterClass.other.rawValue, 1) }
        if value < 0x10000 { return (classes[Int(value)], length) }
        return (CharacterClass.of(scalar: value).rawValue, length)
    }
}

extension PieceSplitter {
    /// The byte ranges of all pieces of `text` under this matcher, in order (for tests and tools).
    static func pieces(of text: [UInt8]) -> [Range<Int>] {
        text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return [] }
            let splitter = Self(base: base, count: buffer.count)
            var ranges: [Range<Int>] = []
            var start = 0
            while start < buffer.count {
                let end = splitter.pieceEnd(from: start)
                ranges.append(start..<end)
                start = end
            }
            return ranges
        }
    }
}

extension PreTokenizer {
    /// Length of the well-formed UTF-8 sequence starting at `index` (a byte >= 0x80), or 0 if the byte
    /// does not start one (the pre-tokenizer then treats it as a one-byte "other" character).
    func validSequenceLength(at index: Int) -> Int {
        let b0 = base[index]
        let available = count - index
        func inRange(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            base[index + offset] >= low && base[index + offset] <= high
        }
        switch b0 {
        case 0xC2...0xDF:
            return available >= 2 && inRange(1) ? 2 : 0
        case 0xE0...0xEF:
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80, high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            return available >= 3 && inRange(1, low, high) && inRange(2) ? 3 : 0
        case 0xF0...0xF4:
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80, high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            return available >= 4 && inRange(1, low, high) && inRange(2) && inRange(3) ? 4 : 0
        default:
            return 0
        }
    }
}
