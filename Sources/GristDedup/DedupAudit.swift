import GristCore

/// What a deduplication can say about its own clusters, made during clustering (`DedupPlan.finish`) in
/// bounded memory and deterministically (a function of the sketches and `DedupSettings.auditSeed`, never
/// of the worker count or the memory budget):
///
/// - the cluster-size histogram (every final cluster, in power-of-two buckets);
/// - a seeded sample of the clusters that have near-duplicate members, and in each up to
///   `membersPerCluster` of those members: the true Jaccard similarity of each to the kept document
///   (`Pair.Kind.kept`) and of consecutive sampled members to each other (`.member`), giving the share at
///   or above the threshold with its Wilson score 95% interval;
/// - the largest clusters, with their kept document and first members;
/// - what the giant-cluster guard did (`verify: false` only).
public struct DedupAudit: Sendable, Equatable {
    /// Clusters sampled at most (those with the smallest seeded hash of their number).
    public static let sampledClusterLimit = 200
    /// Near-duplicate members sampled per sampled cluster at most (smallest seeded hash of their number).
    public static let membersPerCluster = 8
    /// Largest clusters listed.
    public static let largestListed = 10
    /// Documents listed per largest cluster: the kept one, then the first others in document order.
    public static let membersListed = 5

    /// Clusters by size, in power-of-two buckets (GristCore's `ClusterSizeBucket`, which the manifest records).
    public typealias SizeBucket = ClusterSizeBucket

    /// One sampled pair of documents of one cluster and their true Jaccard similarity.
    public struct Pair: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// A dropped member and the document kept in its place.
            case kept
            /// Two dropped members of one cluster (consecutive in the sample's order).
            case member
        }

        public var cluster: Int
        public var kind: Kind
        /// A dropped member (global document number).
        public var document: Int
        /// The kept document (`.kept`) or another dropped member (`.member`).
        public var other: Int
        public var similarity: Double
        /// Whether the two have the same exact key (then they are not counted in the estimates).
        public var exact: Bool

        public init(cluster: Int, kind: Kind, document: Int, other: Int, similarity: Double, exact: Bool) {
            self.cluster = cluster
            self.kind = kind
            self.document = document
            self.other = other
            self.similarity = similarity
            self.exact = exact
        }
    }

    /// The share of `pairs` at or above the threshold, with its Wilson score 95% interval.
    public struct Estimate: Sendable, Equatable {
        public var pairs: Int
        public var atOrAbove: Int

        public init(pairs: Int, atOrAbove: Int) {
            self.pairs = pairs
            self.atOrAbove = atOrAbove
        }

        /// atOrAbove / pairs; nil without pairs.
        public var precision: Double? { pairs > 0 ? Double(atOrAbove) / Double(pairs) : nil }
        /// The Wilson score interval at 95% (z = 1.96); nil without pairs.
        public var interval: (low: Double, high: Double)? { Self.wilson(atOrAbove, of: pairs) }

        /// The Wilson score interval of `k` successes in `n` trials at `z` (1.96: 95%).
        public static func wilson(_ k: Int, of n: Int, z: Double = 1.96) -> (low: Double, high: Double)? {
            guard n > 0 else { return nil }
            let n = Double(n), p = Double(k) / n, z2 = z * z
            let center = (p + z2 / (2 * n)) / (1 + z2 / n)
            let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
            return (max(0, center - half), min(1, center + half))
        }
    }

    /// One of the largest clusters.
    public struct LargeCluster: Sendable, Equatable {
        public var cluster: Int
        public var size: Int
        public var kept: Int
        /// The kept document, then the first other members in document order (at most `membersListed`).
        public var members: [Int]

        public init(cluster: Int, size: Int, kept: Int, members: [Int]) {
            self.cluster = cluster
            self.size = size
            self.kept = kept
            self.members = members
        }
    }

    /// What the giant-cluster guard did (`verify: false`): connected groups verified against their kept
    /// document instead of being removed whole.
    public struct GuardCounts: Sendable, Equatable {
        /// `max_cluster_size` (0: the guard is off).
        public var maxClusterSize: Int
        /// Groups larger than `maxClusterSize`.
        public var bySize = 0
        /// Groups within the size in which at least half the members to drop are below the threshold
        /// against the kept document.
        public var bySimilarity = 0
        /// Documents split off from guarded groups (below the threshold against their kept document;
        /// clustered again among themselves, or left alone).
        public var splitOffDocuments = 0

        public init(maxClusterSize: Int) { self.maxClusterSize = maxClusterSize }

        public var clusters: Int { bySize + bySimilarity }
    }

    public var threshold: Double
    public var seed: UInt64
    public var verify: Bool
    /// Final clusters, and the documents in them (kept ones included).
    public var clusters = 0
    public var documents = 0
    public var sizes: [SizeBucket] = []
    /// Clusters with at least one near-duplicate member.
    public var nearClusters = 0
    public var sampledClusters = 0
    /// Every sampled pair, by cluster, then kind (`.kept` first), then sample order.
    public var pairs: [Pair] = []
    public var largest: [LargeCluster] = []
    public var guardCounts: GuardCounts

    public init(threshold: Double, seed: UInt64, verify: Bool, maxClusterSize: Int) {
        self.threshold = threshold
        self.seed = seed
        self.verify = verify
        guardCounts = GuardCounts(maxClusterSize: maxClusterSize)
    }

    /// Dropped members against their kept document (exact-key pairs left out).
    public var toKept: Estimate { estimate(.kept) }
    /// Dropped members against each other (exact-key pairs left out).
    public var betweenMembers: Estimate { estimate(.member) }
    /// Sampled pairs left out of the estimates because the two share their exact key.
    public var exactPairs: Int { pairs.count { $0.exact } }

    private func estimate(_ kind: Pair.Kind) -> Estimate {
        let counted = pairs.filter { $0.kind == kind && !$0.exact }
        return Estimate(pairs: counted.count, atOrAbove: counted.count { $0.similarity >= threshold })
    }

    /// The bucket of a cluster size: 2 → 0, 3–4 → 1, 5–8 → 2, …
    static func bucket(ofSize size: Int) -> Int { size <= 2 ? 0 : Int.bitWidth - (size - 1).leadingZeroBitCount - 1 }

    /// The histogram of `sizes` (every bucket from 2 to the largest size's, empty ones included).
    static func histogram(_ sizes: [UInt32]) -> [SizeBucket] {
        var buckets: [SizeBucket] = []
        for size in sizes.lazy.map(Int.init) where size >= 2 {
            let b = bucket(ofSize: size)
            while buckets.count <= b {
                let k = buckets.count
                buckets.append(SizeBucket(lowerBound: k == 0 ? 2 : (1 << k) + 1, upperBound: 1 << (k + 1),
                                          clusters: 0, documents: 0))
            }
            buckets[b].clusters += 1
            buckets[b].documents += size
        }
        return buckets
    }

    /// The sampling key of `value` (a cluster or document number): a seeded 64-bit hash.
    static func key(_ value: Int, seed: UInt64, salt: UInt64) -> UInt64 {
        SplitMix64.mix(SplitMix64.mix(seed ^ salt) ^ UInt64(value))
    }
}

/// Collects the audit's samples while `DedupPlan.finish` streams the members in document order (pass 4).
struct AuditCollector {
    private(set) var audit: DedupAudit
    /// Sampled cluster number → its slot in `samples`.
    private var sampled: [Int: Int] = [:]
    private var samples: [(kept: Int, members: [(key: UInt64, document: Int)])] = []
    /// Largest cluster number → its slot in `audit.largest`.
    private var listed: [Int: Int] = [:]

    private static let clusterSalt: UInt64 = 0x6175_6469_7463_6c75  // "auditclu"
    private static let memberSalt: UInt64 = 0x6175_6469_746d_656d  // "auditmem"

    /// - Parameters:
    ///   - sizes: every final cluster's size, by cluster number.
    ///   - near: whether each cluster has a near-duplicate (not exact) member.
    init(audit: DedupAudit, sizes: [UInt32], near: [Bool]) {
        self.audit = audit
        self.audit.clusters = sizes.count
        self.audit.documents = sizes.reduce(0) { $0 + Int($1) }
        self.audit.sizes = DedupAudit.histogram(sizes)
        self.audit.nearClusters = near.count { $0 }
        // Bottom-k of the clusters with near members by seeded hash: a max-heap of k keys.
        let seed = audit.seed
        var heap: [(key: UInt64, cluster: Int)] = []
        for (cluster, isNear) in near.enumerated() where isNear {
            let key = DedupAudit.key(cluster, seed: seed, salt: Self.clusterSalt)
            if heap.count < DedupAudit.sampledClusterLimit {
                heap.append((key, cluster))
                heap.sort { $0.key > $1.key }
            } else if key < heap[0].key {
                heap[0] = (key, cluster)
                heap.sort { $0.key > $1.key }
            }
        }
        for (slot, cluster) in heap.map(\.cluster).sorted().enumerated() {
            sampled[cluster] = slot
            samples.append((-1, []))
        }
        self.audit.sampledClusters = heap.count
        // The largest clusters: size descending, then number.
        var largest: [(size: UInt32, cluster: Int)] = []
        for (cluster, size) in sizes.enumerated() {
            if largest.count == DedupAudit.largestListed, let last = largest.last, size <= last.size { continue }
            largest.append((size, cluster))
            largest.sort { $0.size != $1.size ? $0.size > $1.size : $0.cluster < $1.cluster }
            if largest.count > DedupAudit.largestListed { largest.removeLast() }
        }
        for (slot, entry) in largest.enumerated() {
            listed[entry.cluster] = slot
            self.audit.largest.append(DedupAudit.LargeCluster(cluster: entry.cluster, size: Int(entry.size), kept: -1,
                                                              members: []))
        }
    }

    /// One member, in document order.
    mutating func add(document: Int, cluster: Int, kept: Int, exact: Bool) {
        if let slot = listed[cluster] {
            audit.largest[slot].kept = kept
            if document != kept, audit.largest[slot].members.count < DedupAudit.membersListed - 1 {
                audit.largest[slot].members.append(document)
            }
        }
        guard let slot = sampled[cluster] else { return }
        samples[slot].kept = kept
        guard document != kept, !exact else { return }
        let key = DedupAudit.key(document, seed: audit.seed, salt: Self.memberSalt)
        // In place (no copy per member): the members with the smallest keys, in key order.
        if samples[slot].members.count < DedupAudit.membersPerCluster || key < (samples[slot].members.last?.key ?? .max) {
            samples[slot].members.append((key, document))
            samples[slot].members.sort { $0.key < $1.key }
            if samples[slot].members.count > DedupAudit.membersPerCluster { samples[slot].members.removeLast() }
        }
    }

    /// Ends the audit: the pairs of the samples, their similarities read from `store`.
    mutating func finish(store: SketchStore) throws -> DedupAudit {
        for slot in audit.largest.indices { audit.largest[slot].members.insert(audit.largest[slot].kept, at: 0) }
        let clusters = sampled.sorted { $0.value < $1.value }.map(\.key)
        for (cluster, sample) in zip(clusters, samples) {
            // Recomputed, not the members' stored similarity (a Float): compared with the threshold exactly.
            for member in sample.members {
                audit.pairs.append(DedupAudit.Pair(cluster: cluster, kind: .kept, document: member.document,
                                                   other: sample.kept,
                                                   similarity: try store.similarity(member.document, sample.kept),
                                                   exact: false))
            }
            for (a, b) in zip(sample.members, sample.members.dropFirst()) {
                let x = try store.document(a.document), y = try store.document(b.document)
                let exact = x.exactHigh == y.exactHigh && x.exactLow == y.exactLow
                audit.pairs.append(DedupAudit.Pair(
                    cluster: cluster, kind: .member, document: a.document, other: b.document,
                    similarity: exact ? 1 : try store.similarity(a.document, b.document), exact: exact))
            }
        }
        return audit
    }
}
