import GristCore

/// Duplicate clusters read back from a manifest, for `grist inspect OUTPUT --duplicates`.
public struct DuplicateClusters: Sendable {
    public struct Member: Sendable {
        public var documentId: Int
        public var source: String
        public var path: String
        public var line: Int
        public var externalId: String
        public var byteCount: Int
        /// Jaccard similarity to the kept document (1 for it and for exact duplicates).
        public var similarity: Double
        /// `exact_duplicate`, `near_duplicate`, or nil for the kept document.
        public var reason: String?
    }

    public struct Cluster: Sendable {
        public var id: Int
        public var size: Int
        public var minSimilarity: Double
        public var exactOnly: Bool
        /// The kept document first, then the others in id order (at most `membersShown`).
        public var members: [Member]
    }

    /// Clusters in the manifest.
    public var total: Int
    public var exactOnly: Int
    public var sample: [Cluster]

    /// Reads `count` clusters spread evenly over the clusters sorted by lowest member similarity (then id),
    /// from the least similar to the most: borderline cases and typical ones. Each lists up to `membersShown` members.
    public static func load(from manifest: Manifest, count: Int, membersShown: Int = 10) throws -> DuplicateClusters {
        let db = manifest.database
        let total = try db.scalar("SELECT COUNT(*) FROM duplicateCluster")?.int ?? 0
        let exactOnly = try db.scalar("SELECT COUNT(*) FROM duplicateCluster WHERE exactOnly = 1")?.int ?? 0
        let ordered = try db.prepare("SELECT id FROM duplicateCluster ORDER BY minSimilarity, id").mapRows { $0.int("id") }
        var picked: [Int] = []
        if count > 0, !ordered.isEmpty {
            let n = min(count, ordered.count)
            for i in 0..<n {
                let position = n == 1 ? 0 : Int((Double(i) * Double(ordered.count - 1) / Double(n - 1)).rounded())
                if picked.last != ordered[position] { picked.append(ordered[position]) }
            }
        }
        let clusterQuery = try db.prepare("SELECT size, minSimilarity, exactOnly, keptDocumentId FROM duplicateCluster WHERE id = ?")
        let memberQuery = try db.prepare("""
            SELECT d.id AS id, s.name AS source, f.path AS path, d.line AS line, d.externalId AS externalId,
                   d.byteCount AS byteCount, COALESCE(d.similarity, 1) AS similarity, d.reason AS reason
            FROM document d JOIN inputFile f ON f.id = d.inputFileId JOIN source s ON s.id = f.sourceId
            WHERE d.clusterId = ? ORDER BY d.id = ? DESC, d.id LIMIT ?
            """)
        var sample: [Cluster] = []
        for id in picked {
            guard let found = try clusterQuery.firstRow(.init(id), transform: { row in
                (cluster: Cluster(id: id, size: row.int("size"), minSimilarity: row["minSimilarity"].double ?? 1,
                                  exactOnly: row.int("exactOnly") == 1, members: []),
                 kept: row["keptDocumentId"])
            }) else { continue }
            var cluster = found.cluster
            cluster.members = try memberQuery.mapRows(.init(id), found.kept, .init(membersShown)) { m in
                Member(documentId: m.int("id"), source: m.string("source"), path: m.string("path"), line: m.int("line"),
                       externalId: m.string("externalId"), byteCount: m.int("byteCount"),
                       similarity: m["similarity"].double ?? 1, reason: m["reason"].string)
            }
            sample.append(cluster)
        }
        return DuplicateClusters(total: total, exactOnly: exactOnly, sample: sample)
    }
}

/// How many duplicate clusters of the latest run have each size, and how many of those are of exact
/// duplicates only: the report's cluster-size chart.
public struct ClusterSizeCount: Sendable, Equatable {
    /// Documents per cluster, the kept one included.
    public var size: Int
    public var clusters: Int
    public var exactOnly: Int
}

/// How many duplicate clusters of the latest run have their least similar member in one twentieth of 0…1.
public struct ClusterSimilarityCount: Sendable, Equatable {
    /// ⌊minSimilarity × 20⌋: 0…19, or 20 when every member has similarity 1.
    public var twentieth: Int
    public var clusters: Int
}

extension Manifest {
    /// The latest run's duplicate clusters by size, smallest first (empty when nothing was a duplicate).
    public func duplicateClusterSizes() throws -> [ClusterSizeCount] {
        try database.prepare("""
            SELECT size, COUNT(*) AS clusters, SUM(exactOnly) AS exactOnly FROM duplicateCluster
            WHERE runId = (SELECT MAX(id) FROM run) GROUP BY size ORDER BY size
            """).mapRows { ClusterSizeCount(size: $0.int("size"), clusters: $0.int("clusters"), exactOnly: $0.int("exactOnly")) }
    }

    /// The latest run's duplicate clusters by the similarity of their least similar member, least similar first.
    public func duplicateClusterSimilarities() throws -> [ClusterSimilarityCount] {
        try database.prepare("""
            SELECT CAST(minSimilarity * 20 AS INTEGER) AS twentieth, COUNT(*) AS clusters FROM duplicateCluster
            WHERE runId = (SELECT MAX(id) FROM run) GROUP BY 1 ORDER BY 1
            """).mapRows { ClusterSimilarityCount(twentieth: $0.int("twentieth"), clusters: $0.int("clusters")) }
    }
}
