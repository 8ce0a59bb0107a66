import GristCore
import GristMix
import GristShards

/// Writes the shards GristMix's `ShardLayout` planned (in parallel: each is independent), copying every
/// document's tokens (or those of its part in the split, for a document cut by `val_tokens`) from the
/// scan's spill files behind an end-of-text separator.
struct ShardAssembler {
    /// Where a document's tokens are: its manifest id, its scan job, its offset in that job's spill.
    struct TokenLocation: Sendable {
        var id: Int64
        var job: Int
        var tokenOffset: Int
    }

    struct Written: Sendable {
        var record: ShardRecord
        var placements: [PlacementRecord]
        /// How often each token id occurs in the shard, separators excluded.
        var tokenCounts: [Int]
    }

    let layout: ShardLayout
    /// Indexed by the layout's document numbers (the selection's entries).
    let documents: [TokenLocation]
    let spills: [MappedFile]
    let endOfText: UInt32
    let vocabularySize: Int
    /// Shard paths are relative to the output folder; they are written below this folder first.
    let stagingDirectory: String
    let workers: Int

    func writeAll() throws -> [Written] {
        let shards = layout.shards
        let entries = documents
        let spills = spills, endOfText = endOfText, output = stagingDirectory, vocabularySize = vocabularySize
        let results = Parallel.map(items: shards.count, workers: workers, makeState: { () }) { index, _ in
            Result { try Self.write(shards[index], id: Int64(index + 1), entries: entries, spills: spills,
                                    endOfText: endOfText, vocabularySize: vocabularySize, outputDirectory: output) }
        }
        return try results.map { try $0.get() }
    }

    private static func write(_ shard: ShardLayout.PlannedShard, id: Int64, entries: [TokenLocation],
                              spills: [MappedFile], endOfText: UInt32, vocabularySize: Int,
                              outputDirectory: String) throws -> Written {
        let path = WorkLayout.shardPath(split: shard.split, ordinal: shard.ordinal)
        let writer = try ShardWriter(path: FileSystem.join(outputDirectory, path), tokenCount: shard.tokenCount,
                                     tokenWidth: .forVocabulary(size: vocabularySize))
        var tokenCounts = [Int](repeating: 0, count: vocabularySize)
        var placements: [PlacementRecord] = []
        placements.reserveCapacity(shard.pieces.count)
        var offset = 0
        for piece in shard.pieces {
            let entry = entries[piece.document]
            try writer.append(endOfText)
            let bytes = spills[entry.job].bytes
            let start = (entry.tokenOffset + piece.firstToken) * 4, count = piece.tokenCount - 1
            guard start + 4 * count <= bytes.count else {
                throw GristError(.mismatch, "token spill is shorter than recorded", at: InputPosition(path: spills[entry.job].path))
            }
            try UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 4 * count)]).withMemoryRebound(to: UInt32.self) {
                try writer.append($0)
                for token in $0 where Int(token) < vocabularySize { tokenCounts[Int(token)] += 1 }
            }
            placements.append(PlacementRecord(documentId: entry.id, copy: piece.copy, shardId: id, tokenOffset: offset,
                                              tokenCount: piece.tokenCount))
            offset += piece.tokenCount
        }
        let (sha256, byteCount) = try writer.finish()
        return Written(
            record: ShardRecord(id: id, path: path, split: shard.split, ordinal: shard.ordinal, format: "llmc",
                                tokenCount: shard.tokenCount, documentCount: shard.pieces.count, byteSize: byteCount,
                                sha256: sha256),
            placements: placements, tokenCounts: tokenCounts)
    }
}
