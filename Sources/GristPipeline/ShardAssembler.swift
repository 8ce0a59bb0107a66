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

    /// Writes the build's documents once more in each of `formats` (Megatron-LM, nanoGPT): one file set
    /// per split, the documents in the llm.c shards' order (train shards, then val, each in ordinal order),
    /// each document's tokens followed by the end-of-text separator (where llm.c puts it before). Returns
    /// the `shard` rows of the files, numbered from `firstId` (docs/manifest.md).
    func writeFormats(_ formats: [ShardsConfig.Format], firstId: Int64) throws -> [ShardRecord] {
        var records: [ShardRecord] = []
        func record(_ path: String, _ split: DataSplit, ordinal: Int, _ format: ShardsConfig.Format, tokens: Int,
                    documents: Int, _ file: (sha256: String, byteCount: Int)) {
            records.append(ShardRecord(id: firstId + Int64(records.count), path: path, split: split, ordinal: ordinal,
                                       format: format.rawValue, tokenCount: tokens, documentCount: documents,
                                       byteSize: file.byteCount, sha256: file.sha256))
        }
        for format in formats where format != .llmc {
            if format == .nanogpt, vocabularySize > 65_536 {
                throw GristError(.usage, "nanoGPT's .bin files hold uint16 tokens, but the vocabulary has "
                    + "\(vocabularySize) ids", at: nil,
                    hint: "drop nanogpt from shards.formats, or use megatron (int32 tokens for large vocabularies)")
            }
            let folder = FileSystem.join(stagingDirectory, format.rawValue)
            try FileSystem.createDirectory(folder)
            for split in DataSplit.allCases {
                let shards = layout.shards.filter { $0.split == split }.sorted { $0.ordinal < $1.ordinal }
                guard !shards.isEmpty else { continue }
                let name = "\(format.rawValue)/\(split.rawValue)"
                switch format {
                case .megatron:
                    let writer = try MegatronDataset.Writer(prefix: FileSystem.join(stagingDirectory, name),
                                                            dtype: .forVocabulary(size: vocabularySize))
                    try forEachDocument(of: shards) { tokens in
                        writer.beginDocument()
                        try writer.append(tokens)
                        try writer.append(endOfText)
                    }
                    let (bin, idx) = try writer.finish()
                    record(name + ".bin", split, ordinal: 0, format, tokens: writer.tokenCount,
                           documents: writer.documentCount, bin)
                    record(name + ".idx", split, ordinal: 1, format, tokens: writer.tokenCount,
                           documents: writer.documentCount, idx)
                case .nanogpt:
                    let writer = try RawTokenWriter(path: FileSystem.join(stagingDirectory, name + ".bin"), tokenBytes: 2)
                    var documents = 0
                    try forEachDocument(of: shards) { tokens in
                        try writer.append(tokens)
                        try writer.append(endOfText)
                        documents += 1
                    }
                    let tokens = writer.tokenCount
                    record(name + ".bin", split, ordinal: 0, format, tokens: tokens, documents: documents,
                           try writer.finish())
                case .llmc:
                    break
                }
            }
        }
        return records
    }

    /// Calls `body` with the tokens (separator excluded) of every document piece of `shards`, in order.
    private func forEachDocument(of shards: [ShardLayout.PlannedShard],
                                 _ body: (UnsafeBufferPointer<UInt32>) throws -> Void) throws {
        for shard in shards {
            for piece in shard.pieces {
                let entry = documents[piece.document]
                let bytes = spills[entry.job].bytes
                let start = (entry.tokenOffset + piece.firstToken) * 4, count = piece.tokenCount - 1
                guard start + 4 * count <= bytes.count else {
                    throw GristError(.mismatch, "token spill is shorter than recorded",
                                     at: InputPosition(path: spills[entry.job].path))
                }
                try UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 4 * count)])
                    .withMemoryRebound(to: UInt32.self) { try body($0) }
            }
        }
    }
}
