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
        let ordered = try db.prepare("SELECT id FROM duplicateCluster ORDER BY minSimilarity, id").rows()
            .compactMap { $0.first?.int }
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
            SELECT d.id, s.name, f.path, d.line, d.externalId, d.byteCount, COALESCE(d.similarity, 1), d.reason
            FROM document d JOIN inputFile f ON f.id = d.inputFileId JOIN source s ON s.id = f.sourceId
            WHERE d.clusterId = ? ORDER BY d.id = ? DESC, d.id LIMIT ?
            """)
        var sample: [Cluster] = []
        for id in picked {
            guard let row = try clusterQuery.rows(.init(id)).first else { continue }
            let kept = row[3]
            let members = try memberQuery.rows(.init(id), kept, .init(membersShown)).map { m in
                Member(documentId: m[0].int ?? 0, source: m[1].string ?? "", path: m[2].string ?? "", line: m[3].int ?? 0,
                       externalId: m[4].string ?? "", byteCount: m[5].int ?? 0, similarity: m[6].double ?? 1,
                       reason: m[7].string)
            }
            sample.append(Cluster(id: id, size: row[0].int ?? 0, minSimilarity: row[1].double ?? 1,
                                  exactOnly: row[2].int == 1, members: members))
        }
        return DuplicateClusters(total: total, exactOnly: exactOnly, sample: sample)
    }
}
