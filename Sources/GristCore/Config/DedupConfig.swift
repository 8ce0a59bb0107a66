/// Deduplication across all sources: exact (same normalized text), URL (same normalized URL) and
/// near-duplicate (MinHash-LSH).
public struct DedupConfig: Decodable, Sendable, ConfigSection {
    /// Drop documents whose normalized text (datatrove's normalization) is identical to a kept one's.
    public var exact = true
    /// Near-duplicate removal; nil when the `minhash` key is absent.
    public var minhash: MinHashConfig?
    /// URL deduplication; nil when the `url` key is absent.
    public var url: URLDedupConfig?
    /// Removal of repeated paragraphs or lines from documents; nil when the `paragraphs` key is absent.
    public var paragraphs: ParagraphDedupConfig?
    /// Output folders of earlier builds whose kept documents (their `dedup-index/`) this build's documents
    /// are deduplicated against: a document that duplicates one of them is dropped.
    public var against: [Located<String>] = []

    enum CodingKeys: String, CodingKey, CaseIterable { case exact, minhash, url, paragraphs, against }

    /// The defaults: exact dedup only.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.exact, into: &exact)
        minhash = try c.decodeIfPresent(MinHashConfig.self, forKey: .minhash)
        url = try c.decodeIfPresent(URLDedupConfig.self, forKey: .url)
        paragraphs = try c.decodeIfPresent(ParagraphDedupConfig.self, forKey: .paragraphs)
        if let url, url.keep != nil, minhash != nil {
            let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "dedup")
            throw ConfigError("one keep rule serves every kind of duplicate: with minhash, set it as minhash.keep",
                              at: url.keepLocation ?? here)
        }
        try c.decodeIfPresent(.against, into: &against)
    }

    /// Whether any deduplication runs.
    public var isEnabled: Bool { exact || minhash != nil || url != nil }

    /// The keep rule in force (first, unless `minhash.keep`, or `url.keep` without minhash, says otherwise).
    public var keep: DedupKeepRule { minhash?.keep ?? url?.keep ?? .first }

    /// The memory budget of the clustering step, in MiB.
    public var memoryMB: Int { minhash?.memoryMB ?? MinHashConfig.defaultMemoryMB }
}

/// URL deduplication: documents whose (normalized) URLs are equal are duplicates. The URL is the
/// document's metadata `field` (a WARC or WET record's `WARC-Target-URI` when it has no such field);
/// documents without one are never URL duplicates.
public struct URLDedupConfig: Decodable, Sendable, ConfigSection {
    /// Compare normalized URLs (scheme, host case, default port, trailing slash, fragment, tracking
    /// parameters: `URLNormalizer`); false: the URLs as they are (surrounding whitespace removed).
    public var normalize = true
    /// The metadata key holding the URL (a JSON Lines source lists it in its `metadata_fields`).
    public var field = "url"
    /// The keep rule when there is no `minhash` section (there, `minhash.keep` serves both).
    public var keep: DedupKeepRule?
    public var keepLocation: ConfigLocation?

    enum CodingKeys: String, CodingKey, CaseIterable { case normalize, field, keep }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.normalize, into: &normalize)
        try c.decode(.field, into: &field, .nonEmpty)
        keep = try c.decodeIfPresent(DedupKeepRule.self, forKey: .keep)
        keepLocation = c.location(of: .keep)
    }
}

/// Paragraph (or line) deduplication: units of text that occur at least `min_count` times in the corpus
/// (after cleaning, compared byte for byte without surrounding whitespace) are removed from the
/// documents before the filters: all but the first occurrence (canonical order), or all of them.
public struct ParagraphDedupConfig: Decodable, Sendable, ConfigSection {
    public enum Unit: String, ConfigEnum {
        /// Runs of non-blank lines separated by blank lines.
        case paragraph
        /// Single non-blank lines.
        case line
    }

    public enum Keep: String, ConfigEnum {
        /// Keep the first occurrence (canonical order), remove the later ones.
        case first
        /// Remove every occurrence of a repeated unit.
        case none
    }

    public var unit = Unit.paragraph
    /// Occurrences in the corpus from which a unit counts as repeated.
    public var minCount = 2
    public var keep = Keep.first
    /// Units shorter than this many bytes (without surrounding whitespace) are never removed.
    public var minBytes = 0
    /// Memory for sorting the units' hashes, in MiB.
    public var memoryMB = 512

    enum CodingKeys: String, CodingKey, CaseIterable {
        case unit, keep, minCount = "min_count", minBytes = "min_bytes", memoryMB = "memory_mb"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.unit, into: &unit)
        try c.decode(.minCount, into: &minCount, .within(2...Int(UInt32.max)))
        try c.decodeIfPresent(.keep, into: &keep)
        try c.decode(.minBytes, into: &minBytes, .within(0...(1 << 20)))
        try c.decode(.memoryMB, into: &memoryMB, .within(16...(1 << 20)))
    }
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
    public static let defaultMaxClusterSize = 1000

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
    /// The giant-cluster guard, with `verify: false`: a connected group of more documents than this is
    /// verified against its kept document instead of being removed whole (0: off, datatrove's behaviour).
    public var maxClusterSize = MinHashConfig.defaultMaxClusterSize

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ngram, bands, rows, seed, verify, threshold, keep, priority
        case memoryMB = "memory_mb", qualityKey = "quality_key", dateKey = "date_key"
        case maxClusterSize = "max_cluster_size"
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
        try c.decode(.maxClusterSize, into: &maxClusterSize, .within(0...Int(UInt32.max)))
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
