import GristCore

/// What `grist stats` shows, read from a manifest: the run, each source's funnel and mixture, the shards.
///
/// Reads only small tables (run, source, stageCount, shard), so it stays fast on large builds.
public struct DatasetStatistics: Sendable {
    public struct Run: Sendable {
        public var id: Int
        public var status: String
        public var startedAt: String
        public var finishedAt: String?
        public var toolVersion: String
        public var configPath: String
        public var configSha256: String
        public var seed: Int
        public var workers: Int
        public var error: String?
    }

    /// Documents a stage removed from a source, for one reason.
    public struct Removal: Sendable, Equatable {
        public var stage: String
        public var outcome: String
        public var reason: String
        public var documents: Int
    }

    public struct Source: Sendable {
        public var name: String
        public var format: String
        public var weight: Double
        public var files: Int
        public var failedFiles: Int
        public var documentsRead: Int
        public var recordsSkipped: Int
        public var keptDocuments: Int
        public var trainTokens: Int
        public var valTokens: Int
        public var multiplier: Double?
        public var targetShare: Double?
        public var achievedShare: Double?
        /// In pipeline order.
        public var removals: [Removal]
    }

    public struct SplitSummary: Sendable {
        public var split: String
        public var shards: Int
        public var tokens: Int
        public var documents: Int
        public var bytes: Int
    }

    public struct Tokenizer: Sendable {
        public var name: String
        public var vocabularySize: Int
        public var endOfTextToken: Int
        public var fileSha256: String
    }

    public var run: Run
    public var sources: [Source]
    public var splits: [SplitSummary]
    public var tokenizer: Tokenizer?

    /// Reads the statistics of the latest run in `manifest`.
    public static func load(from manifest: Manifest) throws -> DatasetStatistics {
        let db = manifest.database
        let runQuery = try db.prepare("""
            SELECT id, status, startedAt, finishedAt, toolVersion, configPath, configSha256, seed, workers, error
            FROM run ORDER BY id DESC LIMIT 1
            """)
        guard try runQuery.step() else {
            throw GristError(.badFormat, "the manifest records no run", at: InputPosition(path: db.path))
        }
        let run = Run(id: runQuery.int(0), status: runQuery.string(1), startedAt: runQuery.string(2),
                      finishedAt: runQuery.value(3).string, toolVersion: runQuery.string(4),
                      configPath: runQuery.string(5), configSha256: runQuery.string(6), seed: runQuery.int(7),
                      workers: runQuery.int(8), error: runQuery.value(9).string)

        let removalQuery = try db.prepare("""
            SELECT stage, outcome, reason, documents FROM stageCount
            WHERE sourceId = ? AND outcome != 'kept' ORDER BY position, outcome, reason
            """)
        let readQuery = try db.prepare("""
            SELECT COALESCE(SUM(CASE WHEN outcome = 'kept' THEN documents END), 0),
                   COALESCE(SUM(CASE WHEN outcome = 'skipped' THEN documents END), 0)
            FROM stageCount WHERE sourceId = ? AND stage = 'read'
            """)
        let fileQuery = try db.prepare("""
            SELECT COUNT(*), COALESCE(SUM(status = 'failed'), 0) FROM inputFile WHERE sourceId = ?
            """)
        let sourceQuery = try db.prepare("""
            SELECT id, name, format, weight, keptDocuments, trainTokens, valTokens, multiplier, targetShare,
                   achievedShare
            FROM source WHERE runId = ? ORDER BY position
            """)
        try sourceQuery.bind([.init(run.id)])
        var sources: [Source] = []
        while try sourceQuery.step() {
            let id = sourceQuery.value(0)
            try readQuery.bind([id])
            _ = try readQuery.step()
            try fileQuery.bind([id])
            _ = try fileQuery.step()
            let removals = try removalQuery.rows(id).map { row in
                Removal(stage: row[0].string ?? "", outcome: row[1].string ?? "", reason: row[2].string ?? "",
                        documents: row[3].int ?? 0)
            }
            sources.append(Source(
                name: sourceQuery.string(1), format: sourceQuery.string(2), weight: sourceQuery.double(3),
                files: fileQuery.int(0), failedFiles: fileQuery.int(1), documentsRead: readQuery.int(0),
                recordsSkipped: readQuery.int(1), keptDocuments: sourceQuery.int(4), trainTokens: sourceQuery.int(5),
                valTokens: sourceQuery.int(6), multiplier: sourceQuery.value(7).double,
                targetShare: sourceQuery.value(8).double, achievedShare: sourceQuery.value(9).double,
                removals: removals))
        }

        let splits = try db.prepare("""
            SELECT split, COUNT(*), SUM(tokenCount), SUM(documentCount), SUM(byteSize) FROM shard
            WHERE runId = ? GROUP BY split ORDER BY split = 'val', split
            """).rows(.init(run.id)).map { row in
            SplitSummary(split: row[0].string ?? "", shards: row[1].int ?? 0, tokens: row[2].int ?? 0,
                         documents: row[3].int ?? 0, bytes: row[4].int ?? 0)
        }

        let tokenizer = try db.prepare("""
            SELECT name, vocabularySize, endOfTextToken, fileSha256 FROM tokenizer WHERE runId = ? LIMIT 1
            """).rows(.init(run.id)).first.map { row in
            Tokenizer(name: row[0].string ?? "", vocabularySize: row[1].int ?? 0, endOfTextToken: row[2].int ?? 0,
                      fileSha256: row[3].string ?? "")
        }
        return DatasetStatistics(run: run, sources: sources, splits: splits, tokenizer: tokenizer)
    }
}
