/// Deduplication across all sources: exact (same normalized text) and near-duplicate (MinHash-LSH).
public struct DedupConfig: Decodable, Sendable {
    /// Drop documents whose normalized text (datatrove's normalization) is identical to a kept one's.
    public var exact: Bool
    /// Near-duplicate removal; nil when the `minhash` key is absent.
    public var minhash: MinHashConfig?

    enum CodingKeys: String, CodingKey, CaseIterable { case exact, minhash }

    public init(exact: Bool = true, minhash: MinHashConfig? = nil) {
        self.exact = exact
        self.minhash = minhash
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        exact = try c.value(.exact, default: true)
        minhash = try c.decodeIfPresent(MinHashConfig.self, forKey: .minhash)
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
}

/// MinHash-LSH near-duplicate detection. Defaults equal datatrove 0.10.1's `MinhashConfig`
/// (5-gram word shingles, 14 bands of 8 rows, seed 1, 64-bit hashes).
public struct MinHashConfig: Decodable, Sendable {
    public static let defaultMemoryMB = 1024

    /// Words per shingle.
    public var ngram: Int
    /// LSH bands; two documents are candidates when all `rows` hashes of one band agree.
    public var bands: Int
    /// Hashes per band.
    public var rows: Int
    /// Seeds the hash permutations (as numpy's `RandomState(seed)` does for datatrove).
    public var seed: UInt64
    /// Check each candidate pair by the true Jaccard similarity of its shingle sets.
    public var verify: Bool
    /// Lowest Jaccard similarity of a verified pair.
    public var threshold: Double
    public var keep: DedupKeepRule
    /// Source names, highest priority first, for `keep: priority` (unlisted sources follow, in config order).
    public var priority: [String]
    public var priorityLocation: ConfigLocation?
    /// Memory the dedup step may use for sorting and clustering, in MiB.
    public var memoryMB: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ngram, bands, rows, seed, verify, threshold, keep, priority
        case memoryMB = "memory_mb"
    }

    public init(ngram: Int = 5, bands: Int = 14, rows: Int = 8, seed: UInt64 = 1, verify: Bool = true,
                threshold: Double = 0.8, keep: DedupKeepRule = .first, priority: [String] = [],
                memoryMB: Int = MinHashConfig.defaultMemoryMB) {
        self.ngram = ngram
        self.bands = bands
        self.rows = rows
        self.seed = seed
        self.verify = verify
        self.threshold = threshold
        self.keep = keep
        self.priority = priority
        self.memoryMB = memoryMB
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ngram = try c.value(.ngram, default: 5, .within(1...64))
        bands = try c.value(.bands, default: 14, .within(1...256))
        rows = try c.value(.rows, default: 8, .within(1...64))
        seed = try c.value(.seed, default: 1, .within(0...UInt64(UInt32.max)))
        verify = try c.value(.verify, default: true)
        threshold = try c.value(.threshold, default: 0.8, .within(0.0...1.0))
        keep = try c.decodeIfPresent(DedupKeepRule.self, forKey: .keep) ?? .first
        priority = try c.decodeIfPresent([String].self, forKey: .priority) ?? []
        priorityLocation = c.location(of: .priority)
        memoryMB = try c.value(.memoryMB, default: MinHashConfig.defaultMemoryMB, .within(16...(1 << 20)))
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "minhash")
        if bands * rows > 1024 {
            throw ConfigError("bands × rows is \(bands * rows); at most 1024 hashes per document are supported",
                              at: c.location(of: .rows) ?? here)
        }
        if !priority.isEmpty, keep != .priority {
            throw ConfigError("\"priority\" is given but keep is \"\(keep.rawValue)\"; set keep: priority",
                              at: priorityLocation ?? here)
        }
        var seen = Set<String>()
        for name in priority where !seen.insert(name).inserted {
            throw ConfigError("source \"\(name)\" is listed twice", at: priorityLocation ?? here)
        }
    }
}
