import GristCore

/// `c4`: the C4 heuristics (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a
/// Unified Text-to-Text Transformer", section 2.2), as datatrove 0.10.1's `C4QualityFilter`.
///
/// Line by line (Python's `splitlines()`; sentences instead when `split_paragraph: false`), each
/// stripped line is removed when it has a word (whitespace-separated) longer than
/// `max_word_length`, does not end in `.` `?` `!` `"` `'` (or ends in `...`) once citation markers
/// (`[1]`, `[edit]`, `[citation needed]`) are removed, has fewer than `min_words_per_line` words,
/// mentions "javascript", or mentions a cookie or terms-of-use phrase. The document is dropped when
/// a kept line contains "lorem ipsum" (`lorem_ipsum`) or a curly bracket (`curly_bracket`), or when
/// the kept lines hold fewer than `min_num_sentences` sentences (`too_few_sentences`). Otherwise its
/// text becomes the kept lines joined by newlines (spaces with `split_paragraph: false`).
public struct C4QualityFilter: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var splitParagraph = true
        public var removeCitations = true
        public var filterNoTerminalPunct = true
        /// -1 switches the rule off.
        public var minNumSentences = 5
        /// -1 switches the rule off.
        public var minWordsPerLine = 3
        /// -1 switches the rule off.
        public var maxWordLength = 1000
        public var filterLoremIpsum = true
        public var filterJavascript = true
        public var filterCurlyBracket = true
        public var filterPolicy = true

        enum CodingKeys: String, CodingKey, CaseIterable {
            case splitParagraph = "split_paragraph", removeCitations = "remove_citations"
            case filterNoTerminalPunct = "filter_no_terminal_punct", minNumSentences = "min_num_sentences"
            case minWordsPerLine = "min_words_per_line", maxWordLength = "max_word_length"
            case filterLoremIpsum = "filter_lorem_ipsum", filterJavascript = "filter_javascript"
            case filterCurlyBracket = "filter_curly_bracket", filterPolicy = "filter_policy"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.decode(.splitParagraph, into: &splitParagraph)
            try c.decode(.removeCitations, into: &removeCitations)
            try c.decode(.filterNoTerminalPunct, into: &filterNoTerminalPunct)
            try c.decode(.minNumSentences, into: &minNumSentences, .atLeast(-1))
            try c.decode(.minWordsPerLine, into: &minWordsPerLine, .atLeast(-1))
            try c.decode(.maxWordLength, into: &maxWordLength, .atLeast(-1))
            try c.decode(.filterLoremIpsum, into: &filterLoremIpsum)
            try c.decode(.filterJavascript, into: &filterJavascript)
            try c.decode(.filterCurlyBracket, into: &filterCurlyBracket)
            try c.decode(.filterPolicy, into: &filterPolicy)
        }
    }

    public static let kind = "c4"
    public let options: Options

    public init(options: Options) { self.options = options }

    public var name: String { Self.kind }

    /// datatrove's `POLICY_SUBSTRINGS`.
    static let policy = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies",
                         "use cookies"].map(PythonText.scalars)
    /// The second letters of the policy phrases ("e", "r", "o", "s").
    private static let policySecondLetters: [UInt32] = Array(Set(policy.map { $0[1] })).sorted()
    private static let lorem = PythonText.scalars("lorem ipsum")
    private static let javascript = PythonText.scalars("javascript")
    private static let ellipsis = PythonText.scalars("...")

    public func apply(to document: inout Document) -> Verdict {
        switch TextAnalysis.of(&document).text.scalars.withUnsafeBufferPointer({ decide($0) }) {
        case .drop(let reason):
            return .drop(reason: reason)
        case .keep(let kept):
            let bytes = ScalarText.utf8(kept)
            if bytes != document.text { document.text = bytes }
            return .keep
        }
    }

    enum Decision: Equatable {
        case keep([UInt32])
        case drop(String)
    }

    func decide(_ t: UnsafeBufferPointer<UInt32>) -> Decision {
        var pieces: [(Int, Int)] = []
        if options.splitParagraph {
            PythonText.splitLines(t, 0, t.count, into: &pieces)
        } else {
            pieces = Sentencizer.pieces(t)
        }
        var sentences = 0
        var out: [UInt32] = []
        out.reserveCapacity(t.count)
        var keptAny = false
        var line: [UInt32] = []
        var tokens: [SpacyToken] = []
        let separator: UInt32 = options.splitParagraph ? 0x0A : 0x20
        for (a, b) in pieces {
            let (s, e) = PythonText.strip(t, a, b)
            // line.split(): the number of words and the longest one, in one pass.
            var wordCount = 0, longest = 0, i = s
            while i < e {
                while i < e, PythonText.isSpace(t[i]) { i += 1 }
                if i == e { break }
                let start = i
                while i < e, !PythonText.isSpace(t[i]) { i += 1 }
                wordCount += 1
                longest = max(longest, i - start)
            }
            if options.maxWordLength != -1, longest > options.maxWordLength { continue }
            // The line without its citations: copied only when it has a "[".
            let cited = options.removeCitations && UnsafeBufferPointer(rebasing: t[s..<e]).contains(0x5B)
            if cited {
                line.removeAll(keepingCapacity: true)
                Self.removeCitations(t, s, e, into: &line)
            }
            var verdict = LineVerdict.keep
            let judgeLine = { (l: UnsafeBufferPointer<UInt32>) in
                verdict = judge(l, words: wordCount)
                // Only whether the count reaches the minimum matters: stop counting once it does.
                if case .keep = verdict, options.minNumSentences != -1, sentences < options.minNumSentences {
                    sentences += options.splitParagraph ? Words.sentenceCount(l, tokens: &tokens) : 1
                }
            }
            if cited { line.withUnsafeBufferPointer(judgeLine) } else { judgeLine(UnsafeBufferPointer(rebasing: t[s..<e])) }
            switch verdict {
            case .dropDocument(let reason): return .drop(reason)
            case .removeLine: continue
            case .keep: break
            }
            if keptAny { out.append(separator) }
            if cited { out.append(contentsOf: line) } else { out.append(contentsOf: UnsafeBufferPointer(rebasing: t[s..<e])) }
            keptAny = true
        }
        if sentences < options.minNumSentences { return .drop("too_few_sentences") }
        let (s, e) = out.withUnsafeBufferPointer { PythonText.strip($0, 0, $0.count) }
        return .keep(s == 0 && e == out.count ? out : Array(out[s..<e]))
    }

    private enum LineVerdict { case keep, removeLine, dropDocument(String) }

    /// The line rules after the word-length one, on the line without its citations.
    private func judge(_ l: UnsafeBufferPointer<UInt32>, words: Int) -> LineVerdict {
        let n = l.count
        if options.filterNoTerminalPunct {
            guard let last = l.last, last == 0x2E || last == 0x3F || last == 0x21 || last == 0x22 || last == 0x27,
                  !PythonText.hasSuffix(l, 0, n, Self.ellipsis) else { return .removeLine }
        }
        if words < options.minWordsPerLine { return .removeLine }
        // One pass finds which of the lowercase phrases occur.
        var lorem = false, javascript = false, policy = false
        var i = 0
        while i < n {
            let c = PythonText.lower(l[i])
            switch c {
            case 0x6C: if !lorem, PythonText.lowercasedHasPrefix(l, i, n, Self.lorem) { lorem = true }
            case 0x6A: if !javascript, PythonText.lowercasedHasPrefix(l, i, n, Self.javascript) { javascript = true }
            case 0x74, 0x70, 0x63, 0x75:
                // Common letters: rule out most places by the second letter before comparing phrases.
                if !policy, i + 1 < n, Self.policySecondLetters.contains(PythonText.lower(l[i + 1])) {
                    for phrase in Self.policy where phrase[0] == c && PythonText.lowercasedHasPrefix(l, i, n, phrase) {
                        policy = true
                        break
                    }
                }
            default: break
            }
            i += 1
        }
        if options.filterLoremIpsum, lorem { return .dropDocument("lorem_ipsum") }
        if options.filterJavascript, javascript { return .removeLine }
        if options.filterCurlyBracket, l.contains(0x7B) { return .dropDocument("curly_bracket") }
        if options.filterPolicy, policy { return .removeLine }
        return .keep
    }

    /// `re.sub(r"\[\d*]|\[edit]|\[citation needed]", "", text[a..<b])`.
    static func removeCitations(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, into out: inout [UInt32]) {
        var i = a
        while i < b {
            if t[i] == 0x5B, let end = citationEnd(t, i, b) {
                i = end
                continue
            }
            out.append(t[i])
            i += 1
        }
    }

    private static let edit = PythonText.scalars("[edit]")
    private static let citationNeeded = PythonText.scalars("[citation needed]")

    private static func citationEnd(_ t: UnsafeBufferPointer<UInt32>, _ i: Int, _ b: Int) -> Int? {
        var j = i + 1
        while j < b, CharacterClasses.decimal.contains(t[j]) { j += 1 }
        if j < b, t[j] == 0x5D { return j + 1 }
        if PythonText.hasPrefix(t, i, b, edit) { return i + edit.count }
        if PythonText.hasPrefix(t, i, b, citationNeeded) { return i + citationNeeded.count }
        return nil
    }
}
