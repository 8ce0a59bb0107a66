import GristCore

/// The SQLite record of a build, next to its shards: what ran, on what, and what came out
/// (schema: docs/manifest.md). Writes go through transactions; the journal is WAL. Every read is a typed
/// function of this module (`RecordedRun.swift`, `RecordedShards.swift`, `RecordedDocuments.swift`,
/// `DocumentPlacement.swift`, …): no SQL lives outside it.
public final class Manifest {
    public static let fileName = "manifest.sqlite"

    /// The connection. Tests query it directly; the tool reads and writes through `Manifest`'s functions.
    public let database: SQLiteDatabase

    private init(database: SQLiteDatabase) { self.database = database }

    /// Creates a new, empty manifest at `path` (an existing one is replaced).
    public static func create(path: String) throws -> Manifest {
        for suffix in ["", "-wal", "-shm", "-journal"] { try FileSystem.remove(path + suffix) }
        let database = try SQLiteDatabase(path: path)
        try database.execute(ManifestSchema.statements)
        try database.execute("PRAGMA synchronous = NORMAL")
        // A build writes one row per document and placement in a few large transactions: 64 MiB of page
        // cache keeps the indexes' pages in memory instead of reading them back from the WAL.
        try database.execute("PRAGMA cache_size = -65536")
        try database.prepare("INSERT INTO meta (key, value) VALUES ('schemaVersion', ?)")
            .run(.init(ManifestSchema.version))
        return Manifest(database: database)
    }

    /// Opens an existing manifest, checking its schema version. One an older grist wrote is brought up to
    /// this version first, in place, in one transaction (`ManifestSchema.migrations`).
    public static func open(path: String, mode: SQLiteDatabase.Mode = .readOnly) throws -> Manifest {
        guard FileSystem.exists(path) else {
            throw GristError(.usage, "no manifest here", at: InputPosition(path: path),
                             hint: "point at the output folder of `grist build`")
        }
        var database = try SQLiteDatabase(path: path, mode: mode)
        var version = try schemaVersion(database, path: path)
        if version < ManifestSchema.version {
            try migrate(path: path, from: version)
            database = try SQLiteDatabase(path: path, mode: mode)
            version = try schemaVersion(database, path: path)
        }
        guard version == ManifestSchema.version else {
            throw GristError(.badFormat, "a manifest of schema version \(version), written by a newer grist "
                + "(this one reads up to version \(ManifestSchema.version))", at: InputPosition(path: path))
        }
        return Manifest(database: database)
    }

    private static func schemaVersion(_ database: SQLiteDatabase, path: String) throws -> Int {
        let version = try? database.scalar("SELECT value FROM meta WHERE key = 'schemaVersion'")?.string
        guard let version, let number = Int(version) else {
            throw GristError(.badFormat, "not a Gristmill manifest (no schema version)", at: InputPosition(path: path))
        }
        return number
    }

    /// Runs the migrations from `version` up to the current schema, all in one transaction: a failure
    /// leaves the manifest as it was.
    private static func migrate(path: String, from version: Int) throws {
        guard ManifestSchema.migrations[version] != nil else {
            throw GristError(.badFormat, "a manifest of schema version \(version), older than grist can bring up to "
                + "date (version \(ManifestSchema.migrations.keys.min() ?? ManifestSchema.version) or later)",
                at: InputPosition(path: path), hint: "rebuild it with `grist build`")
        }
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: path, mode: .readWrite)
            // SQLite opens a file it may not write read-only, without a word.
            guard !database.isReadOnly else { throw GristError(.io, "the file is read-only") }
            try database.execute("BEGIN IMMEDIATE")
        } catch {
            throw GristError(.io, "a manifest of schema version \(version) that must be brought up to version "
                + "\(ManifestSchema.version) in place, and it cannot be written: \(error)", at: InputPosition(path: path),
                hint: "copy the output folder somewhere writable, or rebuild it")
        }
        do {
            var step = version
            while step < ManifestSchema.version, let statements = ManifestSchema.migrations[step] {
                try database.execute(statements)
                step += 1
            }
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw GristError(.badFormat, "bringing the manifest from schema version \(version) up to "
                + "\(ManifestSchema.version) failed: \(error)", at: InputPosition(path: path))
        }
    }

    // MARK: - Run

    public func beginRun(_ run: RunRecord) throws -> Int64 {
        try database.prepare("""
            INSERT INTO run (kind, status, startedAt, toolVersion, configPath, configText, configSha256, seed,
                             workers, outputDir)
            VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)
            """).run(.text(run.kind), .text(run.startedAt), .text(run.toolVersion), .text(run.configPath),
                     .text(run.configText), .text(run.configSha256), .integer(Int64(bitPattern: run.seed)),
                     .init(run.workers), .text(run.outputDir))
        return database.lastInsertRowID
    }

    public func finishRun(_ runId: Int64, succeeded: Bool, finishedAt: String, error: String? = nil) throws {
        try database.prepare("UPDATE run SET status = ?, finishedAt = ?, error = ? WHERE id = ?")
            .run(.text(succeeded ? "succeeded" : "failed"), .text(finishedAt), .init(error), .integer(runId))
    }

    // MARK: - Sources and files

    public func addSource(runId: Int64, position: Int, name: String, format: String, weight: Double) throws -> Int64 {
        try database.prepare("INSERT INTO source (runId, position, name, format, weight) VALUES (?, ?, ?, ?, ?)")
            .run(.integer(runId), .init(position), .text(name), .text(format), .real(weight))
        return database.lastInsertRowID
    }

    /// Records what the mixture did with a source: its multiplier, shares, and what reached the shards.
    public func setOutcome(sourceId: Int64, _ outcome: SourceOutcome) throws {
        try database.prepare("""
            UPDATE source SET multiplier = ?, targetShare = ?, achievedShare = ?, keptDocuments = ?, keptBytes = ?,
                              keptTokens = ?, trainTokens = ?, valTokens = ?
            WHERE id = ?
            """).run(.real(outcome.multiplier), .init(outcome.targetShare), .init(outcome.achievedShare),
                     .init(outcome.keptDocuments), .init(outcome.keptBytes), .init(outcome.keptTokens),
                     .init(outcome.trainTokens), .init(outcome.valTokens), .integer(sourceId))
    }

    public func addInputFile(sourceId: Int64, path: String, byteSize: Int) throws -> Int64 {
        try database.prepare("INSERT INTO inputFile (sourceId, path, byteSize, status) VALUES (?, ?, ?, 'pending')")
            .run(.integer(sourceId), .text(path), .init(byteSize))
        return database.lastInsertRowID
    }

    public func finishInputFile(_ id: Int64, failed: Bool, documentsRead: Int, recordsSkipped: Int,
                                error: String?) throws {
        try database.prepare("""
            UPDATE inputFile SET status = ?, documentsRead = ?, recordsSkipped = ?, error = ? WHERE id = ?
            """).run(.text(failed ? "failed" : "done"), .init(documentsRead), .init(recordsSkipped), .init(error),
                     .integer(id))
    }

    // MARK: - Documents and counts

    /// Records the eval sets of the run's decontamination and the items their matches name; returns each
    /// item's row id by set name and item id (what `addDocuments` needs for the matches).
    public func addEvalSets(_ sets: [EvalSetRecord]) throws -> [String: [String: Int64]] {
        let insertSet = try database.prepare("""
            INSERT INTO evalSet (name, paths, items, ngrams, tooShortItems) VALUES (?, ?, ?, ?, ?)
            """)
        let insertItem = try database.prepare("INSERT INTO evalItem (evalSetId, itemId, text) VALUES (?, ?, ?)")
        var ids: [String: [String: Int64]] = [:]
        try database.transaction {
            for set in sets {
                try insertSet.run(.text(set.name), .text(set.paths.joined(separator: "\n")), .init(set.items),
                                  .init(set.ngrams), .init(set.tooShortItems))
                let setId = database.lastInsertRowID
                for item in set.matchedItems {
                    try insertItem.run(.integer(setId), .text(item.id), .text(item.text))
                    ids[set.name, default: [:]][item.id] = database.lastInsertRowID
                }
            }
        }
        return ids
    }

    /// Inserts the documents and the duplicate clusters they refer to, in one transaction. `evalItems`
    /// (from `addEvalSets`) gives the row of each matched eval item.
    public func addDocuments(_ documents: [DocumentRecord], clusters: [DuplicateClusterRecord] = [],
                             evalItems: [String: [String: Int64]] = [:]) throws {
        let insert = try database.prepare("""
            INSERT INTO document (id, inputFileId, ordinal, line, byteOffset, externalId, byteCount, charCount,
                                  tokenCount, fingerprint, fate, stage, reason, duplicateOf, split, copies, clusterId,
                                  similarity, language, languageScore, piece)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertContamination = try database.prepare("""
            INSERT INTO contamination (documentId, outcome, pieces, charCount, removedChars, removedTokens)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        let insertMatch = try database.prepare("""
            INSERT INTO contaminationMatch (documentId, evalItemId, charStart, charEnd, byteStart, byteEnd, ngrams,
                                            passage)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertMetadata = try database.prepare("INSERT INTO documentMetadata (documentId, key, value) VALUES (?, ?, ?)")
        let insertScore = try database.prepare("""
            INSERT INTO documentScore (documentId, stage, label, score) VALUES (?, ?, ?, ?)
            """)
        let insertCluster = try database.prepare("""
            INSERT INTO duplicateCluster (id, runId, size, keptDocumentId, minSimilarity, exactOnly)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        try database.transaction {
            for c in clusters {
                try insertCluster.run(.integer(c.id), .integer(c.runId), .init(c.size), .integer(c.keptDocumentId),
                                      .real(c.minSimilarity), .init(c.exactOnly ? 1 : 0))
            }
            for d in documents {
                try insert.run(.integer(d.id), .integer(d.inputFileId), .init(d.ordinal), .init(d.line),
                               .init(d.byteOffset), .text(d.externalId), .init(d.byteCount), .init(d.charCount),
                               .init(d.tokenCount),
                               .init(d.fingerprint), .text(d.fate.rawValue), .init(d.stage), .init(d.reason),
                               d.duplicateOf.map { .integer($0) } ?? .null, .init(d.split?.rawValue),
                               .init(d.copies), d.clusterId.map { .integer($0) } ?? .null,
                               d.similarity.map { .real($0) } ?? .null, .init(d.language),
                               d.languageScore.map { .real($0) } ?? .null, .init(d.piece))
                for (key, value) in d.metadata { try insertMetadata.run(.integer(d.id), .text(key), .text(value)) }
                for s in d.scores { try insertScore.run(.integer(d.id), .text(s.stage), .text(s.label), .real(s.score)) }
                if let c = d.contamination {
                    try insertContamination.run(.integer(d.id), .text(c.outcome.rawValue), .init(c.pieces),
                                                .init(c.charCount), .init(c.removedChars), .init(c.removedTokens))
                    for m in c.matches {
                        guard let item = evalItems[m.evalSet]?[m.itemId] else {
                            throw GristError(.mismatch, "eval item \(m.itemId) of set \(m.evalSet) is not recorded")
                        }
                        try insertMatch.run(.integer(d.id), .integer(item), .init(m.chars.lowerBound),
                                            .init(m.chars.upperBound), .init(m.bytes.lowerBound),
                                            .init(m.bytes.upperBound), .init(m.ngrams), .text(m.passage))
                    }
                }
            }
        }
    }

    /// Records a classifier filter of the run.
    public func addClassifier(runId: Int64, _ c: ClassifierRecord) throws {
        try database.prepare("""
            INSERT INTO classifier (runId, stage, model, modelSha256, label, threshold, action, granularity)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).run(.integer(runId), .text(c.stage), .text(c.model), .text(c.modelSha256), .init(c.label),
                     c.threshold.map { .real($0) } ?? .null, .init(c.action), .text(c.granularity))
    }

    /// Records where the duplicates dropped from a source were kept.
    public func setDuplicateSources(sourceId: Int64, _ counts: [DuplicateSourceCount]) throws {
        let insert = try database.prepare("""
            INSERT INTO duplicateSource (sourceId, keptSourceId, exactDuplicates, nearDuplicates, urlDuplicates)
            VALUES (?, ?, ?, ?, ?)
            """)
        try database.transaction {
            for c in counts {
                try insert.run(.integer(sourceId), .integer(c.keptSourceId), .init(c.exactDuplicates),
                               .init(c.nearDuplicates), .init(c.urlDuplicates))
            }
        }
    }

    public func addSkippedRecords(_ records: [SkippedRecord]) throws {
        let insert = try database.prepare("""
            INSERT INTO skippedRecord (inputFileId, line, byteOffset, reason, message)
            VALUES (?, ?, ?, ?, ?)
            """)
        try database.transaction {
            for r in records {
                try insert.run(.integer(r.inputFileId), .init(r.line), .init(r.byteOffset),
                               .text(r.reason), .text(r.message))
            }
        }
    }

    public func setStageCounts(sourceId: Int64, _ counts: [StageCount]) throws {
        let insert = try database.prepare("""
            INSERT INTO stageCount (sourceId, position, stage, outcome, reason, documents, bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try database.transaction {
            for c in counts {
                try insert.run(.integer(sourceId), .init(c.position), .text(c.stage), .text(c.outcome.rawValue),
                               .text(c.reason), .init(c.documents), .init(c.bytes))
            }
        }
    }

    // MARK: - Tokenizer and shards

    public func addTokenizer(runId: Int64, _ tokenizer: TokenizerRecord) throws {
        try database.prepare("""
            INSERT INTO tokenizer (runId, name, vocabularySize, endOfTextToken, filePath, fileSha256)
            VALUES (?, ?, ?, ?, ?, ?)
            """).run(.integer(runId), .text(tokenizer.name), .init(tokenizer.vocabularySize),
                     .init(tokenizer.endOfTextToken), .text(tokenizer.filePath), .text(tokenizer.fileSha256))
    }

    public func addShard(runId: Int64, _ shard: ShardRecord, placements: [PlacementRecord]) throws {
        let insertPlacement = try database.prepare("""
            INSERT INTO placement (documentId, copy, shardId, tokenOffset, tokenCount) VALUES (?, ?, ?, ?, ?)
            """)
        try database.transaction {
            try database.prepare("""
                INSERT INTO shard (id, runId, path, split, ordinal, format, tokenCount, documentCount, byteSize, sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).run(.integer(shard.id), .integer(runId), .text(shard.path), .text(shard.split.rawValue),
                         .init(shard.ordinal), .text(shard.format), .init(shard.tokenCount),
                         .init(shard.documentCount), .init(shard.byteSize), .text(shard.sha256))
            for p in placements {
                try insertPlacement.run(.integer(p.documentId), .init(p.copy), .integer(p.shardId),
                                        .init(p.tokenOffset), .init(p.tokenCount))
            }
        }
    }

    // MARK: - Summaries for statistics

    public func addLengthDistribution(runId: Int64, _ distribution: LengthDistribution) throws {
        let percentile = try database.prepare("""
            INSERT INTO lengthPercentile (runId, sourceId, metric, percentile, value) VALUES (?, ?, ?, ?, ?)
            """)
        let bin = try database.prepare("""
            INSERT INTO lengthHistogram (runId, sourceId, metric, lowerBound, upperBound, documents)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        let source: SQLiteValue = distribution.sourceId.map { .integer($0) } ?? .null
        let metric = SQLiteValue.text(distribution.metric.rawValue)
        try database.transaction {
            for p in distribution.percentiles {
                try percentile.run(.integer(runId), source, metric, .real(p.percentile), .init(p.value))
            }
            for b in distribution.histogram {
                try bin.run(.integer(runId), source, metric, .init(b.lowerBound), .init(b.upperBound), .init(b.documents))
            }
        }
    }

    /// The languages of a source's documents in the shards (each once), as a `language` filter labelled them.
    public func addLanguageCounts(runId: Int64, sourceId: Int64, _ counts: [(language: String, documents: Int, bytes: Int)]) throws {
        let insert = try database.prepare("""
            INSERT INTO languageCount (runId, sourceId, language, documents, bytes) VALUES (?, ?, ?, ?, ?)
            """)
        try database.transaction {
            for c in counts {
                try insert.run(.integer(runId), .integer(sourceId), .text(c.language), .init(c.documents), .init(c.bytes))
            }
        }
    }

    /// The most frequent tokens in the shards (separators excluded), most frequent first.
    public func addTokenFrequencies(runId: Int64, _ tokens: [(token: Int, count: Int)]) throws {
        let insert = try database.prepare("INSERT INTO tokenFrequency (runId, rank, token, count) VALUES (?, ?, ?, ?)")
        try database.transaction {
            for (rank, entry) in tokens.enumerated() {
                try insert.run(.integer(runId), .init(rank + 1), .init(entry.token), .init(entry.count))
            }
        }
    }

    // MARK: - Build bookkeeping

    /// Sets a `meta` value (`pipeline`: the config's name; `buildKey`: the hash of everything the build
    /// depends on, which lets an unchanged rebuild keep the published output).
    public func setMeta(_ key: String, _ value: String) throws {
        try database.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .run(.text(key), .text(value))
    }

    /// Records the build's warnings, in the order printed.
    public func addWarnings(runId: Int64, _ warnings: [String]) throws {
        let insert = try database.prepare("INSERT INTO buildWarning (runId, message) VALUES (?, ?)")
        for warning in warnings { try insert.run(.integer(runId), .text(warning)) }
    }

    /// Records what a stage of the build did: how many units of work it reused and ran.
    public func addBuildStage(runId: Int64, stage: String, key: String, reused: Int, ran: Int) throws {
        try database.prepare("INSERT INTO buildStage (runId, stage, stageKey, reused, ran) VALUES (?, ?, ?, ?, ?)")
            .run(.integer(runId), .text(stage), .text(key), .init(reused), .init(ran))
    }
}
