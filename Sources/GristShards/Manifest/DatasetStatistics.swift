import GristCore

/// What `grist stats` and `grist report` show, read from a manifest: the run, each source's funnel and
/// mixture, the shards, length distributions, classifier score distributions and the most frequent tokens.
///
/// Reads small tables (run, source, stageCount, shard and the summaries the build precomputed), and the
/// classifier scores through one GROUP BY query per classifier over an index (about a second for a
/// million scored documents), so it stays fast however many documents the build had. Encodable: its JSON form is `grist stats --json`
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
        /// Under `dedup.paragraphs`: repeated paragraphs (or lines) removed from its documents, and the
        /// documents they were removed from (from the documents' metadata); nil when none were.
        public var paragraphsRemoved: Int?
        public var paragraphDocuments: Int?

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

    /// A file the build wrote besides its llm.c shards: Megatron-LM's and nanoGPT's (`shards.formats`),
    /// the curated text's (`text:`), as the `shard` table lists them.
    public struct OtherFile: Sendable, Encodable {
        public var path: String
        public var format: String
        public var split: String
        public var documents: Int
        public var tokens: Int
        public var bytes: Int
        public var sha256: String
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

    /// A classifier filter (`fasttext_classifier`) and how each source's documents scored on its label.
    public struct Classifier: Sendable, Encodable {
        /// The filter's stage name, as `stageCount` and `documentScore` have it.
        public var stage: String
        public var model: String
        public var modelSha256: String
        /// `document`, `paragraph` or `line`: what the threshold applies to.
        public var granularity: String
        /// The deciding label, threshold and action (`keep`, `remove`); nil when the filter only scores.
        public var label: String?
        public var threshold: Double?
        public var action: String?
        /// The label the distributions are of: the deciding label, or for a filter that only scores, the
        /// label with the highest mean score. Nil when it scored no document.
        public var scoredLabel: String?
        /// Per source (config order), the distribution of `scoredLabel`'s scores; sources it scored no
        /// document of are left out.
        public var sources: [ScoreDistribution]
    }

    public struct TokenCount: Sendable, Encodable {
        public var rank: Int
        public var token: Int
        public var count: Int
    }

    public var run: Run
    public var sources: [Source]
    public var splits: [SplitSummary]
    /// The files besides the llm.c shards, by format, split and path.
    public var files: [OtherFile]
    public var tokenizer: Tokenizer?
    public var lengths: [Lengths]
    /// The most frequent tokens in the shards, separators excluded.
    public var topTokens: [TokenCount]
    /// Languages per source, most documents first; empty when no `language` filter ran.
    public var languages: [LanguageShare]
    /// The classifier filters and their score distributions per source; empty when none ran.
    public var classifiers: [Classifier]
    /// Decontamination per eval set; empty when the build had no `decontaminate:` section.
    public var contamination: [EvalSetContamination]
    /// Training runs on this data (`grist train`), oldest first.
    public var trainingRuns: [TrainingHistory.Run]
    /// What the build warned about, as it printed it (table `buildWarning`).
    public var warnings: [String]
    /// The dedup audit (tables `dedupAudit`, `clusterSizeBucket`, `largestClusterMember`); nil without deduplication.
    public var dedupAudit: DedupAuditRecord?
    /// The earlier builds of `dedup.against` and the documents dropped as duplicates of theirs; empty without.
    public var earlierBuilds: [EarlierDuplicateCount] = []

    /// Reads the statistics of the latest run in `manifest`.
    public static func load(from manifest: Manifest) throws -> DatasetStatistics {
        let db = manifest.database
        let latest = try manifest.requiredLatestRun()
        // The seed is shown as the manifest stores it (a signed 64-bit integer).
        let run = Run(id: Int(latest.id), status: latest.status.rawValue, startedAt: latest.startedAt,
                      finishedAt: latest.finishedAt, toolVersion: latest.toolVersion, configPath: latest.configPath,
                      configSha256: latest.configSha256, seed: Int(Int64(bitPattern: latest.seed)),
                      workers: latest.workers, error: latest.error)
        let runId = SQLiteValue(run.id)

        let stageQuery = try db.prepare("""
            SELECT stage, position, outcome, reason, documents, bytes FROM stageCount
            WHERE sourceId = ? ORDER BY position, outcome = 'skipped', outcome = 'dropped', reason
            """)
        let fileQuery = try db.prepare("""
            SELECT COUNT(*) AS files, COALESCE(SUM(status = 'failed'), 0) AS failedFiles FROM inputFile WHERE sourceId = ?
            """)
        let sourceQuery = try db.prepare("""
            SELECT id, name, format, weight, keptDocuments, keptBytes, keptTokens, trainTokens, valTokens,
                   multiplier, targetShare, achievedShare
            FROM source WHERE runId = ? ORDER BY position
            """)
        // Repeated paragraphs removed (the scan records each document's count and fraction as metadata).
        let paragraphQuery = try db.prepare("""
            SELECT COUNT(*) AS documents, COALESCE(SUM(CAST(m.value AS INTEGER)), 0) AS removed
            FROM documentMetadata m JOIN document d ON d.id = m.documentId JOIN inputFile i ON i.id = d.inputFileId
            WHERE m.key = 'dedup_paragraphs_removed' AND i.sourceId = ?
            """)
        var namesById: [Int: String] = [:]
        var sources = try sourceQuery.mapRows(runId) { source in
            let id = source["id"]
            let files = try fileQuery.firstRow(id) { (all: $0.int("files"), failed: $0.int("failedFiles")) }
            let stages = try stageQuery.mapRows(id) { row in
                StageOutcome(stage: row.string("stage"), position: row.int("position"), outcome: row.string("outcome"),
                             reason: row.string("reason"), documents: row.int("documents"), bytes: row.int("bytes"))
            }
            let read = stages.filter { $0.stage == "read" }
            namesById[source.int("id")] = source.string("name")
            return Source(
                name: source.string("name"), format: source.string("format"), weight: source.double("weight"),
                files: files?.all ?? 0, failedFiles: files?.failed ?? 0,
                documentsRead: read.filter { $0.outcome == "kept" }.reduce(0) { $0 + $1.documents },
                bytesRead: read.filter { $0.outcome == "kept" }.reduce(0) { $0 + $1.bytes },
                recordsSkipped: read.filter { $0.outcome == "skipped" }.reduce(0) { $0 + $1.documents },
                keptDocuments: source.int("keptDocuments"), keptBytes: source.int("keptBytes"),
                keptTokens: source.int("keptTokens"), trainTokens: source.int("trainTokens"),
                valTokens: source.int("valTokens"), multiplier: source["multiplier"].double,
                targetShare: source["targetShare"].double, achievedShare: source["achievedShare"].double, stages: stages)
        }
        for (index, id) in try sourceQuery.mapRows(runId, transform: { $0["id"] }).enumerated() {
            if let row = try paragraphQuery.firstRow(id, transform: { ($0.int("documents"), $0.int("removed")) }),
               row.0 > 0 {
                (sources[index].paragraphDocuments, sources[index].paragraphsRemoved) = row
            }
        }

        let splits = try db.prepare("""
            SELECT split, COUNT(*) AS shards, SUM(tokenCount) AS tokens, SUM(documentCount) AS documents,
                   SUM(byteSize) AS bytes
            FROM shard WHERE runId = ? AND format = 'llmc' GROUP BY split ORDER BY split = 'val', split
            """).mapRows(runId) { row in
            SplitSummary(split: row.string("split"), shards: row.int("shards"), tokens: row.int("tokens"),
                         documents: row.int("documents"), bytes: row.int("bytes"))
        }

        let files = try manifest.formatFiles(runId: latest.id).map {
            OtherFile(path: $0.path, format: $0.format, split: $0.split.rawValue, documents: $0.documentCount,
                      tokens: $0.tokenCount, bytes: $0.byteSize, sha256: $0.sha256)
        }

        let tokenizer = try manifest.tokenizer(runId: latest.id).map {
            Tokenizer(name: $0.name, vocabularySize: $0.vocabularySize, endOfTextToken: $0.endOfTextToken,
                      filePath: $0.filePath, fileSha256: $0.fileSha256)
        }

        var lengths: [Lengths] = []
        let sourceOrder = [nil] + sources.map { Optional($0.name) }
        for metric in LengthDistribution.Metric.allCases.map(\.rawValue) {
            // Each row with its source's name (nil for all sources together).
            let points = try db.prepare("""
                SELECT sourceId, percentile, value FROM lengthPercentile WHERE runId = ? AND metric = ?
                ORDER BY sourceId, percentile
                """).mapRows(runId, .text(metric)) { row in
                (source: row["sourceId"].int.flatMap { namesById[$0] },
                 point: Lengths.Point(percentile: row.double("percentile"), value: row.int("value")))
            }
            let bins = try db.prepare("""
                SELECT sourceId, lowerBound, upperBound, documents FROM lengthHistogram WHERE runId = ? AND metric = ?
                ORDER BY sourceId, lowerBound
                """).mapRows(runId, .text(metric)) { row in
                (source: row["sourceId"].int.flatMap { namesById[$0] },
                 bin: Lengths.Bin(lowerBound: row.int("lowerBound"), upperBound: row.int("upperBound"),
                                  documents: row.int("documents")))
            }
            for name in sourceOrder {
                let entry = Lengths(source: name, metric: metric,
                                    percentiles: points.filter { $0.source == name }.map(\.point),
                                    histogram: bins.filter { $0.source == name }.map(\.bin))
                if !entry.percentiles.isEmpty || !entry.histogram.isEmpty { lengths.append(entry) }
            }
        }

        let topTokens = try db.prepare("SELECT rank, token, count FROM tokenFrequency WHERE runId = ? ORDER BY rank")
            .mapRows(runId) { TokenCount(rank: $0.int("rank"), token: $0.int("token"), count: $0.int("count")) }

        let languages = try db.prepare("""
            SELECT s.name AS source, l.language AS language, l.documents AS documents, l.bytes AS bytes
            FROM languageCount l JOIN source s ON s.id = l.sourceId
            WHERE l.runId = ? ORDER BY s.position, l.documents DESC, l.language
            """).mapRows(runId) {
            LanguageShare(source: $0.string("source"), language: $0.string("language"), documents: $0.int("documents"),
                          bytes: $0.int("bytes"))
        }
        let classifiers = try manifest.classifiers(runId: latest.id).map { c in
            let label = try c.label ?? manifest.labelWithHighestMeanScore(stage: c.stage)
            return Classifier(stage: c.stage, model: c.model, modelSha256: c.modelSha256, granularity: c.granularity,
                              label: c.label, threshold: c.threshold, action: c.action, scoredLabel: label,
                              sources: try label.map {
                                  try manifest.scoreDistributions(runId: latest.id, stage: c.stage, label: $0,
                                                                  threshold: c.label == nil ? nil : c.threshold)
                              } ?? [])
        }
        var statistics = DatasetStatistics(run: run, sources: sources, splits: splits, files: files, tokenizer: tokenizer, lengths: lengths,
                                 topTokens: topTokens, languages: languages, classifiers: classifiers,
                                 contamination: try manifest.contaminationSummaries(),
                                 trainingRuns: try TrainingHistory.load(from: manifest).runs,
                                 warnings: try manifest.buildWarnings(runId: Int64(run.id)),
                                 dedupAudit: try manifest.dedupAudit(runId: latest.id))
        statistics.earlierBuilds = try manifest.earlierDuplicateCounts()
        return statistics
    }
}
