import GristCore

/// `gopher_quality`: the quality rules of Gopher (Rae et al. 2021, "Scaling Language Models:
/// Methods, Analysis & Insights from Training Gopher", appendix A.1.1), with datatrove 0.10.1's
/// `GopherQualityFilter` defaults and word definition.
///
/// Words are datatrove's (spaCy's English tokens: punctuation marks are words of their own);
/// "non-symbol" words hold at least one character outside datatrove's punctuation set. Rules, in
/// order, with their reasons (datatrove's, without its `gopher_` prefix):
/// - `short_doc` / `long_doc`: non-symbol words outside `min_doc_words`…`max_doc_words`;
/// - `below_avg_threshold` / `above_avg_threshold`: mean length of non-symbol words outside
///   `min_avg_word_length`…`max_avg_word_length`;
/// - `too_many_hashes` / `too_many_ellipsis`: `#`, or `...` and `…`, per word above `max_symbol_word_ratio`;
/// - `too_many_bullets`: share of lines starting (after whitespace) with `•` or `-` above `max_bullet_lines_ratio`;
/// - `too_many_end_ellipsis`: share of lines ending with `...` or `…` above `max_ellipsis_lines_ratio`;
/// - `below_alpha_threshold`: share of words with a letter below `max_non_alpha_words_ratio`
///   (datatrove's name; it is a minimum);
/// - `enough_stop_words`: fewer than `min_stop_words` distinct stop words (datatrove's name; it
///   means "not enough").
/// Every threshold can be switched off with `null` (datatrove's `None`; 0 also switches it off there).
public struct GopherQualityFilter: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var minDocWords: Int? = 50
        public var maxDocWords: Int? = 100_000
        public var minAvgWordLength: Double? = 3
        public var maxAvgWordLength: Double? = 10
        public var maxSymbolWordRatio: Double? = 0.1
        public var maxBulletLinesRatio: Double? = 0.9
        public var maxEllipsisLinesRatio: Double? = 0.3
        public var maxNonAlphaWordsRatio: Double? = 0.8
        public var minStopWords: Int? = 2
        /// Gopher's stop words (datatrove's `STOP_WORDS`).
        public var stopWords: [String] = ["the", "be", "to", "of", "and", "that", "have", "with"]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case minDocWords = "min_doc_words", maxDocWords = "max_doc_words"
            case minAvgWordLength = "min_avg_word_length", maxAvgWordLength = "max_avg_word_length"
            case maxSymbolWordRatio = "max_symbol_word_ratio", maxBulletLinesRatio = "max_bullet_lines_ratio"
            case maxEllipsisLinesRatio = "max_ellipsis_lines_ratio"
            case maxNonAlphaWordsRatio = "max_non_alpha_words_ratio"
            case minStopWords = "min_stop_words", stopWords = "stop_words"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.decodeNullable(.minDocWords, into: &minDocWords, .atLeast(0))
            try c.decodeNullable(.maxDocWords, into: &maxDocWords, .atLeast(0))
            try c.decodeNullable(.minAvgWordLength, into: &minAvgWordLength, .atLeast(0))
            try c.decodeNullable(.maxAvgWordLength, into: &maxAvgWordLength, .atLeast(0))
            try c.decodeNullable(.maxSymbolWordRatio, into: &maxSymbolWordRatio, .atLeast(0))
            try c.decodeNullable(.maxBulletLinesRatio, into: &maxBulletLinesRatio, .atLeast(0))
            try c.decodeNullable(.maxEllipsisLinesRatio, into: &maxEllipsisLinesRatio, .atLeast(0))
            try c.decodeNullable(.maxNonAlphaWordsRatio, into: &maxNonAlphaWordsRatio, .atLeast(0))
            try c.decodeNullable(.minStopWords, into: &minStopWords, .atLeast(0))
            try c.decodeIfPresent(.stopWords, into: &stopWords)
        }
    }

    public static let kind = "gopher_quality"
    public let options: Options
    private let stopWords: [[UInt32]]
    /// The stop words' indices by text (most words are rejected by its length-and-ends signature).
    private let stopTable: ScalarKeyTable

    public init(options: Options) {
        self.options = options
        var unique: [[UInt32]] = []
        for word in options.stopWords.map(PythonText.scalars) where !unique.contains(word) { unique.append(word) }
        stopWords = unique
        stopTable = ScalarKeyTable(keys: unique)
    }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let analysis = TextAnalysis.of(&document)
        return analysis.text.scalars.withUnsafeBufferPointer { t in
            decide(t, words: analysis.words).map { .drop(reason: $0) } ?? .keep
        }
    }

    private static let ellipsis = PythonText.scalars("...")

    /// The reason to drop `t`, or nil to keep it.
    func decide(_ t: UnsafeBufferPointer<UInt32>, words: [SpacyToken]) -> String? {
        let nWords = words.count
        var nonSymbol = 0
        var nonSymbolLength = 0
        var withAlpha = 0
        let punctuation = CharacterClasses.datatrovePunctuation, alphabetic = CharacterClasses.alpha
        var stopFound = [Bool](repeating: false, count: stopWords.count)
        for word in words {
            let s = Int(word.start), e = Int(word.end)
            var symbolOnly = true
            var alpha = false
            for i in s..<e {
                let c = t[i]
                if c < 0x80 {
                    // ASCII letters are letters and never punctuation; digits are neither.
                    if c &- 0x61 < 26 || c &- 0x41 < 26 {
                        symbolOnly = false
                        alpha = true
                        break
                    }
                    if symbolOnly, !punctuation.contains(c) { symbolOnly = false }
                    continue
                }
                if symbolOnly, !punctuation.contains(c) { symbolOnly = false }
                if !alpha, alphabetic.contains(c) { alpha = true }
                if !symbolOnly && alpha { break }
            }
            if !symbolOnly {
                nonSymbol += 1
                nonSymbolLength += e - s
            }
            if alpha { withAlpha += 1 }
            if let k = stopTable.index(of: t, s, e) { stopFound[k] = true }
        }
        if let min = options.minDocWords, min != 0, nonSymbol < min { return "short_doc" }
        if let max = options.maxDocWords, max != 0, nonSymbol > max { return "long_doc" }
        // np.mean of an empty list is NaN, and every comparison with NaN is false.
        let mean = nonSymbol == 0 ? Double.nan : Double(nonSymbolLength) / Double(nonSymbol)
        if let min = options.minAvgWordLength, min != 0, mean < min { return "below_avg_threshold" }
        if let max = options.maxAvgWordLength, max != 0, mean > max { return "above_avg_threshold" }
        // datatrove divides by the word count and raises on a document without words; we drop it.
        guard nWords > 0 else { return "short_doc" }
        if let ratio = options.maxSymbolWordRatio, ratio != 0 {
            if Double(PythonText.count(t, 0, t.count, [0x23])) / Double(nWords) > ratio { return "too_many_hashes" }
            let ellipses = PythonText.count(t, 0, t.count, Self.ellipsis) + PythonText.count(t, 0, t.count, [0x2026])
            if Double(ellipses) / Double(nWords) > ratio { return "too_many_ellipsis" }
        }
        if options.maxBulletLinesRatio.map({ $0 != 0 }) ?? false || options.maxEllipsisLinesRatio.map({ $0 != 0 }) ?? false {
            var lines: [(Int, Int)] = []
            PythonText.splitLines(t, 0, t.count, into: &lines)
            var bullets = 0, endEllipses = 0
            for (a, b) in lines {
                let (s, e) = PythonText.strip(t, a, b)
                if s < e {
                    if t[s] == 0x2022 || t[s] == 0x2D { bullets += 1 }
                    if t[e - 1] == 0x2026 || PythonText.hasSuffix(t, s, e, Self.ellipsis) { endEllipses += 1 }
                }
            }
            if let ratio = options.maxBulletLinesRatio, ratio != 0, Double(bullets) / Double(lines.count) > ratio {
                return "too_many_bullets"
            }
            if let ratio = options.maxEllipsisLinesRatio, ratio != 0,
               Double(endEllipses) / Double(lines.count) > ratio {
                return "too_many_end_ellipsis"
            }
        }
        if let ratio = options.maxNonAlphaWordsRatio, ratio != 0, Double(withAlpha) / Double(nWords) < ratio {
            return "below_alpha_threshold"
        }
        if let min = options.minStopWords, min != 0, stopFound.filter({ $0 }).count < min { return "enough_stop_words" }
        return nil
    }
}
