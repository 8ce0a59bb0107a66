/// One token of spaCy's tokenizer: a range of scalars of the text.
struct SpacyToken: Sendable, Equatable {
    var start: Int32
    var end: Int32
    /// spaCy's `whitespace_`: the token is followed by exactly the one space its split consumed.
    var followedBySpace: Bool
    /// The token is a run of whitespace (spaCy keeps those; datatrove's word lists drop them).
    var isSpace: Bool
}

/// A port of the tokenizer of `spacy.blank("en")` (spaCy 3.8.18, `spacy/tokenizer.pyx`), which
/// datatrove 0.10.1 uses to count words (`split_into_words`) and, with the sentencizer, sentences.
///
/// The algorithm follows the Cython source step by step:
/// 1. split the text into runs of whitespace and non-whitespace; a single space after a token is
///    absorbed (the token's `whitespace_`), any other whitespace run becomes a token;
/// 2. each run is a special case (a tokenizer exception such as `don't` → `do`, `n't`), or loses
///    prefixes and suffixes one at a time (`_split_affixes`, which stops as soon as what is left is a
///    special case), and what remains is a special case, a URL, or is split at infixes (`_attach_tokens`);
/// 3. special cases that contain affixes are found again over the token sequence with a phrase
///    matcher, and applied where their text matches exactly (`_apply_special_cases`).
/// spaCy's cache is left out: it stores only what the same steps produce.
public struct SpacyTokenizer: Sendable {
    private let rules = SpacyAffixRules()
    private let space = CharacterClasses.space
    private let specials: ScalarKeyTable
    /// Token lengths (in scalars) of each special case.
    private let specialTokenLengths: [[Int]]
    /// Special cases found again after tokenization: their key index and pattern token count.
    private let matcherFirstTokens: ScalarKeyTable
    /// For each distinct first pattern token, the patterns that start with it: (special index, token lengths).
    private let patternsByFirstToken: [[(special: Int, lengths: [Int])]]
    /// For each first pattern token, the (length, first scalar) of every pattern's second token, or nil
    /// when one of its patterns is a single token: most tokens that start a pattern ("it", ":", "(")
    /// are followed by something no pattern continues with, and are rejected on that alone.
    private let secondTokenShapes: [[(length: Int, first: UInt32)]?]

    /// The shared tokenizer (its tables are built once, on first use).
    public static let english = SpacyTokenizer()

    private init() {
        var keys: [[UInt32]] = []
        var lengths: [[Int]] = []
        var firstTokens: [[UInt32]] = []
        var firstIndex: [[UInt32]: Int] = [:]
        var patterns: [[(special: Int, lengths: [Int])]] = []
        for record in ReferenceTables.exceptions.unicodeScalars.split(separator: "\u{2}", omittingEmptySubsequences: true) {
            let fields = record.split(separator: "\u{1}", omittingEmptySubsequences: false)
            let key = fields[0].map(\.value)
            let orths = fields[1].split(separator: "\u{3}").map(\.count)
            let index = keys.count
            keys.append(key)
            lengths.append(orths)
            if fields.count > 2, !fields[2].isEmpty {
                let pattern = fields[2].split(separator: "\u{3}").map { $0.map(\.value) }
                let first = pattern[0]
                let slot: Int
                if let existing = firstIndex[first] {
                    slot = existing
                } else {
                    slot = firstTokens.count
                    firstIndex[first] = slot
                    firstTokens.append(first)
                    patterns.append([])
                }
                patterns[slot].append((index, pattern.map(\.count)))
            }
        }
        specials = ScalarKeyTable(keys: keys)
        specialTokenLengths = lengths
        matcherFirstTokens = ScalarKeyTable(keys: firstTokens)
        patternsByFirstToken = patterns
        secondTokenShapes = patterns.map { slot in
            guard slot.allSatisfy({ $0.lengths.count >= 2 }) else { return nil }
            // The matcher compares token k with the key at the sum of the earlier tokens' lengths.
            return slot.map { pattern in (pattern.lengths[1], keys[pattern.special][pattern.lengths[0]]) }
        }
    }

    /// Tokenizes `text` (scalars), appending tokens to `tokens` (which it empties first).
    func tokenize(_ text: UnsafeBufferPointer<UInt32>, into tokens: inout [SpacyToken]) {
        tokens.removeAll(keepingCapacity: true)
        let n = text.count
        guard n > 0 else { return }
        var scratch = Scratch()
        var inSpace = space.contains(text[0])
        var start = 0
        var i = 0
        while i < n {
            let c = text[i]
            let isSpace = c == 0x20 || (c < 0x80 ? (c &- 0x09 < 5 || c &- 0x1C < 4) : space.contains(c))
            if isSpace != inSpace {
                if start < i { tokenizeRun(text, start, i, isSpace: inSpace, into: &tokens, &scratch) }
                if c == 0x20 {
                    if !tokens.isEmpty { tokens[tokens.count - 1].followedBySpace = true }
                    start = i + 1
                } else {
                    start = i
                }
                inSpace.toggle()
            }
            i += 1
        }
        if start < n {
            tokenizeRun(text, start, n, isSpace: inSpace, into: &tokens, &scratch)
            tokens[tokens.count - 1].followedBySpace = text[n - 1] == 0x20 && !inSpace
        }
        applySpecialCases(text, &tokens)
    }

    private struct Scratch {
        var prefixes: [(Int, Int)] = []
        var suffixes: [(Int, Int)] = []
        var infixes: [(Int, Int)] = []
    }

    @inline(__always)
    private func push(_ tokens: inout [SpacyToken], _ start: Int, _ end: Int, _ isSpace: Bool) {
        tokens.append(SpacyToken(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
                                 followedBySpace: false, isSpace: isSpace))
    }

    @inline(__always)
    private func special(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> Int? {
        specials.index(of: t, a, b)
    }

    private func pushSpecial(_ index: Int, at a: Int, _ isSpace: Bool, _ tokens: inout [SpacyToken]) {
        var p = a
        for length in specialTokenLengths[index] {
            push(&tokens, p, p + length, isSpace)
            p += length
        }
    }

    /// `_try_specials_and_cache` then `_tokenize` for one run of whitespace or non-whitespace.
    private func tokenizeRun(_ t: UnsafeBufferPointer<UInt32>, _ a0: Int, _ b0: Int, isSpace: Bool,
                             into tokens: inout [SpacyToken], _ scratch: inout Scratch) {
        if let index = special(t, a0, b0) { return pushSpecial(index, at: a0, isSpace, &tokens) }
        // Fast path: a run of ASCII letters is one token. No prefix or suffix rule can match it (the
        // ones that end or start with a letter need a `$`, an apostrophe or a digit), no infix rule
        // matches a letter, and a URL needs a dot; only a special case could, checked above.
        if !isSpace {
            var i = a0
            while i < b0, (t[i] | 0x20) &- 0x61 < 26 { i += 1 }
            if i == b0 { return push(&tokens, a0, b0, false) }
        }
        if !scratch.prefixes.isEmpty { scratch.prefixes.removeAll(keepingCapacity: true) }
        if !scratch.suffixes.isEmpty { scratch.suffixes.removeAll(keepingCapacity: true) }

        // _split_affixes
        var a = a0, b = b0
        var lastSize = 0
        while b > a, b - a != lastSize {
            if special(t, a, b) != nil { break }
            lastSize = b - a
            let preLength = rules.prefixLength(t, a, b)
            if preLength != 0, a + preLength < b, special(t, a + preLength, b) != nil {
                scratch.prefixes.append((a, a + preLength))
                a += preLength
                break
            }
            let sufLength = rules.suffixLength(t, a + preLength, b)
            if sufLength != 0, a < b - sufLength, special(t, a, b - sufLength) != nil {
                scratch.suffixes.append((b - sufLength, b))
                b -= sufLength
                break
            }
            if preLength != 0, sufLength != 0, preLength + sufLength <= b - a {
                scratch.prefixes.append((a, a + preLength))
                scratch.suffixes.append((b - sufLength, b))
                a += preLength
                b -= sufLength
            } else if preLength != 0 {
                scratch.prefixes.append((a, a + preLength))
                a += preLength
            } else if sufLength != 0 {
                scratch.suffixes.append((b - sufLength, b))
                b -= sufLength
            }
        }

        // _attach_tokens
        for (s, e) in scratch.prefixes { push(&tokens, s, e, isSpace) }
        if a < b {
            if let index = special(t, a, b) {
                pushSpecial(index, at: a, isSpace, &tokens)
            } else if SpacyURLMatcher.matches(t, a, b) {
                push(&tokens, a, b, isSpace)
            } else {
                if !scratch.infixes.isEmpty { scratch.infixes.removeAll(keepingCapacity: true) }
                if !isSpace { rules.infixes(t, a, b, into: &scratch.infixes) }
                if scratch.infixes.isEmpty {
                    push(&tokens, a, b, isSpace)
                } else {
                    var start = a
                    for (infixStart, infixEnd) in scratch.infixes {
                        if infixStart == a { continue }
                        if infixStart != start { push(&tokens, start, infixStart, isSpace) }
                        if infixStart != infixEnd { push(&tokens, infixStart, infixEnd, isSpace) }
                        start = infixEnd
                    }
                    if start < b { push(&tokens, start, b, isSpace) }
                }
            }
        }
        for (s, e) in scratch.suffixes.reversed() { push(&tokens, s, e, isSpace) }
    }

    /// `_apply_special_cases`: phrase-match the special cases that hold affixes, keep the longest
    /// (then leftmost) non-overlapping matches, and retokenize those whose text is exactly the case.
    private func applySpecialCases(_ t: UnsafeBufferPointer<UInt32>, _ tokens: inout [SpacyToken]) {
        // (start token, end token, special index)
        var matches: [(start: Int, end: Int, special: Int)] = []
        let count = tokens.count
        tokens.withUnsafeBufferPointer { toks in
            for i in 0..<count {
                let s = Int(toks[i].start), e = Int(toks[i].end)
                guard let slot = matcherFirstTokens.index(of: t, s, e) else { continue }
                if let shapes = secondTokenShapes[slot] {
                    guard i + 1 < count else { continue }
                    let next = toks[i + 1], length = Int(next.end - next.start), first = t[Int(next.start)]
                    guard shapes.contains(where: { $0.length == length && $0.first == first }) else { continue }
                }
                for pattern in patternsByFirstToken[slot] {
                    let lengths = pattern.lengths
                    guard i + lengths.count <= count else { continue }
                    var ok = true
                    for k in 1..<max(lengths.count, 1) where ok {
                        let token = toks[i + k]
                        if Int(token.end - token.start) != lengths[k] { ok = false; break }
                        // Compare with the pattern's token k inside the special's key.
                        let key = specials.key(pattern.special)
                        let offset = lengths[0..<k].reduce(0, +)
                        var j = 0
                        while j < lengths[k] {
                            if key[key.startIndex + offset + j] != t[Int(token.start) + j] { ok = false; break }
                            j += 1
                        }
                    }
                    if ok { matches.append((i, i + lengths.count, pattern.special)) }
                }
            }
        }
        guard !matches.isEmpty else { return }

        // _filter_special_spans: longest first, then leftmost; a span is taken when neither its first
        // nor its last token was covered by a span looked at before (taken or not).
        matches.sort { a, b in
            let la = a.end - a.start, lb = b.end - b.start
            return la != lb ? la > lb : a.start < b.start
        }
        var seen = Set<Int>()
        var taken: [(start: Int, end: Int, special: Int)] = []
        for match in matches {
            if !seen.contains(match.start), !seen.contains(match.end - 1) { taken.append(match) }
            for k in match.start..<match.end { seen.insert(k) }
        }
        taken.sort { $0.start < $1.start }

        // _retokenize_special_spans: only where the span's text (tokens joined with their single
        // spaces) is the special case itself.
        var out: [SpacyToken] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        var next = 0
        while i < tokens.count {
            if next < taken.count, taken[next].start == i {
                let span = taken[next]
                next += 1
                if spanText(t, tokens, span.start, span.end, equals: span.special) {
                    let lastSpace = tokens[span.end - 1].followedBySpace
                    let isSpace = tokens[span.start].isSpace
                    var p = Int(tokens[span.start].start)
                    for length in specialTokenLengths[span.special] {
                        out.append(SpacyToken(start: Int32(p), end: Int32(p + length), followedBySpace: false,
                                              isSpace: isSpace))
                        p += length
                    }
                    out[out.count - 1].followedBySpace = lastSpace
                } else {
                    out.append(contentsOf: tokens[span.start..<span.end])
                }
                i = span.end
            } else {
                out.append(tokens[i])
                i += 1
            }
        }
        tokens = out
    }

    /// Whether tokens `start..<end`, each followed by its space except the last, spell special `index`.
    private func spanText(_ t: UnsafeBufferPointer<UInt32>, _ tokens: [SpacyToken], _ start: Int, _ end: Int,
                          equals index: Int) -> Bool {
        let key = specials.key(index)
        var k = key.startIndex
        for i in start..<end {
            let token = tokens[i]
            for p in Int(token.start)..<Int(token.end) {
                guard k < key.endIndex, key[k] == t[p] else { return false }
                k += 1
            }
            if i < end - 1, token.followedBySpace {
                guard k < key.endIndex, key[k] == 0x20 else { return false }
                k += 1
            }
        }
        return k == key.endIndex
    }
}
