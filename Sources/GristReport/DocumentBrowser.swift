import GristCore
import GristShards
import GristTokenize

/// Finds documents of a build in its shards, through its manifest: random samples, text search,
/// examples per source. Shared by `grist inspect OUTPUT` and `grist report`.
public final class DocumentBrowser {
    /// One copy of a document where it sits in a shard, and where it came from.
    public typealias Placement = DocumentPlacement

    public let folder: String
    public let manifest: Manifest
    public let vocabulary: BPEVocabulary
    private var readers: [String: ShardReader] = [:]

    public init(folder: String) throws {
        self.folder = folder
        manifest = try Manifest.open(path: FileSystem.join(folder, Manifest.fileName))
        vocabulary = try BuildVocabulary.load(for: manifest)
    }

    /// The names of the build's sources, in config order.
    public func sourceNames() throws -> [String] { try manifest.sourceNames() }

    /// `count` documents drawn without replacement (first copies only), seeded: the same seed, the same draw.
    public func sample(count: Int, source: String?, split: DataSplit?, seed: UInt64) throws -> [Placement] {
        var pool = try manifest.firstCopyPlacementIds(source: source, split: split)
        var generator = SplitMix64(seed: seed)
        var chosen: [Int] = []
        while chosen.count < count, !pool.isEmpty {
            let index = Int(generator.next() % UInt64(pool.count))
            pool.swapAt(index, pool.count - 1)
            chosen.append(pool.removeLast())
        }
        return try manifest.placements(ids: chosen)
    }

    /// Every placement (first copies), in shard order.
    public func allPlacements(source: String? = nil) throws -> [Placement] {
        try manifest.firstCopyPlacements(source: source)
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
