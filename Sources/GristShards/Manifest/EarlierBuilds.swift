import GristCore

/// An earlier build a build deduplicated against (`dedup.against`; table `earlierBuild`).
public struct EarlierBuildRecord: Sendable, Equatable {
    /// The output folder as the config names it.
    public var path: String
    public var pipeline: String
    public var buildKey: String
    /// SHA-256 of its `dedup-index/index.json`.
    public var indexSha256: String
    public var documents: Int

    public init(path: String, pipeline: String, buildKey: String, indexSha256: String, documents: Int) {
        self.path = path
        self.pipeline = pipeline
        self.buildKey = buildKey
        self.indexSha256 = indexSha256
        self.documents = documents
    }
}

/// A document dropped as a duplicate of an earlier build's document (table `earlierDuplicate`).
public struct EarlierDuplicateRecord: Sendable, Equatable {
    public var documentId: Int64
    /// The earlier build's position in `dedup.against` (0-based).
    public var build: Int
    /// The earlier document: its id in that build's manifest, its source's name and its id.
    public var earlierDocumentId: Int64
    public var source: String
    public var externalId: String
    public var similarity: Double

    public init(documentId: Int64, build: Int, earlierDocumentId: Int64, source: String, externalId: String,
                similarity: Double) {
        self.documentId = documentId
        self.build = build
        self.earlierDocumentId = earlierDocumentId
        self.source = source
        self.externalId = externalId
        self.similarity = similarity
    }
}

/// Per earlier build, the documents of the latest run dropped as duplicates of its documents (`grist stats`).
public struct EarlierDuplicateCount: Sendable, Equatable, Codable {
    public var path: String
    public var pipeline: String
    public var exactDuplicates: Int
    public var nearDuplicates: Int
}

extension Manifest {
    /// Records the earlier builds of `dedup.against` (in list order) and the documents dropped as
    /// duplicates of theirs. Call after `addDocuments`.
    public func addEarlierBuilds(runId: Int64, _ builds: [EarlierBuildRecord],
                                 duplicates: [EarlierDuplicateRecord]) throws {
        guard !builds.isEmpty else { return }
        try database.transaction {
            let insertBuild = try database.prepare("""
                INSERT INTO earlierBuild (runId, position, path, pipeline, buildKey, indexSha256, documents)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            var ids: [Int64] = []
            for (position, b) in builds.enumerated() {
                try insertBuild.run(.integer(runId), .init(position), .text(b.path), .text(b.pipeline), .text(b.buildKey),
                                    .text(b.indexSha256), .init(b.documents))
                ids.append(database.lastInsertRowID)
            }
            let insert = try database.prepare("""
                INSERT INTO earlierDuplicate (documentId, earlierBuildId, earlierDocumentId, source, externalId, similarity)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            for d in duplicates {
                try insert.run(.integer(d.documentId), .integer(ids[d.build]), .integer(d.earlierDocumentId),
                               .text(d.source), .text(d.externalId), .real(d.similarity))
            }
        }
    }

    /// The latest run's earlier builds, in list order, with the documents dropped as duplicates of theirs.
    public func earlierDuplicateCounts() throws -> [EarlierDuplicateCount] {
        try database.prepare("""
            SELECT b.path AS path, b.pipeline AS pipeline,
                   COALESCE(SUM(CASE WHEN d.reason = 'exact_duplicate' THEN 1 END), 0) AS exact,
                   COALESCE(SUM(CASE WHEN d.reason = 'near_duplicate' THEN 1 END), 0) AS near
            FROM earlierBuild b LEFT JOIN earlierDuplicate e ON e.earlierBuildId = b.id
                                LEFT JOIN document d ON d.id = e.documentId
            WHERE b.runId = (SELECT MAX(id) FROM run)
            GROUP BY b.id ORDER BY b.position
            """).mapRows { row in
            EarlierDuplicateCount(path: row.string("path"), pipeline: row.string("pipeline"),
                                  exactDuplicates: row.int("exact"), nearDuplicates: row.int("near"))
        }
    }
}
