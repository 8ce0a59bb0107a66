import GristCore

/// How many shards the manifest lists, and their tokens: what `grist status` shows of a published build.
public struct ShardTotals: Sendable, Equatable {
    public var shards: Int
    public var tokens: Int
}

extension Manifest {
    /// A run's llm.c shards, train before val, each split in ordinal order (the order the trainer reads them).
    public func shards(runId: Int64) throws -> [ShardRecord] {
        try shardRows(runId: runId, where: "format = 'llmc'")
    }

    /// The files a run wrote in formats other than llm.c's (`shards.formats`: Megatron's `.bin`/`.idx`,
    /// nanoGPT's `.bin`; the curated text's `.jsonl.zst`), by format, split and path.
    public func formatFiles(runId: Int64) throws -> [ShardRecord] {
        try shardRows(runId: runId, where: "format <> 'llmc'")
    }

    /// Every file the `shard` table lists for a run, whatever its format.
    public func allShardFiles(runId: Int64) throws -> [ShardRecord] {
        try shardRows(runId: runId, where: "1")
    }

    private func shardRows(runId: Int64, where condition: String) throws -> [ShardRecord] {
        try database.prepare("""
            SELECT id, path, split, ordinal, format, tokenCount, documentCount, byteSize, sha256 FROM shard
            WHERE runId = ? AND \(condition)
            ORDER BY format <> 'llmc', format, split, CASE format WHEN 'llmc' THEN ordinal END, path
            """).mapRows(.integer(runId)) { row in
            guard let split = DataSplit(rawValue: row.string("split")) else {
                throw GristError(.badFormat, "shard \(row.string("path")) has an unknown split \"\(row.string("split"))\"",
                                 at: InputPosition(path: path))
            }
            return ShardRecord(id: Int64(row.int("id")), path: row.string("path"), split: split,
                               ordinal: row.int("ordinal"), format: row.string("format"),
                               tokenCount: row.int("tokenCount"), documentCount: row.int("documentCount"),
                               byteSize: row.int("byteSize"), sha256: row.string("sha256"))
        }
    }

    /// Every llm.c shard the manifest lists, counted, and their tokens summed (separators and copies included).
    public func shardTotals() throws -> ShardTotals {
        try database.prepare("""
            SELECT COUNT(*) AS shards, COALESCE(SUM(tokenCount), 0) AS tokens FROM shard WHERE format = 'llmc'
            """)
            .firstRow { ShardTotals(shards: $0.int("shards"), tokens: $0.int("tokens")) } ?? ShardTotals(shards: 0, tokens: 0)
    }

    /// The SHA-256 recorded for the shard at `relativePath` (relative to the output folder), or nil when
    /// the manifest does not list it.
    public func recordedSHA256(ofShard relativePath: String) throws -> String? {
        try database.prepare("SELECT sha256 FROM shard WHERE path = ?").firstRow(.text(relativePath)) { $0.string("sha256") }
    }
}
