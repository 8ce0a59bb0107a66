import GristCore

/// What `grist stats` and `grist report` show, read from a manifest: the run, each source's funnel and
/// mixture, the shards, length distributions and the most frequent tokens.
///
/// Reads only small tables (run, source, stageCount, shard and the summaries the build precomputed), so
/// it stays fast however many documents the build had. Encodable: its JSON form is `grist stats --json`
/// (keys documented in docs/stats.md).
public struct DatasetStatistics: Sendable, Encodable {
    public struct Run: Sendable, Encodable {
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

    /// What one stage did to one source's documents, for one outcome and reason.
    public struct StageOutcome: Sendable, Encodable, Equatable {
        public var stage: String
        /// Order of the stage in the pipeline (read = 0).
        public var position: Int
        /// `kept`, `dropped` or `skipped`.
        public var outcome: String
        public var reason: String
        public var documents: Int
        public var bytes: Int
    }

    public struct Source: Sendable, Encodable {
        public var name: String
        public var format: String
        public var weight: Double
        public var files: Int
        public var failedFiles: Int
        public var documentsRead: Int
        public var bytesRead: Int
        public var recordsSkipped: Int
        public var keptDocuments: Int
        public var keptBytes: Int
        public var keptTokens: Int
        public var trainTokens: Int
        public var valTokens: Int
        public var multiplier: Double?
        public var targetShare: Double?
        public var achievedShare: Double?
        /// Every stage's outcomes, in pipeline order: the funnel.
        public var stages: [StageOutcome]

        /// Documents dropped or skipped, by stage and reason, in pipeline order.
        public var removals: [StageOutcome] { stages.filter { $0.outcome != "kept" } }

        /// Documents dropped by the stages after reading.
        public var removedDocuments: Int { stages.filter { $0.outcome == "dropped" }.reduce(0) { $0 + $1.documents } }

        /// Tokens per byte of the kept text (before separators and copies).
        public var tokensPerByte: Double? { keptBytes > 0 ? Double(keptTokens) / Double(keptBytes) : nil }
    }

    public struct SplitSummary: Sendable, Encodable {
        public var split: String
        public var shards: Int
        public var tokens: Int
        public var documents: Int
        public var bytes: Int
    }

    public struct Tokenizer: Sendable, Encodable {
        public var name: String
        public var vocabularySize: Int
        public var endOfTextToken: Int
        public var filePath: String
        public var fileSha256: String
    }

    /// Length percentiles and histogram of the documents in the shards (each once).
    public struct Lengths: Sendable, Encodable {
        public struct Point: Sendable, Encodable {
            public var percentile: Double
            public var value: Int
        }

        public struct Bin: Sendable, Encodable {
            public var lowerBound: Int
            public var upperBound: Int
            public var documents: Int
        }

        /// The source's name, or nil for all sources together.
        public var source: String?
        /// `chars` or `tokens`.
        public var metric: String
        public var percentiles: [Point]
        public var histogram: [Bin]

        public func value(at percentile: Double) -> Int? {
            percentiles.first { abs($0.percentile - percentile) < 1e-9 }?.value
        }
    }

    /// Documents of one language in one source's share of the shards (as a `language` filter labelled them).
    public struct LanguageShare: Sendable, Encodable {
        public var source: String
        public var language: String
        public var documents: Int
        public var bytes: Int
    }

    public struct TokenCount: Sendable, Encodable {
        public var rank: Int
        public var token: Int
        public var count: Int
    }

    public var run: Run
    public var sources: [Source]
    public var splits: [SplitSummary]
    public var tokenizer: Tokenizer?
    public var lengths: [Lengths]
    /// The most frequent tokens in the shards, separators excluded.
    public var topTokens: [TokenCount]
    /// Languages per source, most documents first; empty when no `language` filter ran.
    public var languages: [LanguageShare]
    /// Training runs on this data (`grist train`), oldest first.
    public var trainingRuns: [TrainingHistory.Run]

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
        let runId = SQLiteValue(run.id)

        let stageQuery = try db.prepare("""
            SELECT stage, position, outcome, reason, documents, bytes FROM stageCount
            WHERE sourceId = ? ORDER BY position, outcome = 'skipped', outcome = 'dropped', reason
            """)
        let fileQuery = try db.prepare("""
            SELECT COUNT(*), COALESCE(SUM(status = 'failed'), 0) FROM inputFile WHERE sourceId = ?
            """)
        let sourceQuery = try db.prepare("""
            SELECT id, name, format, weight, keptDocuments, keptBytes, keptTokens, trainTokens, valTokens,
                   multiplier, targetShare, achievedShare
            FROM source WHERE runId = ? ORDER BY position
            """)
        try sourceQuery.bind([runId])
        var sources: [Source] = []
        var namesById: [Int: String] = [:]
        while try sourceQuery.step() {
            let id = sourceQuery.value(0)
            try fileQuery.bind([id])
            _ = try fileQuery.step()
            let stages = try stageQuery.rows(id).map { row in
                StageOutcome(stage: row[0].string ?? "", position: row[1].int ?? 0, outcome: row[2].string ?? "",
                             reason: row[3].string ?? "", documents: row[4].int ?? 0, bytes: row[5].int ?? 0)
            }
            let read = stages.filter { $0.stage == "read" }
            namesById[id.int ?? 0] = sourceQuery.string(1)
            sources.append(Source(
                name: sourceQuery.string(1), format: sourceQuery.string(2), weight: sourceQuery.double(3),
                files: fileQuery.int(0), failedFiles: fileQuery.int(1),
                documentsRead: read.filter { $0.outcome == "kept" }.reduce(0) { $0 + $1.documents },
                bytesRead: read.filter { $0.outcome == "kept" }.reduce(0) { $0 + $1.bytes },
                recordsSkipped: read.filter { $0.outcome == "skipped" }.reduce(0) { $0 + $1.documents },
                keptDocuments: sourceQuery.int(4), keptBytes: sourceQuery.int(5), keptTokens: sourceQuery.int(6),
                trainTokens: sourceQuery.int(7), valTokens: sourceQuery.int(8),
                multiplier: sourceQuery.value(9).double, targetShare: sourceQuery.value(10).double,
                achievedShare: sourceQuery.value(11).double, stages: stages))
        }

        let splits = try db.prepare("""
            SELECT split, COUNT(*), SUM(tokenCount), SUM(documentCount), SUM(byteSize) FROM shard
            WHERE runId = ? GROUP BY split ORDER BY split = 'val', split
            """).rows(runId).map { row in
            SplitSummary(split: row[0].string ?? "", shards: row[1].int ?? 0, tokens: row[2].int ?? 0,
                         documents: row[3].int ?? 0, bytes: row[4].int ?? 0)
        }

        let tokenizer = try db.prepare("""
            SELECT name, vocabularySize, endOfTextToken, filePath, fileSha256 FROM tokenizer WHERE runId = ? LIMIT 1
            """).rows(runId).first.map { row in
            Tokenizer(name: row[0].string ?? "", vocabularySize: row[1].int ?? 0, endOfTextToken: row[2].int ?? 0,
                      filePath: row[3].string ?? "", fileSha256: row[4].string ?? "")
        }

        var lengths: [Lengths] = []
        let sourceOrder = [nil] + sources.map { Optional($0.name) }
        for metric in LengthDistribution.Metric.allCases.map(\.rawValue) {
            let points = try db.prepare("""
                SELECT sourceId, percentile, value FROM lengthPercentile WHERE runId = ? AND metric = ?
                ORDER BY sourceId, percentile
                """).rows(runId, .text(metric))
            let bins = try db.prepare("""
                SELECT sourceId, lowerBound, upperBound, documents FROM lengthHistogram WHERE runId = ? AND metric = ?
                ORDER BY sourceId, lowerBound
                """).rows(runId, .text(metric))
            for name in sourceOrder {
                let matches: ([SQLiteValue]) -> Bool = { row in row[0].int.flatMap { namesById[$0] } == name }
                let entry = Lengths(
                    source: name, metric: metric,
                    percentiles: points.filter(matches).map { Lengths.Point(percentile: $0[1].double ?? 0, value: $0[2].int ?? 0) },
                    histogram: bins.filter(matches).map {
                        Lengths.Bin(lowerBound: $0[1].int ?? 0, upperBound: $0[2].int ?? 0, documents: $0[3].int ?? 0)
                    })
                if !entry.percentiles.isEmpty || !entry.histogram.isEmpty { lengths.append(entry) }
            }
        }

        let topTokens = try db.prepare("SELECT rank, token, count FROM tokenFrequency WHERE runId = ? ORDER BY rank")
            .rows(runId).map { TokenCount(rank: $0[0].int ?? 0, token: $0[1].int ?? 0, count: $0[2].int ?? 0) }

        let languages = try db.prepare("""
            SELECT s.name, l.language, l.documents, l.bytes FROM languageCount l JOIN source s ON s.id = l.sourceId
            WHERE l.runId = ? ORDER BY s.position, l.documents DESC, l.language
            """).rows(runId).map {
            LanguageShare(source: $0[0].string ?? "", language: $0[1].string ?? "", documents: $0[2].int ?? 0,
                          bytes: $0[3].int ?? 0)
        }
        return DatasetStatistics(run: run, sources: sources, splits: splits, tokenizer: tokenizer, lengths: lengths,
                                 topTokens: topTokens, languages: languages,
                                 trainingRuns: try TrainingHistory.load(from: manifest).runs)
    }
}
