import GristCore

/// The `run` row as a build left it: what it recorded when it began (`RunRecord`, whose fields read as
/// the run's own: `run.configText`), and how it ended.
@dynamicMemberLookup
public struct RecordedRun: Sendable, Equatable {
    public enum Status: String, Sendable { case running, succeeded, failed }

    public var id: Int64
    public var status: Status
    /// What ran, on what: as `Manifest.beginRun` wrote it.
    public var started: RunRecord
    /// Nil while the run is still going (or when it was killed).
    public var finishedAt: String?
    /// Why the run failed.
    public var error: String?

    public init(id: Int64, status: Status, started: RunRecord, finishedAt: String?, error: String?) {
        self.id = id
        self.status = status
        self.started = started
        self.finishedAt = finishedAt
        self.error = error
    }

    public subscript<Value>(dynamicMember field: KeyPath<RunRecord, Value>) -> Value { started[keyPath: field] }
}

extension Manifest {
    /// The manifest's file.
    public var path: String { database.path }

    /// The latest run (a manifest holds one), or nil when none was recorded.
    public func latestRun() throws -> RecordedRun? {
        try database.prepare("""
            SELECT id, kind, status, startedAt, finishedAt, toolVersion, configPath, configText, configSha256, seed,
                   workers, outputDir, error
            FROM run ORDER BY id DESC LIMIT 1
            """).firstRow { row in
            guard let status = RecordedRun.Status(rawValue: row.string("status")) else {
                throw GristError(.badFormat, "the run has an unknown status \"\(row.string("status"))\"",
                                 at: InputPosition(path: path))
            }
            var started = RunRecord(
                startedAt: row.string("startedAt"), toolVersion: row.string("toolVersion"),
                configPath: row.string("configPath"), configText: row.string("configText"),
                configSha256: row.string("configSha256"), seed: UInt64(bitPattern: Int64(row.int("seed"))),
                workers: row.int("workers"), outputDir: row.string("outputDir"))
            started.kind = row.string("kind")
            return RecordedRun(id: Int64(row.int("id")), status: status, started: started,
                               finishedAt: row["finishedAt"].string, error: row["error"].string)
        }
    }

    /// The latest run; a manifest without one is refused.
    public func requiredLatestRun() throws -> RecordedRun {
        guard let run = try latestRun() else {
            throw GristError(.badFormat, "the manifest records no run", at: InputPosition(path: path))
        }
        return run
    }

    /// A `meta` value (`schemaVersion`, `pipeline`, `buildKey`), or nil when it is not set.
    public func meta(_ key: String) throws -> String? {
        try database.prepare("SELECT value FROM meta WHERE key = ?").firstRow(.text(key)) { $0.string("value") }
    }

    /// The warnings a build printed, in order (none for a manifest written before they were recorded).
    public func buildWarnings(runId: Int64) throws -> [String] {
        guard try hasTable("buildWarning") else { return [] }
        return try database.prepare("SELECT message FROM buildWarning WHERE runId = ? ORDER BY id")
            .mapRows(.integer(runId)) { $0.string("message") }
    }

    /// The tokenizer that made a run's shards, or nil when none is recorded.
    public func tokenizer(runId: Int64) throws -> TokenizerRecord? {
        try database.prepare("""
            SELECT name, vocabularySize, endOfTextToken, filePath, fileSha256 FROM tokenizer WHERE runId = ? LIMIT 1
            """).firstRow(.integer(runId)) { row in
            TokenizerRecord(name: row.string("name"), vocabularySize: row.int("vocabularySize"),
                            endOfTextToken: row.int("endOfTextToken"), filePath: row.string("filePath"),
                            fileSha256: row.string("fileSha256"))
        }
    }

    /// Folds the write-ahead log into the file and leaves WAL mode, so the manifest is one self-contained file.
    public func makeSelfContained() throws { try database.makeSelfContained() }
}
