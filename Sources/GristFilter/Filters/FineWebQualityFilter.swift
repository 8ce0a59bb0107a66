import GristCore

/// `fineweb_quality`: FineWeb's own quality rules (Penedo et al. 2024, "The FineWeb Datasets:
/// Decanting the Web for the Finest Text Data at Scale", section 3.7), as datatrove 0.10.1's
/// `FineWebQualityFilter`.
///
/// Over the non-blank lines (split at `\n`), in order, with their reasons:
/// - `line_punct_ratio`: the share of lines ending in a terminal punctuation mark (`stop_chars`,
///   by default datatrove's `TERMINAL_PUNCTUATION`) is below `line_punct_thr` (unless it is zero and
///   `line_punct_exclude_zero` is set);
/// - `short_line_ratio`: the share of lines of at most `short_line_length` characters is above `short_line_thr`;
/// - `char_dup_ratio`: characters of lines that repeat an earlier line, over the characters of the
///   text without newlines, are above `char_duplicates_ratio`;
/// - `list_ratio`: newlines per word (datatrove's words) above `new_line_ratio`.
/// A document without a non-blank line is dropped with reason `empty`.
public struct FineWebQualityFilter: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var linePunctThr = 0.12
        public var linePunctExcludeZero = false
        /// Line endings that count as terminal punctuation; nil means datatrove's `TERMINAL_PUNCTUATION`.
        public var stopChars: [String]? = nil
        public var shortLineThr = 0.67
        public var shortLineLength = 30
        public var charDuplicatesRatio = 0.01
        public var newLineRatio = 0.3

        enum CodingKeys: String, CodingKey, CaseIterable {
            case linePunctThr = "line_punct_thr", linePunctExcludeZero = "line_punct_exclude_zero"
            case stopChars = "stop_chars", shortLineThr = "short_line_thr", shortLineLength = "short_line_length"
            case charDuplicatesRatio = "char_duplicates_ratio", newLineRatio = "new_line_ratio"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.decode(.linePunctThr, into: &linePunctThr, .atLeast(0))
            try c.decode(.linePunctExcludeZero, into: &linePunctExcludeZero)
            stopChars = try c.decodeIfPresent([String].self, forKey: .stopChars)
            try c.decode(.shortLineThr, into: &shortLineThr, .atLeast(0))
            try c.decode(.shortLineLength, into: &shortLineLength, .atLeast(0))
            try c.decode(.charDuplicatesRatio, into: &charDuplicatesRatio, .atLeast(0))
            try c.decode(.newLineRatio, into: &newLineRatio, .atLeast(0))
        }
    }

    public static let kind = "fineweb_quality"
    public let options: Options
    private let stopSuffixes: [[UInt32]]?

    public init(options: Options) {
        self.options = options
        stopSuffixes = options.stopChars.map { $0.map(PythonText.scalars).filter { !$0.isEmpty } }
    }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let analysis = TextAnalysis.of(&document)
        return analysis.text.scalars.withUnsafeBufferPointer { t in
            decide(t, wordCount: { analysis.words.count }).map { .drop(reason: $0) } ?? .keep
        }
    }

    /// - Parameter wordCount: the number of datatrove's words in `t`, asked for only by the last rule.
    func decide(_ t: UnsafeBufferPointer<UInt32>, wordCount: () -> Int) -> String? {
        var all: [(Int, Int)] = []
        PythonText.split(t, 0, t.count, on: 0x0A, into: &all)
        let lines = all.filter { let (s, e) = PythonText.strip(t, $0.0, $0.1); return s < e }
        guard !lines.isEmpty else { return "empty" }
        let count = Double(lines.count)

        var punctuated = 0, short = 0
        for (s, e) in lines {
            if endsWithStop(t, s, e) { punctuated += 1 }
            if e - s <= options.shortLineLength { short += 1 }
        }
        let punctRatio = Double(punctuated) / count
        if punctRatio < options.linePunctThr, !(punctRatio == 0 && options.linePunctExcludeZero) {
            return "line_punct_ratio"
        }
        if Double(short) / count > options.shortLineThr { return "short_line_ratio" }

        var newlines = 0
        for c in t where c == 0x0A { newlines += 1 }
        let duplicated = findDuplicates(t, lines).chars
        if Double(duplicated) / Double(t.count - newlines) > options.charDuplicatesRatio { return "char_dup_ratio" }

        let words = wordCount()
        if Double(newlines) / Double(words) > options.newLineRatio { return "list_ratio" }
        return nil
    }

    @inline(__always)
    private func endsWithStop(_ t: UnsafeBufferPointer<UInt32>, _ s: Int, _ e: Int) -> Bool {
        guard let stopSuffixes else { return e > s && CharacterClasses.terminalPunctuation.contains(t[e - 1]) }
        return stopSuffixes.contains { PythonText.hasSuffix(t, s, e, $0) }
    }
}
