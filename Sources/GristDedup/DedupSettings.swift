import GristCore

/// The parameters of one deduplication, taken from a config's `dedup:` section.
public struct DedupSettings: Sendable, Equatable {
    public var exact: Bool
    /// URL deduplication: whether URLs are normalized (nil when URL dedup is off).
    public var url: URLShape?
    /// LSH shape and hashing; nil for exact-only deduplication.
    public var minhash: MinHashShape?
    public var verify: Bool
    public var threshold: Double
    public var keep: DedupKeepRule
    /// Memory for sorting and clustering, in bytes.
    public var memoryBytes: Int
    /// The giant-cluster guard (`verify: false` only): a connected group larger than this is verified
    /// against its kept document instead of being removed whole; 0 turns the guard off.
    public var maxClusterSize: Int

    public struct URLShape: Sendable, Equatable {
        /// Compare normalized URLs (`URLNormalizer`).
        public var normalize: Bool
        /// The metadata key of the URL (as the config names it).
        public var field: String

        public init(normalize: Bool, field: String = "url") {
            self.normalize = normalize
            self.field = field
        }
    }

    public struct MinHashShape: Sendable, Equatable {
        public var ngram: Int
        public var bands: Int
        public var rows: Int
        public var seed: UInt32

        public init(ngram: Int, bands: Int, rows: Int, seed: UInt32) {
            self.ngram = ngram
            self.bands = bands
            self.rows = rows
            self.seed = seed
        }
    }

    public init(exact: Bool, minhash: MinHashShape?, verify: Bool = true, threshold: Double = 0.8,
                keep: DedupKeepRule = .first, memoryBytes: Int = MinHashConfig.defaultMemoryMB << 20,
                maxClusterSize: Int = MinHashConfig.defaultMaxClusterSize, url: URLShape? = nil) {
        self.exact = exact
        self.url = url
        self.minhash = minhash
        self.verify = verify
        self.threshold = threshold
        self.keep = keep
        self.memoryBytes = memoryBytes
        self.maxClusterSize = maxClusterSize
    }

    public init(_ config: DedupConfig) {
        let shape = config.minhash.map {
            MinHashShape(ngram: $0.ngram, bands: $0.bands, rows: $0.rows, seed: UInt32(clamping: $0.seed))
        }
        self.init(exact: config.exact, minhash: shape, verify: config.minhash?.verify ?? false,
                  threshold: config.minhash?.threshold ?? 1, keep: config.keep, memoryBytes: config.memoryMB << 20,
                  maxClusterSize: config.minhash?.maxClusterSize ?? MinHashConfig.defaultMaxClusterSize,
                  url: config.url.map { URLShape(normalize: $0.normalize, field: $0.field) })
    }

    /// Whether the giant-cluster guard runs: near-duplicate removal without verification, `maxClusterSize` above 0.
    public var guardsClusters: Bool { minhash != nil && !verify && maxClusterSize > 0 }

    /// Seeds the audit's sampling: the MinHash seed (part of the `dedup:` section, so of the dedup key).
    public var auditSeed: UInt64 { UInt64(minhash?.seed ?? 0) }

    /// A sketcher for phase 1 (one per thread).
    public func makeSketcher() -> DocumentSketcher {
        guard let minhash else { return DocumentSketcher(computesMinHash: false) }
        return DocumentSketcher(ngram: minhash.ngram, bands: minhash.bands, rows: minhash.rows, seed: minhash.seed)
    }

    /// Bands written per document in phase 1 (0 when exact-only).
    public var bands: Int { minhash?.bands ?? 0 }

    /// Phase 2's independent tasks, in a fixed order: the exact-key groups (when on), the URL-key groups
    /// (when on), then one per band.
    public var tasks: [DedupTask] {
        (exact ? [.exact] : []) + (url != nil ? [.url] : []) + (0..<bands).map { .band($0) }
    }
}

/// One independent piece of phase 2: the exact-key groups, the URL-key groups, or one LSH band's buckets. Each reads only
/// the phase-1 files and writes its own sorted pair file, so tasks can run on different machines.
public enum DedupTask: Sendable, Equatable, CustomStringConvertible {
    case exact
    case url
    case band(Int)

    public var name: String {
        switch self {
        case .exact: "exact"
        case .url: "url"
        case .band(let band): "band-\(band)"
        }
    }

    public var description: String { name }

    /// The task of a `name` (as a work list records it), or nil.
    public init?(name: String) {
        if name == "exact" {
            self = .exact
        } else if name == "url" {
            self = .url
        } else if name.hasPrefix("band-"), let band = Int(name.dropFirst(5)), band >= 0 {
            self = .band(band)
        } else {
            return nil
        }
    }
}
