/// Decontamination against evaluation sets (`decontaminate:`): every document that passed the filters
/// is searched for the n-grams of the eval items, span-exact, and its matches are removed, dropped or
/// only recorded (docs/decontamination.md). Absent: no decontamination.
public struct DecontaminateConfig: Decodable, Sendable, ConfigSection {
    /// What happens to a document with a match.
    public enum Action: String, ConfigEnum {
        /// Each matched span and `window` characters around it are cut out and the document is split
        /// there (GPT-3); too many spans or too little left drops it as `too_contaminated`.
        case removeSpans = "remove_spans"
        /// Any match drops the document (`contaminated`, datatrove's behaviour).
        case drop
        /// Matches are recorded; the document is kept whole.
        case report
    }

    /// How punctuation is normalized before n-grams are cut.
    public enum Punctuation: String, ConfigEnum {
        /// Deleted (GPT-3): `don't` → `dont`.
        case delete
        /// A word boundary (datatrove): `don't` → `don t`.
        case split
    }

    public var sets: [EvalSetConfig] = []
    /// Words per n-gram (13, as GPT-3).
    public var ngram = 13
    /// An eval item shorter than `ngram` words but at least this long is matched whole; a shorter one
    /// is not matched (counted).
    public var minNgram = 8
    public var action = Action.removeSpans
    /// Characters (Unicode scalars) removed on each side of a matched span (`remove_spans`).
    public var window = 200
    /// A document with more matched spans than this is dropped as `too_contaminated` (`remove_spans`).
    public var maxSplits = 10
    /// A document that would keep less than this share of its characters is dropped (`remove_spans`).
    public var minFraction = 0.5
    /// Pieces left by `remove_spans` with fewer characters than this are discarded (200, as GPT-3).
    public var minPieceChars = 200
    public var punctuation = Punctuation.delete
    /// Runs of digits count as one number (`0`), as datatrove's `norm_numbers`.
    public var normalizeNumbers = false
    /// Diacritics are folded away (`café` → `cafe`).
    public var foldDiacritics = true
    /// MiB of n-gram slots kept in memory; past them the index moves to a file of the work area, mapped
    /// into memory (16–32 bytes per distinct n-gram).
    public var memoryMB = 1024
    /// Keep the documents it drops, as they were, in `OUTPUT/rejects/decontaminate.jsonl.zst` (as a
    /// filter's `rejects: true`).
    public var rejects = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sets, ngram, action, window, punctuation
        case minNgram = "min_ngram", maxSplits = "max_splits", minFraction = "min_fraction"
        case minPieceChars = "min_piece_chars", normalizeNumbers = "normalize_numbers"
        case foldDiacritics = "fold_diacritics", memoryMB = "memory_mb", rejects
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "decontaminate")
        sets = try c.decode([EvalSetConfig].self, forKey: .sets)
        try c.decode(.ngram, into: &ngram, .within(1...64))
        try c.decode(.minNgram, into: &minNgram, .within(1...64))
        try c.decodeIfPresent(.action, into: &action)
        try c.decode(.window, into: &window, .within(0...1_000_000))
        try c.decode(.maxSplits, into: &maxSplits, .within(0...1_000_000))
        try c.decode(.minFraction, into: &minFraction, .within(0.0...1.0))
        try c.decode(.minPieceChars, into: &minPieceChars, .within(0...1_000_000))
        try c.decodeIfPresent(.punctuation, into: &punctuation)
        try c.decode(.normalizeNumbers, into: &normalizeNumbers)
        try c.decode(.foldDiacritics, into: &foldDiacritics)
        try c.decode(.memoryMB, into: &memoryMB, .within(1...(1 << 20)))
        try c.decode(.rejects, into: &rejects)
        if sets.isEmpty { throw ConfigError("expected at least one eval set", at: c.location(of: .sets) ?? here) }
        if minNgram > ngram {
            throw ConfigError("min_ngram (\(minNgram)) is larger than ngram (\(ngram))",
                              at: c.location(of: .minNgram) ?? here)
        }
        var names = Set<String>()
        for set in sets where !names.insert(set.name).inserted {
            throw ConfigError("eval set name \"\(set.name)\" is used twice", at: set.location ?? here)
        }
        if action != .removeSpans {
            for key in [CodingKeys.window, .maxSplits, .minFraction, .minPieceChars] where c.contains(key) {
                throw ConfigError("\"\(key.rawValue)\" applies to action: remove_spans, but action is "
                    + "\"\(action.rawValue)\"", at: c.location(of: key) ?? here)
            }
        }
    }
}

/// One evaluation set, given as files.
public struct EvalSetConfig: Decodable, Sendable {
    public enum Format: String, ConfigEnum {
        /// JSON Lines (compressed as the name says), the item's text in `fields`.
        case jsonl
        /// Apache Parquet, the item's text in the columns `fields`.
        case parquet
        /// Plain text, one item per line.
        case text
    }

    /// The name stats, the report and `grist inspect --contamination` show.
    public var name: String
    public var paths: [Located<String>]
    public var format = Format.jsonl
    /// The fields whose texts, joined by a newline, make an item (`jsonl` and `parquet`; dotted paths
    /// allowed). The first must be in every record.
    public var fields: [String] = ["text"]
    public var location: ConfigLocation?

    enum CodingKeys: String, CodingKey, CaseIterable { case name, paths, format, fields }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configLocation
        name = try c.value(.name, .nonEmpty)
        paths = try c.decode([Located<String>].self, forKey: .paths)
        try c.decodeIfPresent(.format, into: &format)
        try c.decodeIfPresent(.fields, into: &fields)
        let here = location ?? ConfigLocation(file: "<config>", line: nil, path: "decontaminate.sets")
        if paths.isEmpty { throw ConfigError("expected at least one path", at: c.location(of: .paths) ?? here) }
        if fields.isEmpty { throw ConfigError("expected at least one field", at: c.location(of: .fields) ?? here) }
        if format == .text, c.contains(.fields) {
            throw ConfigError("fields are read from jsonl and parquet files; a text file is one item per line",
                              at: c.location(of: .fields) ?? here)
        }
    }
}
