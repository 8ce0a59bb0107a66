/// Deduplication across all sources: exact (same normalized text) and near-duplicate (MinHash-LSH).
public struct DedupConfig: Decodable, Sendable, ConfigSection {
    /// Drop documents whose normalized text (datatrove's normalization) is identical to a kept one's.
    public var exact = true
    /// Near-duplicate removal; nil when the `minhash` key is absent.
    public var minhash: MinHashConfig?
    /// Output folders of earlier builds whose kept documents (their `dedup-index/`) this build's documents
    /// are deduplicated against: a document that duplicates one of them is dropped.
    public var against: [Located<String>] = []

    enum CodingKeys: String, CodingKey, CaseIterable { case exact, minhash, against }

    /// The defaults: exact dedup only.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.exact, into: &exact)
        minhash = try c.decodeIfPresent(MinHashConfig.self, forKey: .minhash)
        try c.decodeIfPresent(.against, into: &against)
    }

    /// Whether any deduplication runs.
    public var isEnabled: Bool { exact || minhash != nil }

    /// The keep rule in force (first, unless `minhash.keep` says otherwise).
    public var keep: DedupKeepRule { minhash?.keep ?? .first }

    /// The memory budget of the clustering step, in MiB.
    public var memoryMB: Int { minhash?.memoryMB ?? MinHashConfig.defaultMemoryMB }
}

/// Which document of a duplicate cluster survives.
public enum DedupKeepRule: String, ConfigEnum {
    /// The first in canonical order (source, file, record).
    case first
    /// The one with the most bytes; ties go to the first.
    case longest
    /// The one from the highest-priority source (`priority`, else config order); ties go to the first.
    case priority
    /// The one with the highest score (`quality_key`: a classifier's label score, or a number a source
    /// carries in its metadata, such as FineWeb-Edu's `int_score`); unscored ones last, ties to the first.
    case highestQuality = "highest_quality"
    /// The one with the latest date (`date_key`, `date` by default: a WARC record's `WARC-Date`, or a date
    /// a source carries in its metadata); undated ones last, ties to the first.
    case mostRecent = "most_recent"
}

/// MinHash-LSH near-duplicate detection. Defaults equal datatrove 0.10.1's `MinhashConfig`
/// (5-gram word shingles, 14 bands of 8 rows, seed 1, 64-bit hashes).
public struct MinHashConfig: Decodable, Sendable, ConfigSection {
    public static let defaultMemoryMB = 1024

    /// Words per shingle.
    public var ngram = 5
    /// LSH bands; two documents are candidates when all `rows` hashes of one band agree.
    public var bands = 14
    /// Hashes per band.
    public var rows = 8
    /// Seeds the hash permutations (as numpy's `RandomState(seed)` does for datatrove).
    public var seed: UInt64 = 1
    /// Check each candidate pair by the true Jaccard similarity of its shingle sets.
    public var verify = true
    /// Lowest Jaccard similarity of a verified pair.
    public var threshold = 0.8
    public var keep = DedupKeepRule.first
    /// Source names, highest priority first, for `keep: priority` (unlisted sources follow, in config order).
    public var priority: [String] = []
    public var priorityLocation: ConfigLocation?
    /// The metadata key whose number `keep: highest_quality` compares; nil: the first classifier's
    /// deciding label (`fasttext_classifier`'s `label`).
    public var qualityKey: String?
    /// The metadata key whose date `keep: most_recent` compares (nil: `date`).
    public var dateKey: String?
    /// Memory the dedup step may use for sorting and clustering, in MiB.
    public var memoryMB = MinHashConfig.defaultMemoryMB

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ngram, bands, rows, seed, verify, threshold, keep, priority
        case memoryMB = "memory_mb", qualityKey = "quality_key", dateKey = "date_key"
    }

    /// datatrove's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.ngram, into: &ngram, .within(1...64))
        try c.decode(.bands, into: &bands, .within(1...256))
        try c.decode(.rows, into: &rows, .within(1...64))
        try c.decode(.seed, into: &seed, .within(0...UInt64(UInt32.max)))
        try c.decode(.verify, into: &verify)
        try c.decode(.threshold, into: &threshold, .within(0.0...1.0))
        try c.decodeIfPresent(.keep, into: &keep)
        try c.decodeIfPresent(.priority, into: &priority)
        priorityLocation = c.location(of: .priority)
        qualityKey = try c.optionalValue(.qualityKey, .nonEmpty)
        dateKey = try c.optionalValue(.dateKey, .nonEmpty)
        try c.decode(.memoryMB, into: &memoryMB, .within(16...(1 << 20)))
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "minhash")
        if bands * rows > 1024 {
            throw ConfigError("bands × rows is \(bands * rows); at most 1024 hashes per document are supported",
                              at: c.location(of: .rows) ?? here)
        }
        if !priority.isEmpty, keep != .priority {
            throw ConfigError("\"priority\" is given but keep is \"\(keep.rawValue)\"; set keep: priority",
                              at: priorityLocation ?? here)
        }
        if qualityKey != nil, keep != .highestQuality {
            throw ConfigError("\"quality_key\" is given but keep is \"\(keep.rawValue)\"; set keep: highest_quality",
                              at: c.location(of: .qualityKey) ?? here)
        }
        if dateKey != nil, keep != .mostRecent {
            throw ConfigError("\"date_key\" is given but keep is \"\(keep.rawValue)\"; set keep: most_recent",
                              at: c.location(of: .dateKey) ?? here)
        }
        var seen = Set<String>()
        for name in priority where !seen.insert(name).inserted {
            throw ConfigError("source \"\(name)\" is listed twice", at: priorityLocation ?? here)
        }
    }
}
