import GristCore
import GristFilter
import GristShards
import GristTokenize

/// The `decontaminate:` section made ready to run: its eval sets read into one ``EvalSetIndex``, and
/// the action. The scan calls `apply` on every document that passed the filters (one
/// ``ContaminationMatcher`` per worker); the manifest gets `evalSetRecords`.
public struct Decontaminator: Sendable {
    /// The stage name in the manifest's `stageCount` and `document.stage`.
    public static let stage = "decontaminate"
    /// The most bytes of a matched passage the manifest keeps.
    static let passageBytes = 1_000

    public let config: DecontaminateConfig
    public let sources: [EvalSetSource]
    public let index: EvalSetIndex
    public let action: ContaminationAction
    /// Per set (in config order): items read, n-grams it added to the index, items too short to index.
    public let setCounts: [(items: Int, ngrams: Int, tooShort: Int)]

    /// Reads every eval set; a path that does not exist is an error at its config line, a record that
    /// cannot be read one naming its file and line. Past `memory_mb` the index's slots go to a file of
    /// `spillDirectory` (created when needed; the file is unlinked once mapped).
    public init(_ config: DecontaminateConfig, spillDirectory: String) throws {
        self.config = config
        for set in config.sets {
            for path in set.paths where !FileSystem.exists(path.value) {
                throw ConfigError("eval set \"\(set.name)\": file \"\(path.value)\" does not exist",
                                  at: path.location ?? set.location
                                    ?? ConfigLocation(file: "<config>", line: nil, path: "decontaminate.sets"))
            }
        }
        sources = config.sets.map(EvalSetSource.init)
        let normalization = DecontaminationNormalization(
            punctuation: config.punctuation == .split ? .split : .delete, foldDiacritics: config.foldDiacritics,
            normalizeNumbers: config.normalizeNumbers)
        var index = EvalSetIndex(options: EvalSetIndexOptions(ngram: config.ngram, minNgram: config.minNgram,
                                                               normalization: normalization),
                                 memoryBudget: config.memoryMB << 20, spillDirectory: spillDirectory)
        var counts: [(items: Int, ngrams: Int, tooShort: Int)] = []
        for source in sources {
            let ngrams = index.count, short = index.tooShortItems.count
            let items = try EvalSetReader.add(source, to: &index)
            counts.append((items, index.count - ngrams, index.tooShortItems.count - short))
        }
        if let error = index.spillError { throw error }
        self.index = index
        setCounts = counts
        switch config.action {
        case .removeSpans:
            action = .removeSpans(SpanRemovalOptions(window: config.window, maxSplits: config.maxSplits,
                                                     minFraction: config.minFraction,
                                                     minPieceScalars: config.minPieceChars))
        case .drop: action = .drop
        case .report: action = .report
        }
    }

    /// The eval files with the SHA-256 of each: what the scan keys hash besides the section's text, so an
    /// edited eval set rescans.
    func fileKey() throws -> String {
        try sources.flatMap(\.paths).map { $0 + ":" + (try SHA256.hexDigest(ofFile: $0)) }.joined(separator: ",")
    }

    /// What decontamination makes of one document's text.
    struct Result {
        var outcome: ContaminationOutcome
        /// Nil for a clean document.
        var record: ContaminationRecord?
    }

    /// Finds the matches in `text` and applies the action; `encoder` counts the tokens removed.
    func apply(to text: [UInt8], matcher: inout ContaminationMatcher, encoder: inout BPEEncoder?) -> Result {
        let matches = matcher.matches(in: text)
        let outcome = action.apply(text: text, matches: matches)
        if matches.isEmpty { return Result(outcome: outcome, record: nil) }
        var records: [ContaminationMatchRecord] = []
        for match in matches {
            let passage = Self.passage(text, match.bytes)
            for item in match.items {
                let info = index.item(item)
                records.append(ContaminationMatchRecord(evalSet: info.set, itemId: info.id, chars: match.scalars,
                                                        bytes: match.bytes, ngrams: match.ngrams, passage: passage))
            }
        }
        let total = TextMetrics.scalarCount(text)
        var tokens: [UInt32] = []
        let countsTokens = encoder != nil
        func tokenCount(_ range: Range<Int>) -> Int {
            tokens.removeAll(keepingCapacity: true)
            text.withUnsafeBytes { encoder?.encodeOrdinary(UnsafeRawBufferPointer(rebasing: $0[range]), into: &tokens) }
            return tokens.count
        }
        let record: ContaminationRecord
        switch outcome {
        case .clean, .reported:
            record = ContaminationRecord(outcome: .reported, pieces: 1, charCount: total, removedChars: 0,
                                         removedTokens: !countsTokens ? nil : 0, matches: records)
        case .dropped:
            record = ContaminationRecord(outcome: .dropped, pieces: 0, charCount: total, removedChars: total,
                                         removedTokens: !countsTokens ? nil : tokenCount(0..<text.count),
                                         matches: records)
        case .split(let pieces, _):
            let kept = text.withUnsafeBytes { raw in
                pieces.reduce(0) { $0 + TextMetrics.scalarCount(UnsafeRawBufferPointer(rebasing: raw[$1])) }
            }
            let keptTokens = pieces.reduce(0) { $0 + tokenCount($1) }
            record = ContaminationRecord(outcome: .split, pieces: pieces.count, charCount: total,
                                         removedChars: total - kept,
                                         removedTokens: !countsTokens ? nil : tokenCount(0..<text.count) - keptTokens,
                                         matches: records)
        }
        return Result(outcome: outcome, record: record)
    }

    /// The text of a span, at most `passageBytes` (cut at a character boundary).
    static func passage(_ text: [UInt8], _ bytes: Range<Int>) -> String {
        var end = min(bytes.upperBound, bytes.lowerBound + passageBytes)
        while end > bytes.lowerBound, end < text.count, text[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: text[bytes.lowerBound..<end], as: UTF8.self)
    }

    /// The manifest's eval sets, each with the text of the items in `matched` (set name → item ids),
    /// read again from the eval files.
    func evalSetRecords(matched: [String: Set<String>]) throws -> [EvalSetRecord] {
        try zip(sources, setCounts).map { source, counts in
            var texts: [(id: String, text: String)] = []
            if let wanted = matched[source.name], !wanted.isEmpty {
                try EvalSetReader.forEachItem(source) { id, text in
                    if wanted.contains(id) { texts.append((id, String(decoding: text, as: UTF8.self))) }
                }
            }
            return EvalSetRecord(name: source.name, paths: source.paths, items: counts.items, ngrams: counts.ngrams,
                                 tooShortItems: counts.tooShort, matchedItems: texts)
        }
    }
}
