import GristCore

/// Training runs recorded in the manifest of the data they trained on, so `grist stats` shows the
/// training history beside the data. Two additive tables, created on first use (manifests written
/// before them stay valid, and the schema version does not change):
///
/// - `trainingRun`: one row per `grist train` (model, settings as JSON, status, final losses);
/// - `trainingStep`: one row per optimizer step (losses, learning rate, gradient norm, throughput).
enum TrainingSchema {
    static let statements = """
    CREATE TABLE IF NOT EXISTS trainingRun (
        id INTEGER PRIMARY KEY,
        buildRunId INTEGER REFERENCES run(id),
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        startedAt TEXT NOT NULL,
        finishedAt TEXT,
        toolVersion TEXT NOT NULL,
        model TEXT NOT NULL,
        parameterCount INTEGER NOT NULL,
        settings TEXT NOT NULL,
        seed INTEGER NOT NULL,
        threads INTEGER NOT NULL,
        blasKernels TEXT NOT NULL,
        outputDir TEXT NOT NULL,
        resumedFrom TEXT,
        steps INTEGER NOT NULL DEFAULT 0,
        finalTrainLoss REAL,
        finalValLoss REAL,
        error TEXT
    );
    CREATE TABLE IF NOT EXISTS trainingStep (
        id INTEGER PRIMARY KEY,
        trainingRunId INTEGER NOT NULL REFERENCES trainingRun(id),
        step INTEGER NOT NULL,
        trainLoss REAL NOT NULL,
        valLoss REAL,
        learningRate REAL NOT NULL,
        gradNorm REAL NOT NULL,
        tokens INTEGER NOT NULL,
        tokensPerSecond REAL NOT NULL,
        seconds REAL NOT NULL,
        UNIQUE (trainingRunId, step)
    );
    """
}

/// A training run as it starts.
public struct TrainingRunRecord: Sendable {
    public var startedAt: String
    public var toolVersion: String
    /// Preset name or "custom", with the shape: "tiny (4 layers, 128 wide, 4 heads)".
    public var model: String
    public var parameterCount: Int
    /// Every setting of the run, as JSON.
    public var settings: String
    public var seed: UInt64
    public var threads: Int
    public var blasKernels: String
    public var outputDir: String
    public var resumedFrom: String?

    public init(startedAt: String, toolVersion: String, model: String, parameterCount: Int, settings: String,
                seed: UInt64, threads: Int, blasKernels: String, outputDir: String, resumedFrom: String?) {
        self.startedAt = startedAt
        self.toolVersion = toolVersion
        self.model = model
        self.parameterCount = parameterCount
        self.settings = settings
        self.seed = seed
        self.threads = threads
        self.blasKernels = blasKernels
        self.outputDir = outputDir
        self.resumedFrom = resumedFrom
    }
}

/// One optimizer step's metrics.
public struct TrainingStepRecord: Sendable, Equatable {
    public var step: Int
    public var trainLoss: Double
    public var valLoss: Double?
    public var learningRate: Double
    public var gradNorm: Double
    /// Tokens seen by the end of this step.
    public var tokens: Int
    public var tokensPerSecond: Double
    /// Wall seconds of this step.
    public var seconds: Double

    public init(step: Int, trainLoss: Double, valLoss: Double?, learningRate: Double, gradNorm: Double, tokens: Int,
                tokensPerSecond: Double, seconds: Double) {
        self.step = step
        self.trainLoss = trainLoss
        self.valLoss = valLoss
        self.learningRate = learningRate
        self.gradNorm = gradNorm
        self.tokens = tokens
        self.tokensPerSecond = tokensPerSecond
        self.seconds = seconds
    }
}

extension Manifest {
    /// Creates the training tables if this manifest predates them.
    public func ensureTrainingTables() throws { try database.execute(TrainingSchema.statements) }

    public func beginTrainingRun(_ run: TrainingRunRecord) throws -> Int64 {
        try ensureTrainingTables()
        let buildRun = try database.scalar("SELECT MAX(id) FROM run")?.int
        try database.prepare("""
            INSERT INTO trainingRun (buildRunId, status, startedAt, toolVersion, model, parameterCount, settings, seed,
                                     threads, blasKernels, outputDir, resumedFrom)
            VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run(.init(buildRun), .text(run.startedAt), .text(run.toolVersion), .text(run.model),
                     .init(run.parameterCount), .text(run.settings), .integer(Int64(bitPattern: run.seed)),
                     .init(run.threads), .text(run.blasKernels), .text(run.outputDir), .init(run.resumedFrom))
        return database.lastInsertRowID
    }

    public func addTrainingSteps(runId: Int64, _ steps: [TrainingStepRecord]) throws {
        guard !steps.isEmpty else { return }
        let insert = try database.prepare("""
            INSERT OR REPLACE INTO trainingStep (trainingRunId, step, trainLoss, valLoss, learningRate, gradNorm, tokens,
                                                 tokensPerSecond, seconds)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try database.transaction {
            for s in steps {
                try insert.run(.integer(runId), .init(s.step), .real(s.trainLoss), .init(s.valLoss), .real(s.learningRate),
                               .real(s.gradNorm), .init(s.tokens), .real(s.tokensPerSecond), .real(s.seconds))
            }
        }
    }

    public func finishTrainingRun(_ runId: Int64, succeeded: Bool, finishedAt: String, steps: Int,
                                  finalTrainLoss: Double?, finalValLoss: Double?, error: String? = nil) throws {
        try database.prepare("""
            UPDATE trainingRun SET status = ?, finishedAt = ?, steps = ?, finalTrainLoss = ?, finalValLoss = ?, error = ?
            WHERE id = ?
            """).run(.text(succeeded ? "succeeded" : "failed"), .text(finishedAt), .init(steps), .init(finalTrainLoss),
                     .init(finalValLoss), .init(error), .integer(runId))
    }
}

/// The training runs recorded in a manifest, newest last, for `grist stats`.
public struct TrainingHistory: Sendable {
    public struct Run: Sendable, Encodable {
        public var id: Int
        public var status: String
        public var startedAt: String
        public var model: String
        public var parameterCount: Int
        public var steps: Int
        public var tokens: Int
        public var firstTrainLoss: Double?
        public var finalTrainLoss: Double?
        public var finalValLoss: Double?
        public var tokensPerSecond: Double?
        public var outputDir: String
        public var blasKernels: String
        /// Trained on a build this folder held before the current one (carried over by a rebuild).
        public var onEarlierBuild: Bool
    }

    public var runs: [Run]

    /// Reads the history (empty when the manifest has no training tables).
    public static func load(from manifest: Manifest) throws -> TrainingHistory {
        guard try manifest.hasTable("trainingRun") else { return TrainingHistory(runs: []) }
        return TrainingHistory(runs: try manifest.database.prepare("""
            SELECT r.id AS id, r.status AS status, r.startedAt AS startedAt, r.model AS model,
                   r.parameterCount AS parameterCount, r.steps AS steps, r.finalTrainLoss AS finalTrainLoss,
                   r.finalValLoss AS finalValLoss, r.outputDir AS outputDir, r.blasKernels AS blasKernels,
                   r.buildRunId IS NULL AS onEarlierBuild,
                   (SELECT MAX(tokens) FROM trainingStep WHERE trainingRunId = r.id) AS tokens,
                   (SELECT trainLoss FROM trainingStep WHERE trainingRunId = r.id ORDER BY step LIMIT 1) AS firstTrainLoss,
                   (SELECT AVG(tokensPerSecond) FROM trainingStep WHERE trainingRunId = r.id) AS tokensPerSecond
            FROM trainingRun r ORDER BY r.id
            """).mapRows { row in
            Run(id: row.int("id"), status: row.string("status"), startedAt: row.string("startedAt"),
                model: row.string("model"), parameterCount: row.int("parameterCount"), steps: row.int("steps"),
                tokens: row.int("tokens"), firstTrainLoss: row["firstTrainLoss"].double,
                finalTrainLoss: row["finalTrainLoss"].double, finalValLoss: row["finalValLoss"].double,
                tokensPerSecond: row["tokensPerSecond"].double, outputDir: row.string("outputDir"),
                blasKernels: row.string("blasKernels"), onEarlierBuild: row.int("onEarlierBuild") != 0)
        })
    }
}

/// One point of a training run's loss curves.
public struct TrainingLoss: Sendable, Equatable {
    public var step: Int
    public var trainLoss: Double
    /// Nil on steps without an evaluation.
    public var valLoss: Double?
}

extension Manifest {
    /// Copies the training runs and their steps recorded in the manifest at `earlierPath` (the build this
    /// one replaces) into this new manifest, ids kept, so rebuilding an output folder keeps its training
    /// history. Their `buildRunId` becomes NULL: they trained on an earlier build, whose run is not in
    /// this manifest. Returns how many runs were carried (0 when there is no earlier manifest or it
    /// records no training).
    @discardableResult
    public func carryTrainingHistory(from earlierPath: String) throws -> Int {
        guard FileSystem.exists(earlierPath) else { return 0 }
        let earlier = try Manifest.open(path: earlierPath)
        guard try earlier.hasTable("trainingRun") else { return 0 }
        let runs = try earlier.database.scalar("SELECT COUNT(*) FROM trainingRun")?.int ?? 0
        guard runs > 0 else { return 0 }
        try ensureTrainingTables()
        try database.prepare("ATTACH DATABASE ? AS earlier").run(.text(earlierPath))
        defer { try? database.execute("DETACH DATABASE earlier") }
        let runColumns = "status, startedAt, finishedAt, toolVersion, model, parameterCount, settings, seed, threads, "
            + "blasKernels, outputDir, resumedFrom, steps, finalTrainLoss, finalValLoss, error"
        let stepColumns = "trainingRunId, step, trainLoss, valLoss, learningRate, gradNorm, tokens, tokensPerSecond, seconds"
        try database.transaction {
            try database.execute("""
                INSERT INTO trainingRun (id, buildRunId, \(runColumns))
                    SELECT id, NULL, \(runColumns) FROM earlier.trainingRun ORDER BY id;
                INSERT INTO trainingStep (\(stepColumns))
                    SELECT \(stepColumns) FROM earlier.trainingStep ORDER BY trainingRunId, step;
                """)
        }
        return runs
    }

    /// Whether the manifest has table `name` (the training tables are created on first use).
    func hasTable(_ name: String) throws -> Bool {
        try database.prepare("SELECT COUNT(*) AS tables FROM sqlite_master WHERE type = 'table' AND name = ?")
            .firstRow(.text(name)) { $0.int("tables") } == 1
    }

    /// The loss curves of training run `runId` (a `TrainingHistory.Run.id`), by step; empty when none
    /// is recorded.
    public func trainingLosses(runId: Int) throws -> [TrainingLoss] {
        guard try hasTable("trainingStep") else { return [] }
        return try database.prepare("""
            SELECT step, trainLoss, valLoss FROM trainingStep WHERE trainingRunId = ? ORDER BY step
            """).mapRows(.init(runId)) {
            TrainingLoss(step: $0.int("step"), trainLoss: $0.double("trainLoss"), valLoss: $0["valLoss"].double)
        }
    }
}

extension TrainingHistory.Run {
    enum CodingKeys: String, CodingKey {
        case id, status, startedAt, model, parameterCount, steps, tokens, firstTrainLoss, finalTrainLoss, finalValLoss,
             tokensPerSecond, outputDir, blasKernels, onEarlierBuild
    }

    /// Every key is written, `null` when there is no value (docs/stats.md).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(model, forKey: .model)
        try c.encode(parameterCount, forKey: .parameterCount)
        try c.encode(steps, forKey: .steps)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(firstTrainLoss, forKey: .firstTrainLoss)
        try c.encode(finalTrainLoss, forKey: .finalTrainLoss)
        try c.encode(finalValLoss, forKey: .finalValLoss)
        try c.encode(tokensPerSecond, forKey: .tokensPerSecond)
        try c.encode(outputDir, forKey: .outputDir)
        try c.encode(blasKernels, forKey: .blasKernels)
        try c.encode(onEarlierBuild, forKey: .onEarlierBuild)
    }
}
