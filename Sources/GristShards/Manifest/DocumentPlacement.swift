import GristCore

/// One copy of a document where it sits in a shard, and where it came from: what `grist inspect` and
/// `grist report` need to find a document's tokens and name its origin.
public struct DocumentPlacement: Sendable, Equatable {
    public var documentId: Int
    public var externalId: String
    public var source: String
    public var inputPath: String
    public var line: Int
    public var byteOffset: Int
    public var split: String
    /// The shard's path, relative to the output folder.
    public var shardPath: String
    /// Index of the document's separator in the shard.
    public var tokenOffset: Int
    /// Tokens including the separator.
    public var tokenCount: Int
    public var copy: Int
}

extension Manifest {
    private static let placementColumns = """
        SELECT d.id AS documentId, d.externalId AS externalId, s.name AS source, f.path AS inputPath, d.line AS line,
               d.byteOffset AS byteOffset, sh.split AS split, sh.path AS shardPath, p.tokenOffset AS tokenOffset,
               p.tokenCount AS tokenCount, p.copy AS copy
        FROM placement p JOIN document d ON d.id = p.documentId JOIN inputFile f ON f.id = d.inputFileId
        JOIN source s ON s.id = f.sourceId JOIN shard sh ON sh.id = p.shardId
        """

    private static func placement(_ row: SQLiteStatement) -> DocumentPlacement {
        DocumentPlacement(documentId: row.int("documentId"), externalId: row.string("externalId"),
                          source: row.string("source"), inputPath: row.string("inputPath"), line: row.int("line"),
                          byteOffset: row.int("byteOffset"), split: row.string("split"),
                          shardPath: row.string("shardPath"), tokenOffset: row.int("tokenOffset"),
                          tokenCount: row.int("tokenCount"), copy: row.int("copy"))
    }

    /// The ids of the placements of first copies (each document in the shards once), optionally of one
    /// source and one split, in id order: the pool a seeded sample draws from.
    public func firstCopyPlacementIds(source: String?, split: DataSplit?) throws -> [Int] {
        try database.prepare("""
            SELECT p.id AS id FROM placement p JOIN document d ON d.id = p.documentId
            JOIN inputFile f ON f.id = d.inputFileId JOIN source s ON s.id = f.sourceId JOIN shard sh ON sh.id = p.shardId
            WHERE p.copy = 0 AND (?1 IS NULL OR s.name = ?1) AND (?2 IS NULL OR sh.split = ?2)
            ORDER BY p.id
            """).mapRows(.init(source), .init(split?.rawValue)) { $0.int("id") }
    }

    /// The placements with these ids, in the order given (ids the manifest lacks are left out).
    public func placements(ids: [Int]) throws -> [DocumentPlacement] {
        let query = try database.prepare(Self.placementColumns + " WHERE p.id = ?")
        return try ids.compactMap { id in try query.firstRow(.init(id), transform: Self.placement) }
    }

    /// Every placement of a first copy (optionally of one source), in shard order.
    public func firstCopyPlacements(source: String? = nil) throws -> [DocumentPlacement] {
        try database.prepare(Self.placementColumns + """
             WHERE p.copy = 0 AND (?1 IS NULL OR s.name = ?1) ORDER BY sh.id, p.tokenOffset
            """).mapRows(.init(source), transform: Self.placement)
    }
}

extension Manifest {
    /// The metadata recorded for a document (table `documentMetadata`), in key order; empty for a
    /// manifest written before the table existed.
    public func documentMetadata(documentId: Int) throws -> [(key: String, value: String)] {
        guard try hasTable("documentMetadata") else { return [] }
        return try database.prepare("SELECT key, value FROM documentMetadata WHERE documentId = ? ORDER BY key")
            .mapRows(.init(documentId)) { (key: $0.string("key"), value: $0.string("value")) }
    }
}
