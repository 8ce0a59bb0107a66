import GristCore
import GristShards
import GristTokenize

/// Finds documents of a build in its shards, through its manifest: random samples, text search,
/// examples per source. Shared by `grist inspect OUTPUT` and `grist report`.
public final class DocumentBrowser {
    /// One copy of a document where it sits in a shard, and where it came from.
    public struct Placement: Sendable {
        public var documentId: Int
        public var externalId: String
        public var source: String
        public var inputPath: String
        public var line: Int
        public var byteOffset: Int
        public var split: String
        public var shardPath: String
        /// Index of the document's separator in the shard.
        public var tokenOffset: Int
        /// Tokens including the separator.
        public var tokenCount: Int
        public var copy: Int
    }

    public let folder: String
    public let manifest: Manifest
    public let vocabulary: BPEVocabulary
    private var readers: [String: ShardReader] = [:]

    public init(folder: String) throws {
        self.folder = folder
        manifest = try Manifest.open(path: FileSystem.join(folder, Manifest.fileName))
        vocabulary = try BuildVocabulary.load(for: manifest)
    }

    private static let placementColumns = """
        SELECT d.id, d.externalId, s.name, f.path, d.line, d.byteOffset, sh.split, sh.path, p.tokenOffset,
               p.tokenCount, p.copy
        FROM placement p JOIN document d ON d.id = p.documentId JOIN inputFile f ON f.id = d.inputFileId
        JOIN source s ON s.id = f.sourceId JOIN shard sh ON sh.id = p.shardId
        """

    private func placement(_ row: [SQLiteValue]) -> Placement {
        Placement(documentId: row[0].int ?? 0, externalId: row[1].string ?? "", source: row[2].string ?? "",
                  inputPath: row[3].string ?? "", line: row[4].int ?? 0, byteOffset: row[5].int ?? 0,
                  split: row[6].string ?? "", shardPath: row[7].string ?? "", tokenOffset: row[8].int ?? 0,
                  tokenCount: row[9].int ?? 0, copy: row[10].int ?? 0)
    }

    /// The names of the build's sources, in config order.
    public func sourceNames() throws -> [String] {
        try manifest.database.prepare("SELECT name FROM source ORDER BY position").rows().compactMap { $0[0].string }
    }

    /// `count` documents drawn without replacement (first copies only), seeded: the same seed, the same draw.
    public func sample(count: Int, source: String?, split: DataSplit?, seed: UInt64) throws -> [Placement] {
        let ids = try manifest.database.prepare("""
            SELECT p.id FROM placement p JOIN document d ON d.id = p.documentId
            JOIN inputFile f ON f.id = d.inputFileId JOIN source s ON s.id = f.sourceId JOIN shard sh ON sh.id = p.shardId
            WHERE p.copy = 0 AND (?1 IS NULL OR s.name = ?1) AND (?2 IS NULL OR sh.split = ?2)
            ORDER BY p.id
            """).rows(.init(source), .init(split?.rawValue)).compactMap { $0[0].int }
        var pool = ids
        var generator = SplitMix64(seed: seed)
        var chosen: [Int] = []
        while chosen.count < count, !pool.isEmpty {
            let index = Int(generator.next() % UInt64(pool.count))
            pool.swapAt(index, pool.count - 1)
            chosen.append(pool.removeLast())
        }
        let query = try manifest.database.prepare(Self.placementColumns + " WHERE p.id = ?")
        return try chosen.compactMap { id in try query.rows(.init(id)).first.map(placement) }
    }

    /// Every placement (first copies), in shard order.
    public func allPlacements(source: String? = nil) throws -> [Placement] {
        try manifest.database.prepare(Self.placementColumns + """
             WHERE p.copy = 0 AND (?1 IS NULL OR s.name = ?1) ORDER BY sh.id, p.tokenOffset
            """).rows(.init(source)).map(placement)
    }

    /// The document's text as it is in the shard (separator dropped).
    public func text(of placement: Placement) throws -> [UInt8] {
        let path = FileSystem.join(folder, placement.shardPath)
        if readers[path] == nil { readers[path] = try ShardReader(path: path) }
        guard let reader = readers[path] else { return [] }
        let end = placement.tokenOffset + placement.tokenCount
        guard end <= reader.tokenCount else {
            throw GristError(.mismatch, "the manifest places a document past the end of the shard",
                             at: InputPosition(path: path))
        }
        return vocabulary.decode(reader.tokens((placement.tokenOffset + 1)..<end))
    }

    /// A document that contains a phrase: how often, and the first place.
    public struct Match: Sendable {
        public var placement: Placement
        public var occurrences: Int
        /// Byte offset of the first occurrence in the document's text.
        public var firstOffset: Int
    }

    /// Documents whose text (as in the shards) contains `phrase`, byte for byte.
    public func find(_ phrase: String) throws -> [Match] {
        let needle = Array(phrase.utf8)
        guard !needle.isEmpty else { return [] }
        var matches: [Match] = []
        for placement in try allPlacements() {
            let text = try text(of: placement)
            var count = 0, first = -1, start = 0
            while let found = Self.search(needle, in: text, from: start) {
                if first < 0 { first = found }
                count += 1
                start = found + needle.count
            }
            if count > 0 { matches.append(Match(placement: placement, occurrences: count, firstOffset: first)) }
        }
        return matches
    }

    /// First index of `needle` in `haystack` at or after `start`.
    static func search(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count - start >= needle.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
