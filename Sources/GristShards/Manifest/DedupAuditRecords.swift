import GristCore

/// The dedup audit of a run as the manifest holds it (tables `dedupAudit`, `clusterSizeBucket`,
/// `dedupAuditPair`, `largestClusterMember`; docs/dedup.md#the-audit): written by the build, read back by
/// `grist stats` (text and JSON) and `grist report`.
public struct DedupAuditRecord: Sendable, Equatable {
    /// The share of sampled pairs at or above the threshold, with its Wilson score 95% interval.
    public struct Estimate: Sendable, Equatable {
        public var pairs: Int
        public var atOrAbove: Int
        public var precision: Double?
        public var low: Double?
        public var high: Double?

        public init(pairs: Int, atOrAbove: Int, precision: Double?, low: Double?, high: Double?) {
            self.pairs = pairs
            self.atOrAbove = atOrAbove
            self.precision = precision
            self.low = low
            self.high = high
        }
    }

    public typealias SizeBucket = ClusterSizeBucket

    /// A sampled pair: a dropped document and the kept one (`kind` `kept`) or another dropped member (`member`).
    public struct Pair: Sendable, Equatable {
        public var clusterId: Int64
        public var kind: String
        public var documentId: Int64
        public var otherDocumentId: Int64
        public var similarity: Double
        public var exact: Bool

        public init(clusterId: Int64, kind: String, documentId: Int64, otherDocumentId: Int64, similarity: Double,
                    exact: Bool) {
            self.clusterId = clusterId
            self.kind = kind
            self.documentId = documentId
            self.otherDocumentId = otherDocumentId
            self.similarity = similarity
            self.exact = exact
        }
    }

    /// A listed member of one of the largest clusters (position 0: the kept document).
    public struct LargestMember: Sendable, Equatable {
        /// 1 for the largest cluster.
        public var rank: Int
        public var clusterId: Int64
        public var position: Int
        public var documentId: Int64
        /// The document's first line, at most 120 bytes (cut at a character), as stored.
        public var firstLine: String
        /// Read back only (nil when writing): the cluster's size, the document's source, id and similarity to the kept one.
        public var clusterSize: Int?
        public var source: String?
        public var externalId: String?
        public var similarity: Double?

        public init(rank: Int, clusterId: Int64, position: Int, documentId: Int64, firstLine: String,
                    clusterSize: Int? = nil, source: String? = nil, externalId: String? = nil, similarity: Double? = nil) {
            self.rank = rank
            self.clusterId = clusterId
            self.position = position
            self.documentId = documentId
            self.firstLine = firstLine
            self.clusterSize = clusterSize
            self.source = source
            self.externalId = externalId
            self.similarity = similarity
        }
    }

    public var threshold: Double
    public var seed: Int64
    public var verify: Bool
    /// The keep rule that chose each cluster's survivor (`first`, `longest`, `priority`, `highest_quality`,
    /// `most_recent`).
    public var keepRule = "first"
    public var clusters: Int
    public var documents: Int
    public var nearClusters: Int
    public var sampledClusters: Int
    /// Dropped members against the kept document; dropped members against each other (exact-key pairs out).
    public var toKept: Estimate
    public var betweenMembers: Estimate
    public var exactPairs: Int
    /// The giant-cluster guard: `max_cluster_size` (0: off, or verification on), groups it took by size
    /// and by similarity, documents it split off.
    public var maxClusterSize: Int
    public var guardedBySize: Int
    public var guardedBySimilarity: Int
    public var guardSplitOff: Int
    public var sizes: [SizeBucket]
    public var pairs: [Pair]
    public var largest: [LargestMember]

    public init(threshold: Double, seed: Int64, verify: Bool, clusters: Int, documents: Int, nearClusters: Int,
                sampledClusters: Int, toKept: Estimate, betweenMembers: Estimate, exactPairs: Int, maxClusterSize: Int,
                guardedBySize: Int, guardedBySimilarity: Int, guardSplitOff: Int, sizes: [SizeBucket], pairs: [Pair],
                largest: [LargestMember]) {
        self.threshold = threshold
        self.seed = seed
        self.verify = verify
        self.clusters = clusters
        self.documents = documents
        self.nearClusters = nearClusters
        self.sampledClusters = sampledClusters
        self.toKept = toKept
        self.betweenMembers = betweenMembers
        self.exactPairs = exactPairs
        self.maxClusterSize = maxClusterSize
        self.guardedBySize = guardedBySize
        self.guardedBySimilarity = guardedBySimilarity
        self.guardSplitOff = guardSplitOff
        self.sizes = sizes
        self.pairs = pairs
        self.largest = largest
    }

    /// Clusters the guard took.
    public var guardedClusters: Int { guardedBySize + guardedBySimilarity }
}

extension Manifest {
    /// Records the run's dedup audit (after its documents and clusters).
    public func addDedupAudit(runId: Int64, _ a: DedupAuditRecord) throws {
        let insert = try database.prepare("""
            INSERT INTO dedupAudit (runId, threshold, seed, verify, clusters, documents, nearClusters, sampledClusters,
                keptPairs, keptAtOrAbove, keptPrecision, keptLow, keptHigh,
                memberPairs, memberAtOrAbove, memberPrecision, memberLow, memberHigh,
                exactPairs, maxClusterSize, guardedBySize, guardedBySimilarity, guardSplitOff, keepRule)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertBucket = try database.prepare("""
            INSERT INTO clusterSizeBucket (runId, lowerBound, upperBound, clusters, documents) VALUES (?, ?, ?, ?, ?)
            """)
        let insertPair = try database.prepare("""
            INSERT INTO dedupAuditPair (runId, clusterId, kind, documentId, otherDocumentId, similarity, exact)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let insertMember = try database.prepare("""
            INSERT INTO largestClusterMember (runId, rank, clusterId, position, documentId, firstLine)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        func real(_ value: Double?) -> SQLiteValue { value.map { .real($0) } ?? .null }
        try database.transaction {
            try insert.run(.integer(runId), .real(a.threshold), .integer(a.seed), .init(a.verify ? 1 : 0),
                           .init(a.clusters), .init(a.documents), .init(a.nearClusters), .init(a.sampledClusters),
                           .init(a.toKept.pairs), .init(a.toKept.atOrAbove), real(a.toKept.precision),
                           real(a.toKept.low), real(a.toKept.high),
                           .init(a.betweenMembers.pairs), .init(a.betweenMembers.atOrAbove),
                           real(a.betweenMembers.precision), real(a.betweenMembers.low), real(a.betweenMembers.high),
                           .init(a.exactPairs), .init(a.maxClusterSize), .init(a.guardedBySize),
                           .init(a.guardedBySimilarity), .init(a.guardSplitOff), .text(a.keepRule))
            for b in a.sizes {
                try insertBucket.run(.integer(runId), .init(b.lowerBound), .init(b.upperBound), .init(b.clusters),
                                     .init(b.documents))
            }
            for p in a.pairs {
                try insertPair.run(.integer(runId), .integer(p.clusterId), .text(p.kind), .integer(p.documentId),
                                   .integer(p.otherDocumentId), .real(p.similarity), .init(p.exact ? 1 : 0))
            }
            for m in a.largest {
                try insertMember.run(.integer(runId), .init(m.rank), .integer(m.clusterId), .init(m.position),
                                     .integer(m.documentId), .text(m.firstLine))
            }
        }
    }

    /// The run's dedup audit, or nil when it has none (no deduplication, or a manifest from before schema 6).
    public func dedupAudit(runId: Int64) throws -> DedupAuditRecord? {
        let id = SQLiteValue.integer(runId)
        func estimate(_ row: SQLiteStatement, _ prefix: String) -> DedupAuditRecord.Estimate {
            .init(pairs: row.int(prefix + "Pairs"), atOrAbove: row.int(prefix + "AtOrAbove"),
                  precision: row[prefix + "Precision"].double, low: row[prefix + "Low"].double,
                  high: row[prefix + "High"].double)
        }
        guard var audit = try database.prepare("SELECT * FROM dedupAudit WHERE runId = ?").firstRow(id, transform: { r in
            DedupAuditRecord(
                threshold: r.double("threshold"), seed: Int64(r.int("seed")), verify: r.int("verify") == 1,
                clusters: r.int("clusters"), documents: r.int("documents"), nearClusters: r.int("nearClusters"),
                sampledClusters: r.int("sampledClusters"), toKept: estimate(r, "kept"),
                betweenMembers: estimate(r, "member"), exactPairs: r.int("exactPairs"),
                maxClusterSize: r.int("maxClusterSize"), guardedBySize: r.int("guardedBySize"),
                guardedBySimilarity: r.int("guardedBySimilarity"), guardSplitOff: r.int("guardSplitOff"),
                sizes: [], pairs: [], largest: [])
        }) else { return nil }
        audit.keepRule = try database.prepare("SELECT keepRule FROM dedupAudit WHERE runId = ?")
            .firstRow(id, transform: { $0.string("keepRule") }) ?? "first"
        audit.sizes = try database.prepare("""
            SELECT lowerBound, upperBound, clusters, documents FROM clusterSizeBucket WHERE runId = ? ORDER BY lowerBound
            """).mapRows(id) {
            .init(lowerBound: $0.int("lowerBound"), upperBound: $0.int("upperBound"), clusters: $0.int("clusters"),
                  documents: $0.int("documents"))
        }
        audit.pairs = try database.prepare("""
            SELECT clusterId, kind, documentId, otherDocumentId, similarity, exact FROM dedupAuditPair WHERE runId = ?
            ORDER BY id
            """).mapRows(id) {
            .init(clusterId: Int64($0.int("clusterId")), kind: $0.string("kind"), documentId: Int64($0.int("documentId")),
                  otherDocumentId: Int64($0.int("otherDocumentId")), similarity: $0.double("similarity"),
                  exact: $0.int("exact") == 1)
        }
        audit.largest = try database.prepare("""
            SELECT m.rank AS rank, m.clusterId AS clusterId, m.position AS position, m.documentId AS documentId,
                   m.firstLine AS firstLine, c.size AS size, s.name AS source, d.externalId AS externalId,
                   COALESCE(d.similarity, 1) AS similarity
            FROM largestClusterMember m JOIN duplicateCluster c ON c.id = m.clusterId
                 JOIN document d ON d.id = m.documentId JOIN inputFile f ON f.id = d.inputFileId
                 JOIN source s ON s.id = f.sourceId
            WHERE m.runId = ? ORDER BY m.rank, m.position
            """).mapRows(id) {
            .init(rank: $0.int("rank"), clusterId: Int64($0.int("clusterId")), position: $0.int("position"),
                  documentId: Int64($0.int("documentId")), firstLine: $0.string("firstLine"), clusterSize: $0.int("size"),
                  source: $0.string("source"), externalId: $0.string("externalId"), similarity: $0.double("similarity"))
        }
        return audit
    }
}
