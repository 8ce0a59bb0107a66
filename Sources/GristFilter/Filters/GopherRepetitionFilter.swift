import GristCore

/// `gopher_repetition`: Gopher's repetition rules (Rae et al. 2021, appendix A.1.1 and Table A1),
/// with datatrove 0.10.1's `GopherRepetitionFilter` defaults and definitions.
///
/// On the document's characters (code points), in order, with their reasons:
/// - paragraphs (split at runs of two or more `\n` of the stripped text) that repeat an earlier
///   one: their share of paragraphs above `dup_para_frac` (`dup_para_frac`), their characters'
///   share of the text above `dup_para_char_frac` (`dup_para_char_frac`);
/// - the same for lines (split at runs of `\n`): `dup_line_frac`, `dup_line_char_frac`;
/// - for each `[n, fraction]` of `top_n_grams`: the most frequent word n-gram (words joined by
///   spaces; ties go to the first seen) times its count, as a share of the text (`top_N_gram`);
/// - for each `[n, fraction]` of `dup_n_grams`: characters of word n-grams (words joined without
///   spaces) that repeat an earlier one, skipping past each repeat (`duplicated_N_n_grams`).
/// An empty document is dropped with reason `empty`.
public struct GopherRepetitionFilter: DocumentRule {
    /// An n-gram size and the largest share of the text its rule allows.
    public struct NGramLimit: Decodable, Sendable, Equatable {
        public var n: Int
        public var fraction: Double

        public init(_ n: Int, _ fraction: Double) {
            self.n = n
            self.fraction = fraction
        }

        /// Written `[n, fraction]`.
        public init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            n = try c.decode(Int.self)
            fraction = try c.decode(Double.self)
            let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "")
            guard c.isAtEnd else { throw ConfigError("expected [n, fraction], got a longer list", at: here) }
            guard n >= 1 else { throw ConfigError("expected an n-gram size ≥ 1, got \(n)", at: here) }
            guard fraction >= 0 else { throw ConfigError("expected a fraction ≥ 0, got \(fraction)", at: here) }
        }
    }

    public struct Options: Decodable, Sendable, ConfigSection {
        public var dupLineFrac: Double? = 0.3
        public var dupParaFrac: Double? = 0.3
        public var dupLineCharFrac: Double? = 0.2
        public var dupParaCharFrac: Double? = 0.2
        /// Gopher Table A1: top 2-, 3-, 4-gram character fractions.
        public var topNGrams: [NGramLimit] = [.init(2, 0.2), .init(3, 0.18), .init(4, 0.16)]
        /// Gopher Table A1: duplicated 5- to 10-gram character fractions.
        public var dupNGrams: [NGramLimit] = [.init(5, 0.15), .init(6, 0.14), .init(7, 0.13), .init(8, 0.12),
                                             .init(9, 0.11), .init(10, 0.10)]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case dupLineFrac = "dup_line_frac", dupParaFrac = "dup_para_frac"
            case dupLineCharFrac = "dup_line_char_frac", dupParaCharFrac = "dup_para_char_frac"
            case topNGrams = "top_n_grams", dupNGrams = "dup_n_grams"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.decodeNullable(.dupLineFrac, into: &dupLineFrac, .atLeast(0))
            try c.decodeNullable(.dupParaFrac, into: &dupParaFrac, .atLeast(0))
            try c.decodeNullable(.dupLineCharFrac, into: &dupLineCharFrac, .atLeast(0))
            try c.decodeNullable(.dupParaCharFrac, into: &dupParaCharFrac, .atLeast(0))
            try c.decodeIfPresent(.topNGrams, into: &topNGrams)
            try c.decodeIfPresent(.dupNGrams, into: &dupNGrams)
        }
    }

    public static let kind = "gopher_repetition"
    public let options: Options

    public init(options: Options) { self.options = options }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let analysis = TextAnalysis.of(&document)
        return analysis.text.scalars.withUnsafeBufferPointer { t in
            decide(t, words: { analysis.words }).map { .drop(reason: $0) } ?? .keep
        }
    }

    @inline(__always) private static func enabled(_ value: Double?) -> Double? {
        guard let value, value != 0 else { return nil }
        return value
    }

    /// - Parameter words: datatrove's words of `t`, asked for only when the n-gram rules run.
    func decide(_ t: UnsafeBufferPointer<UInt32>, words: () -> [SpacyToken]) -> String? {
        let length = t.count
        guard length > 0 else { return "empty" }
        let total = Double(length)

        // Paragraphs: re.split(r"\n{2,}", text.strip())
        let (s, e) = PythonText.strip(t, 0, length)
        var pieces: [(Int, Int)] = []
        Self.splitNewlines(t, s, e, minimumRun: 2, into: &pieces)
        var (dups, chars) = findDuplicates(t, pieces)
        if let f = Self.enabled(options.dupParaFrac), Double(dups) / Double(pieces.count) > f { return "dup_para_frac" }
        if let f = Self.enabled(options.dupParaCharFrac), Double(chars) / total > f { return "dup_para_char_frac" }

        // Lines: re.split("\n+", text)
        pieces.removeAll(keepingCapacity: true)
        Self.splitNewlines(t, 0, length, minimumRun: 1, into: &pieces)
        (dups, chars) = findDuplicates(t, pieces)
        if let f = Self.enabled(options.dupLineFrac), Double(dups) / Double(pieces.count) > f { return "dup_line_frac" }
        if let f = Self.enabled(options.dupLineCharFrac), Double(chars) / total > f { return "dup_line_char_frac" }

        guard !options.topNGrams.isEmpty || !options.dupNGrams.isEmpty else { return nil }
        let maxN = (options.topNGrams + options.dupNGrams).map(\.n).max() ?? 1
        let words = WordSequence(t, words(), maxN: maxN)
        // One table at a time: the top n-grams' is freed before the duplicates' is made.
        if let reason = topNGramReason(words, total: total) { return reason }
        var seen = PositionSet()
        for limit in options.dupNGrams {
            if Double(words.duplicatedNGramCharacters(limit.n, in: t, using: &seen)) / total > limit.fraction {
                return "duplicated_\(limit.n)_n_grams"
            }
        }
        return nil
    }

    private func topNGramReason(_ words: WordSequence, total: Double) -> String? {
        var table = NGramTable()
        for limit in options.topNGrams {
            guard let top = words.topNGramCharacters(limit.n, using: &table) else { continue }
            if Double(top) / total > limit.fraction { return "top_\(limit.n)_gram" }
        }
        return nil
    }

    /// `re.split("\n{k,}", text[a..<b])`: pieces between runs of at least `minimumRun` newlines
    /// (shorter runs stay inside the pieces).
    static func splitNewlines(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, minimumRun: Int,
                              into pieces: inout [(Int, Int)]) {
        var start = a
        var i = a
        while i < b {
            if t[i] == 0x0A {
                var j = i
                while j < b, t[j] == 0x0A { j += 1 }
                if j - i >= minimumRun {
                    pieces.append((start, i))
                    start = j
                }
                i = j
            } else {
                i += 1
            }
        }
        pieces.append((start, b))
    }
}

/// A document's words with what the n-gram rules need: an id per distinct word, and polynomial hashes
/// of the words written back to back (`"".join(words[i:i+n])`), kept only at word boundaries.
///
/// Memory is a few words of 4 or 8 bytes per word (no copy of the text): a 50 MB line of 10 M words
/// needs about 280 MB here.
struct WordSequence {
    /// Distinct-word id of each word.
    private var ids: [Int32] = []
    /// Where each word starts in the text, and its length, in characters.
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    /// Characters of the words before word k, written back to back (one extra entry for the end).
    private var offsets: [Int32] = []
    /// Hash of those characters: h[k+1] = h[k] · B^len(k) + hash(word k) (mod 2^64), the polynomial
    /// over all their characters; and powers of B.
    private var prefix: [UInt64] = []
    private var powers: [UInt64] = []
    /// Prefix hashes over the word ids (same base), for n-grams of words.
    private var idPrefix: [UInt64] = []
    private static let base: UInt64 = 0x100_0000_01B3

    /// - Parameter maxN: the largest n-gram size that will be asked for (bounds the powers table).
    init(_ t: UnsafeBufferPointer<UInt32>, _ words: [SpacyToken], maxN: Int) {
        let n = words.count
        var counter = SliceCounter(expected: n)
        let base = Self.base
        // Powers of the base up to the longest span of `maxN` words (and `maxN` itself, for ids).
        var longest = 0
        if n > 0 {
            let window = min(max(maxN, 1), n)
            var span = 0
            for k in 0..<window { span += Int(words[k].end - words[k].start) }
            longest = span
            for k in window..<n {
                span += Int(words[k].end - words[k].start) - Int(words[k - window].end - words[k - window].start)
                longest = max(longest, span)
            }
        }
        var powers = [UInt64](repeating: 1, count: max(longest, maxN) + 1)
        powers.withUnsafeMutableBufferPointer { p in
            for i in 1..<p.count { p[i] = p[i - 1] &* base }
        }
        // One pass: intern each word (its hash is the same polynomial as the prefix hashes) and extend
        // the prefix hashes.
        ids = [Int32](repeating: 0, count: n)
        starts = [Int32](repeating: 0, count: n)
        lengths = [Int32](repeating: 0, count: n)
        offsets = [Int32](repeating: 0, count: n + 1)
        prefix = [UInt64](repeating: 0, count: n + 1)
        idPrefix = [UInt64](repeating: 0, count: n + 1)
        ids.withUnsafeMutableBufferPointer { ids in
        starts.withUnsafeMutableBufferPointer { starts in
        lengths.withUnsafeMutableBufferPointer { lengths in
        offsets.withUnsafeMutableBufferPointer { offsets in
        prefix.withUnsafeMutableBufferPointer { prefix in
        idPrefix.withUnsafeMutableBufferPointer { idPrefix in
            var position = 0
            for (k, word) in words.enumerated() {
                let s = Int(word.start), e = Int(word.end)
                starts[k] = word.start
                lengths[k] = Int32(e - s)
                var wordHash: UInt64 = 0
                var power: UInt64 = 1
                for i in s..<e {
                    wordHash = wordHash &* base &+ (UInt64(t[i]) &+ 1)
                    power = power &* base
                }
                position += e - s
                offsets[k + 1] = Int32(position)
                prefix[k + 1] = prefix[k] &* power &+ wordHash
                let mixed = (wordHash ^ UInt64(e - s)) &* 0x9E37_79B9_7F4A_7C15
                let id = Int32(counter.insert(t, s, e, hash: mixed ^ (mixed >> 29)).index)
                ids[k] = id
                idPrefix[k + 1] = idPrefix[k] &* base &+ UInt64(UInt32(bitPattern: id)) &+ 1
            }
        }
        }
        }
        }
        }
        }
        self.powers = powers
    }

    var count: Int { ids.count }

    /// datatrove's `find_top_duplicate(get_n_grams(words, n))`, or nil when there is no n-gram.
    func topNGramCharacters(_ n: Int, using table: inout NGramTable) -> Int? {
        let m = ids.count - n + 1
        guard m > 0 else { return nil }
        let power = powers[n]
        let (first, count) = ids.withUnsafeBufferPointer { ids in
            idPrefix.withUnsafeBufferPointer { p in
                table.mostFrequent(ids, n: n, count: m) { i in
                    let h = (p[i + n] &- p[i] &* power) &* 0x9E37_79B9_7F4A_7C15
                    return h ^ (h >> 29)
                }
            }
        }
        var characters = n - 1
        for i in first..<first + n { characters += Int(lengths[i]) }
        return characters * count
    }

    /// datatrove's `find_all_duplicate(words, n)` on the words of `t`; `seen` is scratch space reused
    /// between calls.
    func duplicatedNGramCharacters(_ n: Int, in t: UnsafeBufferPointer<UInt32>, using seen: inout PositionSet) -> Int {
        let m = ids.count - n + 1
        guard m > 0 else { return 0 }
        seen.reset(expected: m)
        var repeated = 0
        starts.withUnsafeBufferPointer { starts in
        lengths.withUnsafeBufferPointer { lengths in
        offsets.withUnsafeBufferPointer { offsets in
        prefix.withUnsafeBufferPointer { prefix in
        powers.withUnsafeBufferPointer { powers in
            seen.withInserter { seen in
                var i = 0
                while i < m {
                    let characters = Int(offsets[i + n] - offsets[i])
                    let h = (prefix[i + n] &- prefix[i] &* powers[characters]) &* 0x9E37_79B9_7F4A_7C15
                    // Seen before: an earlier position whose n-gram has the same characters.
                    let earlier = seen.find(orInsert: i, hash: h ^ (h >> 31)) { other in
                        Int(offsets[other + n] - offsets[other]) == characters
                            && Self.sameCharacters(t, starts, lengths, other, i, words: n)
                    }
                    if earlier != nil {
                        repeated += characters
                        i += n
                    } else {
                        i += 1
                    }
                }
            }
        }
        }
        }
        }
        }
        return repeated
    }

    /// Whether words a..<a+n and b..<b+n, written back to back, are the same characters (their totals
    /// are equal): word boundaries may differ ("ab c" equals "a bc").
    private static func sameCharacters(_ t: UnsafeBufferPointer<UInt32>, _ starts: UnsafeBufferPointer<Int32>,
                                       _ lengths: UnsafeBufferPointer<Int32>, _ a: Int, _ b: Int, words n: Int) -> Bool {
        var wa = a, wb = b
        var pa = Int(starts[a]), ea = pa + Int(lengths[a])
        var pb = Int(starts[b]), eb = pb + Int(lengths[b])
        while true {
            // Past the end of a word: on to the next one (empty words are skipped too).
            while pa == ea {
                wa += 1
                if wa == a + n { return true }  // the totals are equal, so b is at its end too
                pa = Int(starts[wa])
                ea = pa + Int(lengths[wa])
            }
            while pb == eb {
                wb += 1
                pb = Int(starts[wb])
                eb = pb + Int(lengths[wb])
            }
            if t[pa] != t[pb] { return false }
            pa += 1
            pb += 1
        }
    }
}

/// Counts of word-id n-grams in first-seen order.
struct NGramTable {
    struct Entry {
        var first: Int32
        var count: Int32
    }

    /// Entry indices by the n-gram's hash.
    private var slots = PositionSet()
    private var entries: [Entry] = []

    init() {}

    /// The first n-gram (in first-seen order) with the highest count among the `count` n-grams of
    /// `n` word ids starting at 0, 1, …; `hash(i)` hashes the one at `i`. Returns its start and count.
    mutating func mostFrequent(_ ids: UnsafeBufferPointer<Int32>, n: Int, count: Int, hash: (Int) -> UInt64)
        -> (first: Int, count: Int) {
        slots.reset(expected: count)
        if entries.count < count { entries = [Entry](repeating: Entry(first: 0, count: 0), count: count) }
        return entries.withUnsafeMutableBufferPointer { entries in
            var used = 0
            slots.withInserter { slots in
                for start in 0..<count {
                    let existing = slots.find(orInsert: used, hash: hash(start)) { index in
                        let other = Int(entries[index].first)
                        for k in 0..<n where ids[other + k] != ids[start + k] { return false }
                        return true
                    }
                    if let existing {
                        entries[existing].count += 1
                    } else {
                        entries[used] = Entry(first: Int32(start), count: 1)
                        used += 1
                    }
                }
            }
            var best = 0
            for k in 1..<max(used, 1) where entries[k].count > entries[best].count { best = k }
            return (Int(entries[best].first), Int(entries[best].count))
        }
    }
}
